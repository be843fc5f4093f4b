import { describe, expect, it } from 'vitest'
import { watchPageViews } from '../../src/chunks/pageviews'

// ─── Stand-ins: a window with a history, and with or without the Navigation API ──────────

type Listener = [string, (event: Event) => void, AbortSignal | undefined]

class FakeTarget {
  listeners: Listener[] = []
  addEventListener(type: string, fn: (event: Event) => void, options?: { signal?: AbortSignal }) { this.listeners.push([type, fn, options?.signal]) }
  dispatch(type: string, extra: object = {}) { for (const [t, fn, signal] of this.listeners) if (t == type && !signal?.aborted) fn({ type, ...extra } as unknown as Event) }
  live(type: string) { return this.listeners.filter(([t, , signal]) => t == type && !signal?.aborted).length }
}

/** The History the browser gives: pushState and replaceState change the URL, and return undefined. */
class FakeHistory {
  calls: [unknown, unknown[]][] = []
  constructor(private win: FakeWindow) {}
  pushState(...args: unknown[]) { return this.go(args) }
  replaceState(...args: unknown[]) { return this.go(args) }
  private go(args: unknown[]) {
    this.calls.push([this, args])
    if (args[2] == 'https://elsewhere.test/') throw new DOMException('not same-origin', 'SecurityError')
    this.win.location.href = new URL(String(args[2]), this.win.location.href).href
    return undefined
  }
}

class FakeWindow extends FakeTarget {
  location = { href: 'https://shop.test/list?q=1' }
  history = new FakeHistory(this)
  navigation?: FakeTarget & { currentEntry: { url: string } }
}

function setup({ navigation = false } = {}) {
  const win = new FakeWindow()
  if (navigation) win.navigation = Object.assign(new FakeTarget(), { currentEntry: { url: win.location.href } })
  const doc = { defaultView: win } as unknown as Document
  /** Moves the Navigation API's current entry, as the browser does for each kind of change. */
  const navigate = (url: string, navigationType: string) => {
    win.location.href = new URL(url, win.location.href).href
    win.navigation!.currentEntry = { url: win.location.href }
    win.navigation!.dispatch('currententrychange', { navigationType })
  }
  const tracker = () => {
    const controller = new AbortController()
    let news = 0
    const view = watchPageViews(doc, () => { news++ }, controller.signal)
    return { view, controller, news: () => news }
  }
  return { win, doc, navigate, tracker }
}

describe('watchPageViews with the Navigation API', () => {
  it('starts a new page view on a push or traverse to another URL; not on replace, reload or a fragment', () => {
    const { navigate, tracker } = setup({ navigation: true })
    const t = tracker()
    t.view.counted.add('T1')
    navigate('?q=1&colour=red', 'replace')
    navigate('?q=1&colour=red', 'reload')
    navigate('#reviews', 'push')
    navigate('?q=1&colour=red', 'traverse')
    expect([t.news(), t.view.n, [...t.view.counted]]).toEqual([0, 0, ['T1']])
    navigate('/p/1', 'push')
    expect([t.news(), t.view.n, [...t.view.counted]]).toEqual([1, 1, []])
    navigate('/list?q=1&colour=red', 'traverse')
    expect([t.news(), t.view.url]).toEqual([2, 'https://shop.test/list?q=1&colour=red'])
  })

  it('leaves history.pushState alone, and stops listening when the signal aborts', () => {
    const { win, navigate, tracker } = setup({ navigation: true })
    const pushState = win.history.pushState
    const t = tracker()
    expect(win.history.pushState).toBe(pushState)
    t.controller.abort()
    navigate('/p/1', 'push')
    expect(t.news()).toBe(0)
  })
})

describe('watchPageViews without the Navigation API', () => {
  it('wraps pushState: the original runs with the same this and arguments, its value is returned, its exception thrown unchanged', () => {
    const { win, tracker } = setup()
    const t = tracker()
    const state = { id: 1 }
    expect(win.history.pushState(state, '', '/p/1')).toBe(undefined)
    expect(win.history.calls).toEqual([[win.history, [state, '', '/p/1']]])
    expect(t.news()).toBe(1)
    expect(() => win.history.pushState({}, '', 'https://elsewhere.test/')).toThrow(expect.objectContaining({ name: 'SecurityError' }))
    expect(t.news()).toBe(1)
  })

  it('a push to another URL is a new page view; replaceState and a push or popstate of a fragment are not, also after a replaceState', () => {
    const { win, tracker } = setup()
    const t = tracker()
    t.view.counted.add('T1')
    win.history.replaceState(null, '', '?q=1&colour=red')
    // A link to #reviews: the browser fires popstate.
    win.location.href = 'https://shop.test/list?q=1&colour=red#reviews'
    win.dispatch('popstate')
    win.history.pushState(null, '', '#specs')
    win.history.pushState(null, '', '?q=1&colour=red')
    expect([t.news(), [...t.view.counted]]).toEqual([0, ['T1']])
    win.history.pushState(null, '', '/p/1')
    expect([t.news(), [...t.view.counted]]).toEqual([1, []])
    // Back to the list.
    win.location.href = 'https://shop.test/list?q=1&colour=red'
    win.dispatch('popstate')
    expect(t.news()).toBe(2)
  })

  it('wraps once for two trackers, which share one page view and each hear of a new one', () => {
    const { win, tracker } = setup()
    const first = tracker()
    const wrapped = win.history.pushState
    const second = tracker()
    expect(win.history.pushState).toBe(wrapped)
    expect(second.view).toBe(first.view)
    win.history.pushState(null, '', '/p/1')
    expect([first.news(), second.news(), first.view.n]).toEqual([1, 1, 1])
    expect(win.history.calls).toHaveLength(1)
  })

  it('a tracker whose hook throws does not throw into the page, and the others still hear', () => {
    const { win, doc, tracker } = setup()
    watchPageViews(doc, () => { throw new Error('a broken tracker') }, new AbortController().signal)
    const other = tracker()
    expect(() => win.history.pushState(null, '', '/p/1')).not.toThrow()
    expect(other.news()).toBe(1)
  })

  it('after destroy(), the wrapper only calls the original; a tracker made later keeps what was counted, unless the URL moved meanwhile', () => {
    const { win, tracker } = setup()
    const first = tracker()
    first.view.counted.add('T1')
    first.controller.abort()
    expect(win.live('popstate')).toBe(0)
    win.history.pushState(null, '', '?q=1')
    expect(first.news()).toBe(0)
    const second = tracker()
    expect([...second.view.counted]).toEqual(['T1'])
    second.controller.abort()
    win.history.pushState(null, '', '/p/2')
    const third = tracker()
    expect([third.view.n, [...third.view.counted]]).toEqual([1, []])
  })
})
