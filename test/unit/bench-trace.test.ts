// The trace parsing of `npm run bench` (test/bench/trace.js), on a small hand-made trace: two
// renderers and a visit, a script, two clicks and the tasks around them.
import { describe, expect, it } from 'vitest'
import {
  clickDispatches, evaluateScript, mainThreadAfterClicks, mainThreadTime, navigations, parseTrace, rendererMainThreads, topLevelTasks,
  type TraceEvent
} from '../bench/trace.js'

const PAGE = 'http://localhost:1/p/1?first'
const SCRIPT = 'http://localhost:1/dist/esales.js'
const meta = (pid: number, tid: number, name: string): TraceEvent => ({ name: 'thread_name', ph: 'M', pid, tid, ts: 0, args: { name } })
const x = (name: string, ts: number, dur: number, args: object = {}, pid = 1, tid = 11, tdur?: number): TraceEvent =>
  ({ name, ph: 'X', pid, tid, ts, dur, ...(tdur == undefined ? {} : { tdur }), args })
const click = (ts: number, dur: number, pid = 1, tid = 11) => x('EventDispatch', ts, dur, { data: { type: 'click' } }, pid, tid, dur / 2)

// Renderer 1 (main thread 11) loads PAGE and gets two clicks; renderer 2 is another page.
const events: TraceEvent[] = [
  meta(1, 11, 'CrRendererMain'), meta(1, 12, 'Compositor'), meta(2, 21, 'CrRendererMain'), meta(9, 91, 'CrBrowserMain'),
  { name: 'navigationStart', ph: 'R', pid: 1, tid: 11, ts: 1_000, args: { data: { documentLoaderURL: PAGE, isLoadingMainFrame: true } } },
  { name: 'navigationStart', ph: 'R', pid: 2, tid: 21, ts: 1_500, args: { data: { documentLoaderURL: 'http://localhost:1/other', isLoadingMainFrame: true } } },
  // The task that runs the tag's script; both names of a task, one inside the other.
  x('RunTask', 2_000, 10_000, {}, 1, 11, 4_000),
  x('ThreadControllerImpl::RunTask', 2_000, 10_000),
  x('EvaluateScript', 2_100, 9_000, { data: { url: SCRIPT } }, 1, 11, 3_000),
  // Playwright's own evaluations carry no URL.
  x('EvaluateScript', 20_000, 500, {}),
  { name: 'MarkLoad', ph: 'I', pid: 1, tid: 11, ts: 15_000, args: { data: { isMainFrame: true, isOutermostMainFrame: true } } },
  x('RunTask', 16_000, 1_000),
  // The first click: its task, the dispatch, and a timer the tracker set for later.
  x('RunTask', 1_100_000, 2_000),
  x('EventDispatch', 1_100_100, 100, { data: { type: 'mouseup' } }),
  click(1_100_500, 1_400),
  x('RunTask', 1_150_000, 3_000),
  // The second click comes 200 ms later; nothing follows it for 400 ms, then a task outside its window.
  x('RunTask', 1_300_000, 1_000),
  click(1_300_200, 700),
  x('RunTask', 1_700_000, 5_000),
  // Not a renderer main thread, or another renderer: never counted.
  click(1_100_000, 9_999, 1, 12),
  x('RunTask', 1_100_000, 50_000, {}, 1, 12),
  click(1_100_000, 8_888, 2, 21),
  x('RunTask', 1_100_000, 60_000, {}, 2, 21),
  x('EvaluateScript', 2_000, 7_777, { data: { url: SCRIPT } }, 2, 21)
]

describe('bench trace parsing', () => {
  it('reads a trace as Chromium writes it, or as a bare list', () => {
    expect(parseTrace(JSON.stringify({ traceEvents: events }))).toHaveLength(events.length)
    expect(parseTrace(new TextEncoder().encode(JSON.stringify(events)))).toHaveLength(events.length)
    expect(parseTrace({ traceEvents: events })).toBe(events)
  })

  it('finds the renderer main threads by their names', () => {
    expect([...rendererMainThreads(events)].sort()).toEqual(['1:11', '2:21'])
  })

  it('finds click dispatches on renderer main threads, with their CPU time, by time', () => {
    expect(clickDispatches(events, 1)).toEqual([{ ts: 1_100_500, dur: 1_400, tdur: 700 }, { ts: 1_300_200, dur: 700, tdur: 350 }])
    expect(clickDispatches(events).map((c) => c.dur)).toEqual([8_888, 1_400, 700])
  })

  it('finds the evaluation of a script by its URL', () => {
    expect(evaluateScript(events, SCRIPT, 1)).toEqual([{ ts: 2_100, dur: 9_000, tdur: 3_000 }])
    expect(evaluateScript(events, SCRIPT)).toHaveLength(2)
    expect(evaluateScript(events, 'http://localhost:1/bench/v3.js')).toEqual([])
  })

  it('finds a navigation, its renderer and its load event', () => {
    expect(navigations(events, PAGE)).toEqual([{ pid: 1, start: 1_000, load: 15_000 }])
    expect(navigations(events, 'http://localhost:1/other')).toEqual([{ pid: 2, start: 1_500, load: undefined }])
  })

  it('keeps top-level tasks only: a task inside another is not counted twice', () => {
    expect(topLevelTasks(events, 1).map((t) => t.ts)).toEqual([2_000, 16_000, 1_100_000, 1_150_000, 1_300_000, 1_700_000])
  })

  it('sums main-thread time in a window, cutting the tasks at its edges', () => {
    // navigationStart to 1 s after load: the script's task and the one after it.
    expect(mainThreadTime(events, 1_000, 1_015_000, 1)).toBe(11_000)
    expect(mainThreadTime(events, 7_000, 16_500, 1)).toBe(5_000 + 500)
    // As CPU time: the script's task used 4 of its 10 ms; the others have no tdur, so their wall time.
    expect(mainThreadTime(events, 1_000, 1_015_000, 1, 'cpu')).toBe(4_000 + 1_000)
    expect(mainThreadTime(events, 7_000, 12_000, 1, 'cpu')).toBe(2_000)
  })

  it('gives each click the main-thread time from its task until the next click or the tail', () => {
    // Click 1: its task (2 ms) and the tracker's later task (3 ms), until click 2's task starts.
    // Click 2: its task (1 ms); the task 400 ms later is past the 300 ms tail.
    expect(mainThreadAfterClicks(events, 1)).toEqual([5_000, 1_000])
    // A longer tail reaches it; a shorter one cuts click 1's window before its later task.
    expect(mainThreadAfterClicks(events, 1, 500_000)).toEqual([5_000, 6_000])
    expect(mainThreadAfterClicks(events, 1, 10_000)).toEqual([2_000, 1_000])
  })
})
