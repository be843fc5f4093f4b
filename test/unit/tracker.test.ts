// The tracker wired together on a stand-in window: clicks to beacons, keys, consent, and the
// lazily loaded chunk (a stand-in whose API calls are the real ones from calls.ts).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { call, forget } from '../../src/chunks/calls'
import { COMMANDS, explain } from '../../src/chunks/explain'
import { CUSTOMER_COOKIE, MIRROR, SESSION_COOKIE } from '../../src/page/identity'
import { clearOutbox, OUTBOX } from '../../src/page/outbox'
import * as replay from '../../src/chunks/replay'
import { createTracker, type Env } from '../../src/page/tracker'
import type { Entry } from '../../src/page/outbox'
import type { Context, FallbackModule } from '../../src/page/transport'
import type { Keys } from '../../src/api'
import { cookieHost, fakeClock, fakeStorage, seededRandom, UUID_V4 } from './fakes'

const BASE = 'https://w1.api.esales.apptus.cloud/api/v2/notifications/'
/** An element stand-in; `kids` are what it contains, besides itself. */
const tile = (attrs: Record<string, string>, kids: unknown[] = []) => {
  const el = { nodeType: 1, isConnected: true, getAttribute: (name: string) => attrs[name] ?? null, contains: (other: unknown) => other === el || kids.includes(other) }
  return el
}

function browser(opts: { beacon?: boolean; online?: boolean; storageBlocked?: boolean } = {}) {
  // Now: the chunk's clock is Date.now (as the page's is, in a browser).
  const clock = fakeClock(Date.now())
  const jar = cookieHost(clock.now)
  const doc = Object.assign(new EventTarget(), { visibilityState: 'visible' as DocumentVisibilityState, querySelector: () => null })
  Object.defineProperty(doc, 'cookie', { configurable: true, get: () => jar.host.cookie, set: (v: string) => { jar.host.cookie = v } })
  const storage = fakeStorage()
  const beacons: [string, string | undefined][] = []
  const nav = {
    onLine: opts.online ?? true,
    sendBeacon: (url: string | URL, body?: BodyInit | null) => { beacons.push([String(url), body as string | undefined]); return opts.beacon ?? true }
  }
  const lines: string[] = []
  const win = Object.assign(new EventTarget(), {
    document: doc,
    location: { href: 'https://shop.example/list' },
    navigator: nav,
    console: { log: (...p: unknown[]) => { lines.push(p.join(' ')) }, error: (m: string) => { lines.push(m) } },
    setTimeout: (fn: () => void, ms?: number) => setTimeout(fn, ms),
    requestAnimationFrame: (fn: () => void) => setTimeout(fn, 16)
  })
  Object.defineProperty(win, 'localStorage', { get: () => { if (opts.storageBlocked) throw new DOMException('denied', 'SecurityError'); return storage.storage } })
  // The chunk reads the global localStorage (the same object as window.localStorage in a browser).
  vi.stubGlobal('localStorage', opts.storageBlocked ? undefined : storage.storage)
  const chunk = {
    send: vi.fn(async (_entry: Entry, _ctx: Context) => {}),
    flush: vi.fn(async (_ctx: Context) => {}),
    call: vi.fn(call),
    forget: vi.fn(forget),
    explain,
    checkCookieDomain: vi.fn((_ctx: Context) => {}),
    say: vi.fn(),
    restrict: vi.fn(replay.restrict)
  } satisfies FallbackModule
  const env: Env = {
    window: win as unknown as Env['window'],
    now: clock.now,
    random: seededRandom(),
    loadFallback: async () => chunk,
    loadAds: async () => ({ watchViewability: () => {} })
  }
  const click = (nodes: unknown[], init: { button?: number; detail?: number; type?: string } = {}) => {
    // The snippet listens on the window, in the capture phase, where a click arrives first.
    // A shopper's click: trusted.
    const event = Object.defineProperty(new Event(init.type || 'click'), 'isTrusted', { value: true })
    win.dispatchEvent(Object.assign(event, { button: init.button ?? 0, detail: init.detail ?? 1, composedPath: () => nodes as EventTarget[] }))
  }
  const url = (name: string, keys: Partial<Keys>, market = 'UK') =>
    `${BASE}${name}?customerKey=${keys.customerKey}&market=${market}&sessionKey=${keys.sessionKey}`
  return { win, doc, env, jar, storage, beacons, lines, chunk, clock, click, url }
}

/** Lets the queue's frame and timers, the idle callback and the chunk's promises run. */
const settle = async () => { await vi.advanceTimersByTimeAsync(1000) }

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
  // The idle start-up watches for sponsored items (watchForAds): a page without any.
  vi.stubGlobal('MutationObserver', class { observe() {} disconnect() {} })
})
afterEach(() => {
  vi.useRealTimers()
  vi.unstubAllGlobals()
  clearOutbox({ get: () => null, set: () => {}, remove: () => {}, names: () => [] })
})

describe('createTracker', () => {
  it('sends a click on a ticketed tile by beacon, with the keys in the cookies', async () => {
    const b = browser()
    const tracker = createTracker({ clusterId: 'w1', market: 'UK' }, b.env)
    b.click([tile({}), tile({ 'data-esales-ticket': 'T1' })])
    expect(b.beacons).toEqual([])
    await settle()
    const keys = tracker.keys()
    expect(keys.customerKey).toMatch(UUID_V4)
    expect(b.jar.values(CUSTOMER_COOKIE)).toEqual([keys.customerKey])
    expect(b.jar.values(SESSION_COOKIE)).toEqual([keys.sessionKey])
    expect(b.beacons).toEqual([[b.url('click', keys), '{"ticket":"T1"}']])
    tracker.destroy()
  })

  it('sends add-to-cart for the button inside a tile, and API calls', async () => {
    const b = browser()
    const tracker = createTracker({ clusterId: 'w1', market: 'UK' }, b.env)
    b.click([tile({ 'data-esales-add-to-cart': 'T-CART' }), tile({ 'data-esales-ticket': 'T1' })])
    tracker.click('T2')
    tracker.addToCart('T3')
    tracker.addFavorite('P1')
    tracker.removeRecentSearches('removeAll')
    await settle()
    const keys = tracker.keys()
    expect(b.beacons).toEqual([
      [b.url('add-to-cart', keys), '{"ticket":"T-CART"}'],
      [b.url('click', keys), '{"ticket":"T2"}'],
      [b.url('add-to-cart', keys), '{"ticket":"T3"}'],
      [b.url('add-favorite', keys), '{"productKey":"P1"}'],
      [b.url('remove-recent-searches', keys), '{"removeAll":true}']
    ])
    tracker.destroy()
  })

  it('sends one notification for one action: a label click that clicks a favorite checkbox inside a tile', async () => {
    const b = browser()
    const tracker = createTracker({ clusterId: 'w1', market: 'UK' }, b.env)
    const checkbox = { ...tile({ 'data-esales-favorite': 'P1' }), checked: true }
    const tileEl = tile({ 'data-esales-ticket': 'T1' }, [checkbox])
    b.click([tile({}), tileEl])
    b.click([checkbox, tileEl])
    await settle()
    expect(b.beacons.map(([u, body]) => [u.slice(BASE.length).split('?')[0], body])).toEqual([['add-favorite', '{"productKey":"P1"}']])
    tracker.destroy()
  })

  describe('consent levels', () => {
    const V3 = 'https://w1.api.esales.apptus.cloud/api/storefront/v3/notifications/'
    it('anonymous: no keys, userContext=ANONYMOUS, and no cookie or storage access at all', async () => {
      const b = browser()
      const tracker = createTracker({ clusterId: 'w1', market: 'UK', api: 'v3', consent: 'anonymous' }, b.env)
      b.click([tile({ 'data-esales-ticket': 'T1' })])
      await settle()
      expect(b.beacons).toEqual([[`${V3}click?market=UK&userContext=ANONYMOUS`, '{"ticket":"T1"}']])
      expect([b.jar.writes, b.storage.sets]).toEqual([[], []])
      expect(tracker.keys()).toEqual({})
      tracker.destroy()
    })

    it('unpersonalized: the session key only; down from granted removes the customer cookie and strips what waits', async () => {
      const b = browser()
      const tracker = createTracker({ clusterId: 'w1', market: 'UK', api: 'v3' }, b.env)
      await settle()
      const { sessionKey } = tracker.keys()
      tracker.click('WAITING')
      tracker.consent('unpersonalized')
      await settle()
      expect(b.beacons).toEqual([[`${V3}click?market=UK&sessionKey=${sessionKey}&userContext=UNPERSONALIZED`, '{"ticket":"WAITING"}']])
      expect(b.jar.values(CUSTOMER_COOKIE)).toEqual([])
      expect(b.jar.values(SESSION_COOKIE)).toEqual([sessionKey])
      expect(JSON.parse(b.storage.data.get(MIRROR)!)).not.toHaveProperty('customerKey')
      expect(tracker.keys()).toEqual({ sessionKey })
      tracker.destroy()
    })

    it('on API v2, unpersonalized and anonymous are refused and nothing is sent; what was stored goes', async () => {
      const b = browser()
      const tracker = createTracker({ clusterId: 'w1', market: 'UK' }, b.env)
      await settle()
      tracker.click('WAITING')
      tracker.consent('anonymous')
      tracker.click('AFTER')
      await settle()
      expect(b.beacons).toEqual([])
      expect(b.lines).toEqual([expect.stringMatching(/^esales: consent\("anonymous"\) refused: API v2 has no userContext/)])
      expect([b.jar.values(CUSTOMER_COOKIE), b.jar.values(SESSION_COOKIE), b.storage.data.has(MIRROR)]).toEqual([[], [], false])
      tracker.destroy()
    })
  })

  it('has exactly the commands that the chunk names for a misspelt one', () => {
    const b = browser()
    const tracker = createTracker({ clusterId: 'w1', market: 'UK' }, b.env)
    expect(Object.keys(tracker).sort()).toEqual([...COMMANDS].sort())
    tracker.destroy()
  })

  it('a cookie domain whose key cookie cannot be read back loads the chunk to say why, once; one that holds loads nothing', async () => {
    for (const refuse of [true, false]) {
      const b = browser()
      // The browser drops every cookie written with a Domain (as it does for a public suffix).
      Object.defineProperty(b.doc, 'cookie', { configurable: true, get: () => b.jar.host.cookie, set: (v: string) => { if (!(refuse && /;domain=/.test(v))) b.jar.host.cookie = v } })
      const load = vi.spyOn(b.env, 'loadFallback')
      const tracker = createTracker({ clusterId: 'w1', market: 'UK', cookieDomain: 'shop.example' }, b.env)
      await settle()
      expect(b.chunk.checkCookieDomain).toHaveBeenCalledTimes(refuse ? 1 : 0)
      expect(load).toHaveBeenCalledTimes(refuse ? 1 : 0)
      // The keys work on: a click carries them, from memory and the mirror.
      b.click([tile({ 'data-esales-ticket': 'T1' })])
      await settle()
      expect(b.beacons).toHaveLength(1)
      tracker.destroy()
    }
  })

  describe('data-esales-favorite toggles: the state once the click is done', () => {
    /** A toggle whose state the page's own handler flips after the snippet's capture listener. */
    const toggle = (key: string, state: { pressed?: string | null; checked?: boolean }) => ({
      nodeType: 1,
      isConnected: true,
      getAttribute: (name: string) => (name == 'data-esales-favorite' ? key : name == 'aria-pressed' ? state.pressed ?? null : null),
      contains(other: unknown) { return other === this },
      get checked() { return state.checked }
    })
    const names = (b: ReturnType<typeof browser>) => b.beacons.map(([u, body]) => [u.slice(BASE.length).split('?')[0], body])

    it('reads aria-pressed after the page flipped it: add-favorite when pressed, remove-favorite when released', async () => {
      const b = browser()
      const tracker = createTracker({ clusterId: 'w1', market: 'UK' }, b.env)
      const state = { pressed: 'false' as string | null }
      b.click([toggle('P1', state)])
      state.pressed = 'true'
      await settle()
      b.click([toggle('P1', state)])
      state.pressed = 'false'
      await settle()
      expect(names(b)).toEqual([['add-favorite', '{"productKey":"P1"}'], ['remove-favorite', '{"productKey":"P1"}']])
      tracker.destroy()
    })

    it('two clicks before the queue sends (a double click): each is read when the next click comes, add then remove', async () => {
      const b = browser()
      const tracker = createTracker({ clusterId: 'w1', market: 'UK' }, b.env)
      const state = { checked: false }
      const box = toggle('P1', state)
      // A checkbox flips before the listeners run.
      state.checked = true
      b.click([box], { detail: 1 })
      // The second click of a double click is a task of its own, after a press (which a stand-in
      // event cannot make trusted): a timer of 1 ms ends the first click's task.
      await vi.advanceTimersByTimeAsync(1)
      state.checked = false
      b.click([box], { detail: 2 })
      await settle()
      expect(names(b)).toEqual([['add-favorite', '{"productKey":"P1"}'], ['remove-favorite', '{"productKey":"P1"}']])
      tracker.destroy()
    })

    it('a checkbox whose click the page prevented is read as the browser left it: unchecked again', async () => {
      const b = browser()
      const tracker = createTracker({ clusterId: 'w1', market: 'UK' }, b.env)
      const state = { checked: true }
      b.click([toggle('P1', state)])
      // After the dispatch, the browser undoes the flip of a prevented click.
      state.checked = false
      await settle()
      expect(names(b)).toEqual([['remove-favorite', '{"productKey":"P1"}']])
      tracker.destroy()
    })

    it('a toggle that the page replaced (a re-render) is read from its replacement, found by its product key', async () => {
      const b = browser()
      const tracker = createTracker({ clusterId: 'w1', market: 'UK' }, b.env)
      const old = { ...toggle('P "1"', { pressed: 'false' }), isConnected: false }
      const fresh = toggle('P "1"', { pressed: 'true' })
      const asked: string[] = []
      b.doc.querySelector = ((selector: string) => selector.includes('favorite') ? (asked.push(selector), fresh) : null) as typeof b.doc.querySelector
      vi.stubGlobal('CSS', { escape: (v: string) => v.replace(/"/g, '\\"') })
      b.click([old])
      await settle()
      expect(asked).toEqual(['[data-esales-favorite="P \\"1\\""]'])
      expect(names(b)).toEqual([['add-favorite', '{"productKey":"P \\"1\\""}']])
      tracker.destroy()
    })

    it('is read at pagehide when the page leaves before the queue sends', async () => {
      const b = browser()
      const tracker = createTracker({ clusterId: 'w1', market: 'UK' }, b.env)
      const state = { pressed: 'false' as string | null }
      b.click([toggle('P1', state)])
      state.pressed = 'true'
      b.win.dispatchEvent(new Event('pagehide'))
      expect(names(b)).toEqual([['add-favorite', '{"productKey":"P1"}']])
      tracker.destroy()
    })

    it('a blank product key sends nothing; a toggle whose state cannot be read sends nothing, and what else waits still goes', async () => {
      const b = browser()
      const tracker = createTracker({ clusterId: 'w1', market: 'UK' }, b.env)
      b.click([toggle(' ', { pressed: 'true' })])
      b.click([{ nodeType: 1, getAttribute: (name: string) => { if (name == 'aria-pressed') throw new Error('detached'); return name == 'data-esales-favorite' ? 'P1' : null } }])
      b.click([tile({ 'data-esales-ticket': 'T1' })])
      await settle()
      expect(names(b)).toEqual([['click', '{"ticket":"T1"}']])
      tracker.destroy()
    })
  })

  it('API calls that the chunk builds carry the keys of the moment they were made, not of a key change before the chunk came', async () => {
    const b = browser()
    let arrive!: () => void
    const slow = new Promise<void>((done) => { arrive = done })
    const load = b.env.loadFallback
    b.env.loadFallback = async () => { await slow; return load() }
    const tracker = createTracker({ clusterId: 'w1', market: 'UK' }, b.env)
    await settle()
    const before = tracker.keys()
    tracker.removeRecentSearches('removeAll')
    tracker.setCustomerKey('signed-in-42')
    arrive()
    await settle()
    expect(b.beacons).toEqual([[b.url('remove-recent-searches', before), '{"removeAll":true}']])
    tracker.destroy()
  })

  it('refuses a bad ticket from the API with an esales: error, and sends nothing', async () => {
    const b = browser()
    const tracker = createTracker({ clusterId: 'w1', market: 'UK' }, b.env)
    tracker.click('')
    await settle()
    expect(b.beacons).toEqual([])
    expect(b.lines).toContain('esales: click("") refused: pass the ticket, a non-empty string.')
    tracker.destroy()
  })

  it('logs one esales: error for a misconfiguration and tracks nothing', async () => {
    const b = browser()
    const tracker = createTracker({ clusterId: 'w1', market: '' }, b.env)
    b.click([tile({ 'data-esales-ticket': 'T1' })])
    tracker.click('T2')
    await settle()
    expect(b.beacons).toEqual([])
    expect(b.lines).toEqual(['esales: data-market is missing: your market id, as in the data feed (1 to 100 characters of well-formed text), is required.'])
    expect(b.jar.writes).toEqual([])
  })

  it('returns the live tracker to a second createTracker on the same page; it ends when the last holder destroys it', async () => {
    const b = browser()
    const first = createTracker({ clusterId: 'w1', market: 'UK' }, b.env)
    expect(createTracker({ clusterId: 'w2', market: 'SE' }, b.env)).toBe(first)
    // One holder lets go: the other still tracks.
    first.destroy()
    b.click([tile({ 'data-esales-ticket': 'STILL' })])
    await settle()
    expect(b.beacons.map(([, body]) => body)).toEqual(['{"ticket":"STILL"}'])
    expect(createTracker({ clusterId: 'w2', market: 'SE' }, b.env)).toBe(first)
    first.destroy()
    first.destroy()
    b.click([tile({ 'data-esales-ticket': 'GONE' })])
    await settle()
    expect(b.beacons).toHaveLength(1)
    const next = createTracker({ clusterId: 'w2', market: 'SE' }, b.env)
    expect(next).not.toBe(first)
    next.destroy()
  })

  it('end() sends end with the keys it ends, then starts new keys', async () => {
    const b = browser()
    const tracker = createTracker({ clusterId: 'w1', market: 'UK' }, b.env)
    const before = tracker.keys()
    tracker.end()
    const after = tracker.keys()
    expect(after.customerKey).not.toBe(before.customerKey)
    expect(after.sessionKey).not.toBe(before.sessionKey)
    await settle()
    expect(b.beacons).toEqual([[b.url('end', before), undefined]])
    tracker.destroy()
  })

  it('setCustomerKey: what waits keeps the keys it was made with; the session stays', async () => {
    const b = browser()
    const tracker = createTracker({ clusterId: 'w1', market: 'UK' }, b.env)
    const before = tracker.keys()
    tracker.click('T-BEFORE')
    tracker.setCustomerKey('member-1')
    tracker.click('T-AFTER')
    await settle()
    const after = { customerKey: 'member-1', sessionKey: before.sessionKey }
    expect(tracker.keys()).toEqual(after)
    expect(b.beacons).toEqual([[b.url('click', before), '{"ticket":"T-BEFORE"}'], [b.url('click', after), '{"ticket":"T-AFTER"}']])
    tracker.destroy()
  })

  it('with consent pending, stores and sends nothing until consent(true)', async () => {
    const b = browser()
    const tracker = createTracker({ clusterId: 'w1', market: 'UK', consent: 'pending' }, b.env)
    b.click([tile({ 'data-esales-ticket': 'T1' })])
    tracker.click('T2')
    tracker.setCustomerKey('member-1')
    await settle()
    expect([b.beacons, b.jar.writes, b.storage.sets]).toEqual([[], [], []])
    expect(tracker.keys()).toEqual({})
    tracker.consent(true)
    await settle()
    expect(tracker.keys().customerKey).toBe('member-1')
    b.click([tile({ 'data-esales-ticket': 'T3' })])
    await settle()
    expect(b.beacons).toEqual([[b.url('click', tracker.keys()), '{"ticket":"T3"}']])
    tracker.destroy()
  })

  it('consent(false) removes the key cookies, the mirror and the outbox, and stops', async () => {
    const b = browser()
    const tracker = createTracker({ clusterId: 'w1', market: 'UK' }, b.env)
    await settle()
    b.storage.storage.setItem(`${OUTBOX}:X`, '1 https://c/x')
    tracker.click('T-WAITING')
    tracker.consent(false)
    await settle()
    expect(b.jar.values(CUSTOMER_COOKIE)).toEqual([])
    expect(b.jar.values(SESSION_COOKIE)).toEqual([])
    expect(b.storage.data.has(MIRROR)).toBe(false)
    expect(b.storage.data.has(`${OUTBOX}:X`)).toBe(false)
    b.click([tile({ 'data-esales-ticket': 'T1' })])
    tracker.click('T2')
    await settle()
    expect(b.beacons).toEqual([])
    tracker.destroy()
  })

  it('destroy() sends what waits and removes every listener', async () => {
    const b = browser()
    const tracker = createTracker({ clusterId: 'w1', market: 'UK' }, b.env)
    tracker.click('T-WAITING')
    tracker.destroy()
    expect(b.beacons.map(([, body]) => body)).toEqual(['{"ticket":"T-WAITING"}'])
    b.click([tile({ 'data-esales-ticket': 'T1' })])
    tracker.click('T2')
    await settle()
    expect(b.beacons).toHaveLength(1)
  })

  it('sends what waits at once when the page is hidden', () => {
    const b = browser()
    const tracker = createTracker({ clusterId: 'w1', market: 'UK' }, b.env)
    tracker.click('T1')
    b.doc.visibilityState = 'hidden'
    b.doc.dispatchEvent(new Event('visibilitychange'))
    expect(b.beacons).toHaveLength(1)
    tracker.destroy()
  })

  it('hands a notification the beacon could not send to the chunk, and flushes the outbox when idle and online', async () => {
    const b = browser({ beacon: false })
    const tracker = createTracker({ clusterId: 'w1', market: 'UK' }, b.env)
    tracker.click('T1')
    await settle()
    expect(b.chunk.send).toHaveBeenCalledTimes(1)
    expect(b.chunk.send.mock.calls[0]).toEqual([expect.objectContaining({ url: b.url('click', tracker.keys()), body: '{"ticket":"T1"}' }), expect.anything()])
    // The outbox holds it (the transport appended it): the idle start-up flushed it, and so does the online event.
    expect(b.chunk.flush).toHaveBeenCalledTimes(1)
    b.win.dispatchEvent(new Event('online'))
    await settle()
    expect(b.chunk.flush).toHaveBeenCalledTimes(2)
    tracker.destroy()
  })

  it('delivers on the online event a click kept in memory where storage is blocked', async () => {
    // The real chunk's send and flush, over a fake fetch; offline, so the beacon is not trusted.
    const b = browser({ online: false, storageBlocked: true })
    vi.stubGlobal('navigator', b.win.navigator)
    // The chunk watches the page it runs in (window and document are globals in a browser): here, the stand-in's.
    vi.stubGlobal('document', b.win.document)
    vi.stubGlobal('addEventListener', (type: string, fn: EventListener) => b.win.addEventListener(type, fn))
    const fetch = vi.fn(async () => new Response(null, { status: 204 }))
    vi.stubGlobal('fetch', fetch)
    b.chunk.send.mockImplementation(replay.send)
    b.chunk.flush.mockImplementation(replay.flush)
    const tracker = createTracker({ clusterId: 'w1', market: 'UK' }, b.env)
    tracker.click('T1')
    await settle()
    expect(b.chunk.send).toHaveBeenCalledTimes(1)
    expect(fetch).not.toHaveBeenCalled()
    b.win.navigator.onLine = true
    b.win.dispatchEvent(new Event('online'))
    await settle()
    expect(fetch).toHaveBeenCalledTimes(1)
    tracker.destroy()
  })

  it('keeps working with cookies and storage blocked', async () => {
    const b = browser({ storageBlocked: true })
    Object.defineProperty(b.doc, 'cookie', { get: () => { throw new DOMException('x', 'SecurityError') }, set: () => { throw new DOMException('x', 'SecurityError') } })
    const tracker = createTracker({ clusterId: 'w1', market: 'UK' }, b.env)
    tracker.click('T1')
    await settle()
    const keys = tracker.keys()
    expect(keys.customerKey).toMatch(UUID_V4)
    expect(b.beacons).toEqual([[b.url('click', keys), '{"ticket":"T1"}']])
    tracker.destroy()
  })
})
