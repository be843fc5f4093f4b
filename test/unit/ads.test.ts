import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { AD, SPONSORED, watchForAds } from '../../src/page/ads'

let observers: FakeMutationObserver[] = []
class FakeMutationObserver {
  disconnected = false
  options: unknown
  constructor(public callback: () => void) { observers.push(this) }
  observe(_target: unknown, options: unknown) { this.options = options }
  disconnect() { this.disconnected = true }
  /** A DOM change, as the browser reports it (a disconnected observer hears nothing). */
  fire() { if (!this.disconnected) this.callback() }
}

function doc(hasAd = false) {
  const state = { hasAd, queries: 0 }
  const d = { querySelector: (sel: string) => { state.queries++; return sel == SPONSORED && state.hasAd ? {} : null } }
  return { d: d as unknown as Document, state }
}

describe('watchForAds', () => {
  beforeEach(() => {
    observers = []
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    vi.stubGlobal('MutationObserver', FakeMutationObserver)
  })
  afterEach(() => {
    vi.useRealTimers()
    vi.unstubAllGlobals()
  })

  it('calls found at once when the page has a sponsored item, and stops watching', () => {
    const { d } = doc(true)
    const found = vi.fn()
    watchForAds(d, found, new AbortController().signal)
    expect(found).toHaveBeenCalledTimes(1)
    expect(observers[0]!.disconnected).toBe(true)
  })

  it('watches additions and the attribute under the whole document', () => {
    watchForAds(doc().d, () => {}, new AbortController().signal)
    expect(observers[0]!.options).toEqual({ childList: true, subtree: true, attributeFilter: [AD] })
  })

  it('checks at most every 250 ms after mutations, and calls found once', () => {
    const { d, state } = doc()
    const found = vi.fn()
    watchForAds(d, found, new AbortController().signal)
    expect(state.queries).toBe(1)
    const mo = observers[0]!
    for (let i = 0; i < 50; i++) mo.fire()
    expect(state.queries).toBe(1)
    vi.advanceTimersByTime(250)
    expect(state.queries).toBe(2)
    expect(found).not.toHaveBeenCalled()
    state.hasAd = true
    mo.fire()
    mo.fire()
    vi.advanceTimersByTime(249)
    expect(found).not.toHaveBeenCalled()
    vi.advanceTimersByTime(1)
    expect(found).toHaveBeenCalledTimes(1)
    mo.fire()
    vi.advanceTimersByTime(1000)
    expect(found).toHaveBeenCalledTimes(1)
  })

  it('stops watching when the signal aborts, also with a check pending', () => {
    const { d, state } = doc()
    const found = vi.fn()
    const controller = new AbortController()
    watchForAds(d, found, controller.signal)
    observers[0]!.fire()
    state.hasAd = true
    controller.abort()
    vi.advanceTimersByTime(1000)
    expect(found).not.toHaveBeenCalled()
    expect(observers[0]!.disconnected).toBe(true)
  })
})
