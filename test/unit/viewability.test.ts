import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { AD, SPONSORED } from '../../src/page/ads'
import { TICKET } from '../../src/page/capture'
import type { Logger } from '../../src/page/log'
import type { Context } from '../../src/page/transport'
import { isViewable, LARGE_PX, SAMPLE_MS, VIEWABLE_MS, watchViewability } from '../../src/chunks/viewability'
import { captureLog } from './fakes'

describe('isViewable', () => {
  it('takes 50 % of an item under 242,500 px²', () => {
    expect(isViewable(300, 250, 0.5)).toBe(true)
    expect(isViewable(300, 250, 0.49)).toBe(false)
    expect(isViewable(300, 250, 1)).toBe(true)
    expect(isViewable(300, 250, 0)).toBe(false)
    // Just under 242,500 px².
    expect(isViewable(969, 250, 0.49)).toBe(false)
    expect(isViewable(969, 250, 0.5)).toBe(true)
  })
  it('takes 30 % of an item of 242,500 px² or more: the 970 × 250 billboard is the rule\'s own example', () => {
    expect(LARGE_PX).toBe(242_500)
    expect(isViewable(970, 250, 0.3)).toBe(true)
    expect(isViewable(970, 250, 0.29)).toBe(false)
    expect(isViewable(485, 500, 0.3)).toBe(true)
    expect(isViewable(971, 250, 0.3)).toBe(true)
    expect(isViewable(1000, 1000, 0.3)).toBe(true)
  })
})

// ─── watchViewability, with stand-ins for the DOM, the observers and the sample ──────────

// What a sample sees of an item is the item's `share` here; test/unit/seen.test.ts tests the real one.
vi.mock('../../src/chunks/seen', () => ({ seenShare: (el: { share: number }) => el.share, seeable: (el: { visible?: boolean }) => el.visible ?? true }))

class FakeElement {
  attrs = new Map<string, string>()
  isConnected = true
  children: FakeElement[] = []
  /** The share of it that a sample sees. */
  share = 1
  box = { width: 300, height: 250 }
  constructor(attrs: Record<string, string> = {}) { for (const [k, v] of Object.entries(attrs)) this.attrs.set(k, v) }
  get nodeType() { return 1 }
  getAttribute(name: string) { return this.attrs.get(name) ?? null }
  hasAttribute(name: string) { return this.attrs.has(name) }
  /** Knows the one selector the chunk uses: data-esales-ad with any value but false. */
  matches(sel: string) {
    if (sel != SPONSORED) throw new Error(`unexpected selector ${sel}`)
    return this.hasAttribute(AD) && this.getAttribute(AD) != 'false'
  }
  querySelectorAll(sel: string) { return this.children.filter((c) => c.matches(sel)) }
  getBoundingClientRect() { return this.box }
}

let io: FakeIntersectionObserver[] = []
class FakeIntersectionObserver {
  observed = new Set<unknown>()
  disconnected = false
  constructor(public callback: (entries: unknown[]) => void, public options: unknown) { io.push(this) }
  observe(el: unknown) { this.observed.add(el) }
  unobserve(el: unknown) { this.observed.delete(el) }
  disconnect() { this.disconnected = true; this.observed.clear() }
  /** Reports an element's intersection, as the browser would. */
  report(el: FakeElement, ratio: number) {
    if (this.observed.has(el)) this.callback([{ target: el, isIntersecting: ratio > 0, intersectionRatio: ratio, boundingClientRect: el.box }])
  }
}
let mo: FakeMutationObserver[] = []
class FakeMutationObserver {
  disconnected = false
  constructor(public callback: (records: unknown[]) => void) { mo.push(this) }
  observe() {}
  disconnect() { this.disconnected = true }
  fire(records: unknown[]) { if (!this.disconnected) this.callback(records) }
}

type Listener = [string, (event: Event) => void, AbortSignal | undefined]

/** A page without the Navigation API: the snippet wraps its history.pushState. */
function page(ads: FakeElement[], api: 'v2' | 'v3' = 'v3', shared?: { doc: object; win: object; listeners: Listener[] }) {
  const listeners: Listener[] = shared?.listeners ?? []
  const on = (type: string, fn: (event: Event) => void, options?: { signal?: AbortSignal }) => { listeners.push([type, fn, options?.signal]) }
  const location = { href: 'https://shop.test/list?q=1' }
  const go = (url: string) => { location.href = new URL(url, location.href).href }
  const win = shared?.win ?? { location, history: { pushState: (_s: unknown, _t: string, url: string) => go(url), replaceState: (_s: unknown, _t: string, url: string) => go(url) }, addEventListener: on }
  const doc = shared?.doc ?? {
    defaultView: win,
    visibilityState: 'visible',
    addEventListener: on,
    querySelectorAll: (sel: string) => ads.filter((a) => a.matches(sel))
  }
  const dispatch = (type: string) => { for (const [t, fn, signal] of listeners) if (t == type && !signal?.aborted) fn({ type } as Event) }
  const sent: [string, string | undefined][] = []
  const { log, debug, error } = captureLog()
  const ctx: Context & { log: Logger } = { api, notify: (name, body) => { sent.push([name, body]) }, log }
  const controller = new AbortController()
  watchViewability(doc as unknown as Document, ctx, controller.signal)
  return { doc: doc as { visibilityState: string }, win: win as { history: History }, listeners, sent, debug, error, controller, dispatch, io: io[io.length - 1], mo: mo[mo.length - 1] }
}

const ad = (ticket: string) => new FakeElement({ [AD]: '', [TICKET]: ticket })

describe('watchViewability', () => {
  beforeEach(() => {
    io = []
    mo = []
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] })
    vi.stubGlobal('IntersectionObserver', FakeIntersectionObserver)
    vi.stubGlobal('MutationObserver', FakeMutationObserver)
    vi.stubGlobal('Element', FakeElement)
  })
  afterEach(() => {
    vi.useRealTimers()
    vi.unstubAllGlobals()
  })

  it('observes at 0, 30 % and 50 %, without IntersectionObserver v2 (trackVisibility)', () => {
    const p = page([ad('T1')])
    expect(p.io!.options).toEqual({ threshold: [0, 0.3, 0.5] })
  })

  it('refuses on API v2 with an esales: error, and watches nothing', () => {
    const { error, sent } = page([ad('T1')], 'v2')
    expect(error).toEqual(['ads refused: sponsored items (data-esales-ad) need Storefront API v3 (data-api="v3"), which has the ad-impression notification; no impressions are sent.'])
    expect(io).toEqual([])
    expect(sent).toEqual([])
  })

  it('samples an item in view at once and every 200 ms, and records one ad-impression after a continuous second of viewable samples', () => {
    const a = ad('T1')
    const p = page([a])
    expect(p.io!.observed.has(a)).toBe(true)
    p.io!.report(a, 0.6)
    vi.advanceTimersByTime(VIEWABLE_MS - 1)
    expect(p.sent).toEqual([])
    vi.advanceTimersByTime(1)
    expect(p.sent).toEqual([['ad-impression', '{"ticket":"T1"}']])
    expect(p.debug).toEqual(['ad in view: T1', 'ad viewable: T1', 'ad viewable for 1 s, impression: T1'])
  })

  it('a sample that sees too little (covered, transparent, clipped) starts the second over', () => {
    const a = ad('T1')
    const p = page([a])
    p.io!.report(a, 1)
    vi.advanceTimersByTime(400)
    a.share = 0.4
    vi.advanceTimersByTime(SAMPLE_MS)
    a.share = 0.5
    vi.advanceTimersByTime(SAMPLE_MS + VIEWABLE_MS - 1)
    expect(p.sent).toEqual([])
    vi.advanceTimersByTime(1)
    expect(p.sent).toHaveLength(1)
    expect(p.debug).toEqual(['ad in view: T1', 'ad viewable: T1', 'ad no longer viewable: T1', 'ad viewable: T1', 'ad viewable for 1 s, impression: T1'])
  })

  it('an item that failed 5 samples in a row (under a cookie wall) is then sampled every 5th tick, and counts once it is seen', () => {
    let samples = 0
    let share = 0
    const a = ad('T1')
    Object.defineProperty(a, 'share', { get: () => { samples++; return share } })
    const p = page([a])
    p.io!.report(a, 1)
    vi.advanceTimersByTime(4 * SAMPLE_MS)
    expect(samples).toBe(5)
    vi.advanceTimersByTime(10 * SAMPLE_MS)
    expect(samples).toBe(7)
    // The wall goes: the next sample (at most 5 ticks on) sees it, then every tick again.
    share = 1
    vi.advanceTimersByTime(5 * SAMPLE_MS)
    expect(samples).toBe(8)
    vi.advanceTimersByTime(VIEWABLE_MS)
    expect(p.sent).toEqual([['ad-impression', '{"ticket":"T1"}']])
    expect(samples).toBe(13)
  })

  it('a transparent item (a carousel\'s next slide) is not slowed down: it costs no hit tests, and counts a second after it shows', () => {
    let samples = 0
    let share = 0
    const a = ad('T1')
    Object.assign(a, { visible: false })
    Object.defineProperty(a, 'share', { get: () => { samples++; return share } })
    const p = page([a])
    p.io!.report(a, 1)
    vi.advanceTimersByTime(14 * SAMPLE_MS)
    expect(samples).toBe(15)
    Object.assign(a, { visible: true })
    share = 1
    vi.advanceTimersByTime(SAMPLE_MS + VIEWABLE_MS)
    expect(p.sent).toEqual([['ad-impression', '{"ticket":"T1"}']])
  })

  it('needs only 30 % of a large item, in view and seen', () => {
    const a = ad('T-BIG')
    a.box = { width: 1000, height: 600 }
    a.share = 0.35
    const p = page([a])
    p.io!.report(a, 0.35)
    vi.advanceTimersByTime(VIEWABLE_MS)
    expect(p.sent).toEqual([['ad-impression', '{"ticket":"T-BIG"}']])
  })

  it('starts the second over when the item leaves the view before it is up', () => {
    const a = ad('T1')
    const p = page([a])
    p.io!.report(a, 0.6)
    vi.advanceTimersByTime(900)
    p.io!.report(a, 0.4)
    vi.advanceTimersByTime(500)
    p.io!.report(a, 0.7)
    vi.advanceTimersByTime(900)
    expect(p.sent).toEqual([])
    vi.advanceTimersByTime(100)
    expect(p.sent).toHaveLength(1)
  })

  it('runs no timer while no item is in view, nor once every item in view has counted', () => {
    const a = ad('T1')
    const p = page([a])
    expect(vi.getTimerCount()).toBe(0)
    p.io!.report(a, 0.2)
    expect(vi.getTimerCount()).toBe(0)
    p.io!.report(a, 1)
    expect(vi.getTimerCount()).toBe(1)
    p.io!.report(a, 0)
    vi.advanceTimersByTime(SAMPLE_MS)
    expect(vi.getTimerCount()).toBe(0)
    p.io!.report(a, 1)
    vi.advanceTimersByTime(VIEWABLE_MS)
    expect(p.sent).toHaveLength(1)
    expect(vi.getTimerCount()).toBe(0)
  })

  it('counts each ticket once per page view', () => {
    const a = ad('T1')
    const twin = ad('T1')
    const p = page([a, twin])
    p.io!.report(a, 1)
    p.io!.report(twin, 1)
    vi.advanceTimersByTime(VIEWABLE_MS)
    p.io!.report(a, 0)
    p.io!.report(a, 1)
    vi.advanceTimersByTime(5 * VIEWABLE_MS)
    expect(p.sent).toEqual([['ad-impression', '{"ticket":"T1"}']])
  })

  it('counts only while the page is visible: hidden, the timer stops and the second starts over', () => {
    const a = ad('T1')
    const p = page([a])
    p.io!.report(a, 1)
    vi.advanceTimersByTime(600)
    p.doc.visibilityState = 'hidden'
    p.dispatch('visibilitychange')
    expect(vi.getTimerCount()).toBe(0)
    vi.advanceTimersByTime(5000)
    expect(p.sent).toEqual([])
    p.doc.visibilityState = 'visible'
    p.dispatch('visibilitychange')
    vi.advanceTimersByTime(VIEWABLE_MS - SAMPLE_MS)
    expect(p.sent).toEqual([])
    vi.advanceTimersByTime(SAMPLE_MS)
    expect(p.sent).toHaveLength(1)
  })

  it('sends nothing for an item without a ticket', () => {
    const a = new FakeElement({ [AD]: '' })
    const p = page([a])
    p.io!.report(a, 1)
    vi.advanceTimersByTime(VIEWABLE_MS)
    expect(p.sent).toEqual([])
    expect(vi.getTimerCount()).toBe(0)
  })

  it('data-esales-ad="false" (what React and Vue render for an organic item) is not sponsored; any other value is, the empty one too; a flip is seen', () => {
    const organic = new FakeElement({ [AD]: 'false', [TICKET]: 'ORGANIC' })
    const yes = new FakeElement({ [AD]: 'true', [TICKET]: 'YES' })
    const bare = new FakeElement({ [AD]: '', [TICKET]: 'BARE' })
    const p = page([organic, yes, bare])
    expect(p.io!.observed.has(organic)).toBe(false)
    for (const el of [organic, yes, bare]) p.io!.report(el, 1)
    vi.advanceTimersByTime(VIEWABLE_MS)
    expect(p.sent.map(([, body]) => body)).toEqual(['{"ticket":"YES"}', '{"ticket":"BARE"}'])
    // The framework re-renders the organic tile as sponsored, then another one back as organic.
    organic.attrs.set(AD, 'true')
    p.mo!.fire([{ type: 'attributes', attributeName: AD, target: organic }])
    expect(p.io!.observed.has(organic)).toBe(true)
    const later = new FakeElement({ [AD]: 'true', [TICKET]: 'LATER' })
    p.mo!.fire([{ type: 'childList', addedNodes: [later], target: p.doc }])
    later.attrs.set(AD, 'false')
    p.mo!.fire([{ type: 'attributes', attributeName: AD, target: later }])
    expect(p.io!.observed.has(later)).toBe(false)
    p.io!.report(organic, 1)
    vi.advanceTimersByTime(VIEWABLE_MS)
    expect(p.sent.map(([, body]) => body)).toEqual(['{"ticket":"YES"}', '{"ticket":"BARE"}', '{"ticket":"ORGANIC"}'])
  })

  it('watches items added later', () => {
    const p = page([])
    const later = ad('T-LATE')
    p.mo!.fire([{ type: 'childList', addedNodes: [later], target: p.doc }])
    expect(p.io!.observed.has(later)).toBe(true)
    p.io!.report(later, 1)
    vi.advanceTimersByTime(VIEWABLE_MS)
    expect(p.sent).toEqual([['ad-impression', '{"ticket":"T-LATE"}']])
  })

  it('counts an item again after history.pushState to another path (a new page view), with a new second; not after replaceState', () => {
    const a = ad('T1')
    const p = page([a])
    p.io!.report(a, 1)
    vi.advanceTimersByTime(VIEWABLE_MS)
    p.win.history.replaceState(null, '', '?q=1&page=2')
    vi.advanceTimersByTime(VIEWABLE_MS)
    expect(p.sent).toHaveLength(1)
    p.win.history.pushState(null, '', '/other')
    vi.advanceTimersByTime(VIEWABLE_MS - 1)
    expect(p.sent).toHaveLength(1)
    vi.advanceTimersByTime(1)
    expect(p.sent).toEqual([['ad-impression', '{"ticket":"T1"}'], ['ad-impression', '{"ticket":"T1"}']])
  })

  it('a second tracker on the document (after destroy(), or another copy of the library) does not count what the first counted', () => {
    const a = ad('T1')
    const first = page([a])
    first.io!.report(a, 1)
    vi.advanceTimersByTime(VIEWABLE_MS)
    first.controller.abort()
    const second = page([a], 'v3', first)
    second.io!.report(a, 1)
    vi.advanceTimersByTime(5 * VIEWABLE_MS)
    expect([first.sent, second.sent]).toEqual([[['ad-impression', '{"ticket":"T1"}']], []])
    second.win.history.pushState(null, '', '/other')
    vi.advanceTimersByTime(VIEWABLE_MS)
    expect(second.sent).toEqual([['ad-impression', '{"ticket":"T1"}']])
  })

  it('counts an item whose ticket changed once it has been viewable for a second', () => {
    const a = ad('T1')
    const p = page([a])
    p.io!.report(a, 1)
    vi.advanceTimersByTime(VIEWABLE_MS)
    a.attrs.set(TICKET, 'T2')
    p.mo!.fire([{ type: 'attributes', attributeName: TICKET, target: a }])
    vi.advanceTimersByTime(VIEWABLE_MS)
    expect(p.sent).toEqual([['ad-impression', '{"ticket":"T1"}'], ['ad-impression', '{"ticket":"T2"}']])
  })

  it('stops when the signal aborts: observers disconnected, the timer cancelled, listeners gone', () => {
    const a = ad('T1')
    const p = page([a])
    p.io!.report(a, 1)
    p.controller.abort()
    vi.advanceTimersByTime(5 * VIEWABLE_MS)
    expect(p.sent).toEqual([])
    expect(vi.getTimerCount()).toBe(0)
    expect(p.io!.disconnected).toBe(true)
    expect(p.mo!.disconnected).toBe(true)
    expect(p.listeners.filter(([, , signal]) => !signal?.aborted)).toEqual([])
  })
})
