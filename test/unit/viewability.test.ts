import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { AD } from '../../src/ads'
import { TICKET } from '../../src/capture'
import type { Logger } from '../../src/log'
import type { Context } from '../../src/transport'
import { isViewable, LARGE_PX, VIEWABLE_MS, watchViewability } from '../../src/viewability'
import { captureLog } from './fakes'

describe('isViewable', () => {
  it('takes 50 % of an item up to 242,500 px²', () => {
    expect(isViewable(300, 250, 0.5)).toBe(true)
    expect(isViewable(300, 250, 0.49)).toBe(false)
    expect(isViewable(300, 250, 1)).toBe(true)
    expect(isViewable(300, 250, 0)).toBe(false)
    // Exactly 242,500 px² is not over it.
    expect(isViewable(485, 500, 0.49)).toBe(false)
    expect(isViewable(485, 500, 0.5)).toBe(true)
  })
  it('takes 30 % of an item over 242,500 px²', () => {
    expect(LARGE_PX).toBe(242_500)
    expect(isViewable(970, 250.1, 0.3)).toBe(true)
    expect(isViewable(970, 251, 0.29)).toBe(false)
    expect(isViewable(1000, 1000, 0.3)).toBe(true)
  })
})

// ─── watchViewability, with stand-ins for the DOM and the observers ───────────────────────

class FakeElement {
  attrs = new Map<string, string>()
  isConnected = true
  children: FakeElement[] = []
  constructor(attrs: Record<string, string> = {}) { for (const [k, v] of Object.entries(attrs)) this.attrs.set(k, v) }
  get nodeType() { return 1 }
  getAttribute(name: string) { return this.attrs.get(name) ?? null }
  hasAttribute(name: string) { return this.attrs.has(name) }
  querySelectorAll(_sel: string) { return this.children.filter((c) => c.hasAttribute(AD)) }
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
  report(el: FakeElement, ratio: number, box = { width: 300, height: 250 }, isVisible?: boolean) {
    if (this.observed.has(el)) this.callback([{ target: el, isIntersecting: ratio > 0, intersectionRatio: ratio, boundingClientRect: box, isVisible }])
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

function page(ads: FakeElement[], api: 'v2' | 'v3' = 'v3') {
  const listeners: [string, (event: Event) => void, AbortSignal | undefined][] = []
  const on = (type: string, fn: (event: Event) => void, options?: { signal?: AbortSignal }) => { listeners.push([type, fn, options?.signal]) }
  const win = { location: { pathname: '/list', search: '?q=1' }, history: { length: 1 }, addEventListener: on }
  const doc = {
    defaultView: win,
    visibilityState: 'visible',
    addEventListener: on,
    querySelectorAll: (_sel: string) => ads.filter((a) => a.hasAttribute(AD))
  }
  const dispatch = (type: string) => { for (const [t, fn, signal] of listeners) if (t == type && !signal?.aborted) fn({ type } as Event) }
  const sent: [string, string | undefined][] = []
  const { log, debug, error } = captureLog()
  const ctx: Context & { log: Logger } = { api, notify: (name, body) => { sent.push([name, body]) }, log }
  const controller = new AbortController()
  watchViewability(doc as unknown as Document, ctx, controller.signal)
  return { doc, win, sent, debug, error, controller, dispatch, io: io[io.length - 1], mo: mo[mo.length - 1] }
}

const ad = (ticket: string) => new FakeElement({ [AD]: '', [TICKET]: ticket })

describe('watchViewability', () => {
  beforeEach(() => {
    io = []
    mo = []
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    vi.stubGlobal('IntersectionObserver', FakeIntersectionObserver)
    vi.stubGlobal('MutationObserver', FakeMutationObserver)
    vi.stubGlobal('Element', FakeElement)
  })
  afterEach(() => {
    vi.useRealTimers()
    vi.unstubAllGlobals()
  })

  it('does not count an item the shopper cannot see: covered or transparent (IntersectionObserver v2), opacity 0 or visibility hidden (checkVisibility), or without area', () => {
    const covered = ad('COVERED')
    const faded = Object.assign(ad('FADED'), { checkVisibility: () => false })
    const flat = ad('FLAT')
    const p = page([covered, faded, flat])
    expect(p.io!.options).toMatchObject({ trackVisibility: true, delay: 100 })
    p.io!.report(covered, 1, undefined, false)
    p.io!.report(faded, 1)
    p.io!.report(flat, 1, { width: 300, height: 0 })
    vi.advanceTimersByTime(5 * VIEWABLE_MS)
    expect(p.sent).toEqual([])
    // Once v2 says it is visible after all, it counts.
    p.io!.report(covered, 1, undefined, true)
    vi.advanceTimersByTime(VIEWABLE_MS)
    expect(p.sent).toEqual([['ad-impression', '{"ticket":"COVERED"}']])
  })

  it('refuses on API v2 with an esales: error, and watches nothing', () => {
    const { error, sent } = page([ad('T1')], 'v2')
    expect(error).toEqual(['ads refused: sponsored items (data-esales-ad) need Storefront API v3 (data-api="v3"), which has the ad-impression notification; no impressions are sent.'])
    expect(io).toEqual([])
    expect(sent).toEqual([])
  })

  it('records one ad-impression once an item has been viewable for one continuous second', () => {
    const a = ad('T1')
    const p = page([a])
    expect(p.io!.observed.has(a)).toBe(true)
    p.io!.report(a, 0.6)
    vi.advanceTimersByTime(VIEWABLE_MS - 1)
    expect(p.sent).toEqual([])
    vi.advanceTimersByTime(1)
    expect(p.sent).toEqual([['ad-impression', '{"ticket":"T1"}']])
    expect(p.debug).toEqual(['ad viewable: T1', 'ad viewable for 1 s, impression: T1'])
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

  it('needs only 30 % of a large item', () => {
    const a = ad('T-BIG')
    const p = page([a])
    p.io!.report(a, 0.35, { width: 1000, height: 600 })
    vi.advanceTimersByTime(VIEWABLE_MS)
    expect(p.sent).toEqual([['ad-impression', '{"ticket":"T-BIG"}']])
  })

  it('counts only while the page is visible', () => {
    const a = ad('T1')
    const p = page([a])
    p.io!.report(a, 1)
    vi.advanceTimersByTime(500)
    p.doc.visibilityState = 'hidden'
    p.dispatch('visibilitychange')
    vi.advanceTimersByTime(5000)
    expect(p.sent).toEqual([])
    p.doc.visibilityState = 'visible'
    p.dispatch('visibilitychange')
    vi.advanceTimersByTime(VIEWABLE_MS)
    expect(p.sent).toHaveLength(1)
  })

  it('sends nothing for an item without a ticket', () => {
    const a = new FakeElement({ [AD]: '' })
    const p = page([a])
    p.io!.report(a, 1)
    vi.advanceTimersByTime(VIEWABLE_MS)
    expect(p.sent).toEqual([])
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

  it('counts an item again after history.pushState (a new path, a new history entry), not after replaceState', () => {
    const a = ad('T1')
    const p = page([a])
    p.io!.report(a, 1)
    vi.advanceTimersByTime(VIEWABLE_MS)
    // replaceState: a filter or infinite scroll changes the query, the history does not grow.
    p.win.location.search = '?q=1&page=2'
    p.mo!.fire([])
    p.io!.report(a, 1)
    vi.advanceTimersByTime(VIEWABLE_MS)
    expect(p.sent).toHaveLength(1)
    // pushState: a new view, and the history grew.
    p.win.location.pathname = '/other'
    p.win.history.length = 2
    p.mo!.fire([])
    p.io!.report(a, 1)
    vi.advanceTimersByTime(VIEWABLE_MS)
    expect(p.sent).toEqual([['ad-impression', '{"ticket":"T1"}'], ['ad-impression', '{"ticket":"T1"}']])
  })

  it('counts an item again after back or forward (popstate to another path or query)', () => {
    const a = ad('T1')
    const p = page([a])
    p.io!.report(a, 1)
    vi.advanceTimersByTime(VIEWABLE_MS)
    p.win.location.search = '?q=2'
    p.dispatch('popstate')
    // Observing again delivers the current intersection.
    p.io!.report(a, 1)
    vi.advanceTimersByTime(VIEWABLE_MS)
    expect(p.sent).toEqual([['ad-impression', '{"ticket":"T1"}'], ['ad-impression', '{"ticket":"T1"}']])
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

  it('stops when the signal aborts: observers disconnected, timers cancelled', () => {
    const a = ad('T1')
    const p = page([a])
    p.io!.report(a, 1)
    p.controller.abort()
    vi.advanceTimersByTime(5 * VIEWABLE_MS)
    expect(p.sent).toEqual([])
    expect(p.io!.disconnected).toBe(true)
    expect(p.mo!.disconnected).toBe(true)
  })
})
