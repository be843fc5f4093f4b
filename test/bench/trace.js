// @ts-check
// Reads the figures of `npm run bench` out of a Chromium trace (categories devtools.timeline and
// disabled-by-default-devtools.timeline, plus blink.user_timing for navigationStart). Pure
// functions over the trace's event list, so that test/unit/bench-trace.test.ts can check them on a
// hand-made trace. Times are in µs, as in the trace.

/**
 * One trace event, as Chromium writes it (the Trace Event Format); only the fields read here.
 * @typedef {object} TraceEvent
 * @property {string} name
 * @property {string} [cat]
 * @property {string} ph
 * @property {number} pid
 * @property {number} tid
 * @property {number} ts
 * @property {number} [dur] wall-clock duration
 * @property {number} [tdur] the thread's CPU time over the same span
 * @property {any} [args]
 */

/** @typedef {{ ts: number, dur: number, tdur?: number }} Span a stretch of a thread's time; tdur, its CPU time in it, when the trace has it */

/**
 * The names Chromium gives a task the main thread's scheduler runs: RunTask in
 * disabled-by-default-devtools.timeline, ThreadControllerImpl::RunTask in toplevel. With both
 * categories on, one task has both, one inside the other; topLevelTasks keeps the outer one.
 */
export const TASK_NAMES = ['RunTask', 'ThreadControllerImpl::RunTask']

/**
 * The trace's events, whether it is the object Chromium writes or a bare array.
 * @param {string | Uint8Array | { traceEvents: TraceEvent[] } | TraceEvent[]} trace
 * @returns {TraceEvent[]}
 */
export function parseTrace(trace) {
  const parsed = typeof trace == 'string' ? JSON.parse(trace) : trace instanceof Uint8Array ? JSON.parse(new TextDecoder().decode(trace)) : trace
  return Array.isArray(parsed) ? parsed : parsed.traceEvents
}

/**
 * The renderer main threads: the "pid:tid" keys whose thread_name metadata is CrRendererMain.
 * @param {TraceEvent[]} events
 */
export function rendererMainThreads(events) {
  return new Set(events.filter((e) => e.ph == 'M' && e.name == 'thread_name' && e.args?.name == 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`))
}

/**
 * Events on a renderer main thread, of one renderer process when `pid` is given, by time.
 * @param {TraceEvent[]} events
 * @param {number} [pid]
 */
function onMainThread(events, pid) {
  const main = rendererMainThreads(events)
  return events.filter((e) => main.has(`${e.pid}:${e.tid}`) && (pid == undefined || e.pid == pid)).sort((a, b) => a.ts - b.ts)
}

/** @param {TraceEvent} e @returns {Span} */
const span = (e) => (e.tdur == undefined ? { ts: e.ts, dur: e.dur ?? 0 } : { ts: e.ts, dur: e.dur ?? 0, tdur: e.tdur })

/**
 * The dispatches of `click` events (real or synthetic) on renderer main threads, by time. Their
 * duration includes the listeners and the microtasks that run when each listener returns, that
 * is, what a listener does after an `await` of a settled promise.
 * @param {TraceEvent[]} events
 * @param {number} [pid] only this renderer process
 * @returns {Span[]}
 */
export function clickDispatches(events, pid) {
  return onMainThread(events, pid)
    .filter((e) => e.name == 'EventDispatch' && e.ph == 'X' && e.args?.data?.type == 'click')
    .map(span)
}

/**
 * The evaluations of the script at `url` (a classic script's top level), by time.
 * @param {TraceEvent[]} events
 * @param {string} url the script's URL, exactly as the page loaded it
 * @param {number} [pid] only this renderer process
 * @returns {Span[]}
 */
export function evaluateScript(events, url, pid) {
  return onMainThread(events, pid)
    .filter((e) => e.name == 'EvaluateScript' && e.ph == 'X' && e.args?.data?.url == url)
    .map(span)
}

/**
 * The main-frame navigations to `url`: the renderer that loaded it, when the navigation started
 * (navigationStart) and when the page's load event fired (the first main-frame MarkLoad after it
 * in that renderer; undefined when the trace ends before).
 * @param {TraceEvent[]} events
 * @param {string} url the page's URL, exactly as navigated to
 * @returns {{ pid: number, start: number, load: number | undefined }[]}
 */
export function navigations(events, url) {
  const main = onMainThread(events)
  return main
    .filter((e) => e.name == 'navigationStart' && e.args?.data?.isLoadingMainFrame && e.args.data.documentLoaderURL == url)
    .map((nav) => ({
      pid: nav.pid,
      start: nav.ts,
      load: main.find((e) => e.pid == nav.pid && e.ts >= nav.ts && e.name == 'MarkLoad' && e.args?.data?.isOutermostMainFrame !== false && e.args?.data?.isMainFrame)?.ts
    }))
}

/**
 * The top-level tasks of one renderer's main thread, by time: the tasks its scheduler ran, not
 * the tasks nested in them.
 * @param {TraceEvent[]} events
 * @param {number} pid
 * @returns {Span[]}
 */
export function topLevelTasks(events, pid) {
  /** @type {Span[]} */
  const tasks = []
  let end = -Infinity
  // Outer first when two start at once, so that the inner one is seen as nested.
  const candidates = onMainThread(events, pid).filter((e) => e.ph == 'X' && TASK_NAMES.includes(e.name)).sort((a, b) => a.ts - b.ts || (b.dur ?? 0) - (a.dur ?? 0))
  for (const e of candidates) {
    if (e.ts < end) continue
    tasks.push(span(e))
    end = e.ts + (e.dur ?? 0)
  }
  return tasks
}

/**
 * Which time to sum: 'wall', what the shopper waits (a thread blocked on a synchronous call, a
 * cookie read say, counts); or 'cpu', the main thread's CPU time, which other processes on a
 * busy machine disturb less. A task cut by the window counts its CPU time pro rata.
 * @typedef {'wall' | 'cpu'} Clock
 */

/**
 * Main-thread time of one renderer between `from` and `to`: the sum of its top-level tasks, the
 * parts of them inside the window only.
 * @param {TraceEvent[]} events
 * @param {number} from
 * @param {number} to
 * @param {number} pid
 * @param {Clock} [clock]
 */
export function mainThreadTime(events, from, to, pid, clock = 'wall') {
  return busy(topLevelTasks(events, pid), from, to, clock)
}

/**
 * @param {Span[]} tasks
 * @param {number} from
 * @param {number} to
 * @param {Clock} clock
 */
function busy(tasks, from, to, clock) {
  let sum = 0
  for (const t of tasks) {
    const inside = Math.max(0, Math.min(to, t.ts + t.dur) - Math.max(from, t.ts))
    sum += clock == 'wall' ? inside : inside && ((t.tdur ?? t.dur) * inside) / (t.dur || 1)
  }
  return sum
}

/**
 * Main-thread time after each click of one renderer: from the start of the task that dispatched
 * the click (its pointerup and mouseup included, as for the page without a tracker) until the
 * next click's task starts or `tail` µs have passed, whichever comes first. Work a tracker puts
 * off to a later task (a timer, a beacon, idle time) lands in its click's window.
 * @param {TraceEvent[]} events
 * @param {number} pid
 * @param {number} [tail] µs
 * @param {Clock} [clock]
 * @returns {number[]} one figure per click, in µs
 */
export function mainThreadAfterClicks(events, pid, tail = 300_000, clock = 'wall') {
  const tasks = topLevelTasks(events, pid)
  const starts = clickDispatches(events, pid).map((click) => tasks.find((t) => t.ts <= click.ts && click.ts < t.ts + t.dur)?.ts ?? click.ts)
  return starts.map((start, i) => busy(tasks, start, Math.min(start + tail, starts[i + 1] ?? Infinity), clock))
}
