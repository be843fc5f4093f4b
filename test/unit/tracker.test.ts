// The tracker wired together on a stand-in window: clicks to beacons, keys, consent, and the
// lazily loaded chunk (a stand-in whose API calls are the real ones from calls.ts).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { call, forget } from '../../src/chunks/calls'
import { COMMANDS, explain } from '../../src/chunks/explain'
import { CUSTOMER_COOKIE, MIRROR, SESSION_COOKIE } from '../../src/page/identity'
import { clearOutbox, OUTBOX, readOutbox } from '../../src/page/outbox'
import * as replay from '../../src/chunks/replay'
import { createTracker, type Env } from '../../src/page/tracker'
import type { Entry } from '../../src/page/outbox'
import type { Context, FallbackModule } from '../../src/page/transport'
import type { Keys } from '../../src/api'
import { cookieHost, fakeClock, fakeStorage, memoryStore, seededRandom, UUID_V4 } from './fakes'

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

    it('reads the level in any case and with spaces; a value that is no level is refused and sends nothing, as pending, and stores nothing', async () => {
      for (const [consent, sends] of [[' Granted ', true], ['TRUE', true], ['yes', false], ['toString', false]] as const) {
        const b = browser()
        const tracker = createTracker({ clusterId: 'w1', market: 'UK', api: 'v3', consent }, b.env)
        b.click([tile({ 'data-esales-ticket': 'T1' })])
        await settle()
        expect(b.beacons.length).toBe(sends ? 1 : 0)
        if (!sends) {
          expect(b.lines).toEqual([expect.stringMatching(/^esales: consent\(.*\) refused: pass true, false, or one of /)])
          expect([b.jar.writes, b.storage.sets]).toEqual([[], []])
        }
        tracker.destroy()
      }
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
    expect(b.lines).toEqual(['esales: data-market is missing: your market id, as in the data feed (1 to 100 characters of well-formed text, no space at either end), is required.'])
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

// What were the queue's and the transport's own tests: the notifications that wait, and how
// each is handed to the browser.
describe('createTracker: sending', () => {
  /** The stand-in window's frames and timers, run only when the test says so (the idle start-up's 50 ms timer among them). */
  function manual(b: ReturnType<typeof browser>, withFrames = true) {
    const frames: (() => void)[] = []
    const timers: [() => void, number | undefined][] = []
    b.win.setTimeout = ((fn: () => void, ms?: number) => { timers.push([fn, ms]) }) as typeof b.win.setTimeout
    if (withFrames) b.win.requestAnimationFrame = ((fn: () => void) => { frames.push(fn) }) as typeof b.win.requestAnimationFrame
    else delete (b.win as { requestAnimationFrame?: unknown }).requestAnimationFrame
    const runFrames = () => { for (const fn of frames.splice(0)) fn() }
    const runTimers = (which: (ms: number | undefined) => boolean = () => true) => {
      const due = timers.filter(([, ms]) => which(ms))
      for (const t of due) timers.splice(timers.indexOf(t), 1)
      for (const [fn] of due) fn()
    }
    // The idle start-up first, so that only the queue's frames and timers are left.
    const tracker = createTracker({ clusterId: 'w1', market: 'UK' }, b.env)
    runTimers((ms) => ms == 50)
    const bodies = () => b.beacons.map(([, body]) => body)
    return { tracker, frames, timers, runFrames, runTimers, bodies }
  }

  it('sends nothing at a click: after the next frame, in a 0 ms timeout', () => {
    const b = browser()
    const { tracker, frames, timers, runFrames, runTimers, bodies } = manual(b)
    tracker.click('A')
    expect(bodies()).toEqual([])
    expect(frames).toHaveLength(1)
    expect(timers.map(([, ms]) => ms)).toEqual([250])
    runFrames()
    expect(bodies()).toEqual([])
    expect(timers.map(([, ms]) => ms ?? 0)).toEqual([250, 0])
    runTimers((ms) => !ms)
    expect(bodies()).toEqual(['{"ticket":"A"}'])
    tracker.destroy()
  })

  it('schedules once for everything recorded before the send, and sends them once, in order', () => {
    const b = browser()
    const { tracker, frames, timers, runFrames, runTimers, bodies } = manual(b)
    tracker.click('A')
    tracker.addToCart('B')
    b.click([tile({ 'data-esales-ticket': 'C' })])
    expect(frames).toHaveLength(1)
    expect(timers).toHaveLength(1)
    runFrames()
    runTimers()
    expect(bodies()).toEqual(['{"ticket":"A"}', '{"ticket":"B"}', '{"ticket":"C"}'])
    tracker.destroy()
  })

  it('sends on the 250 ms timer where no frame comes (a hidden page), and only once', () => {
    const b = browser()
    const { tracker, runFrames, runTimers, bodies } = manual(b)
    tracker.click('A')
    runTimers((ms) => ms == 250)
    expect(bodies()).toEqual(['{"ticket":"A"}'])
    runFrames()
    runTimers()
    expect(bodies()).toHaveLength(1)
    tracker.destroy()
  })

  it('works without requestAnimationFrame', () => {
    const b = browser()
    const { tracker, timers, runTimers, bodies } = manual(b, false)
    tracker.click('A')
    expect(timers.map(([, ms]) => ms)).toEqual([250])
    runTimers()
    expect(bodies()).toEqual(['{"ticket":"A"}'])
    tracker.destroy()
  })

  it('schedules again for a notification after a send', () => {
    const b = browser()
    const { tracker, frames, timers, runFrames, runTimers, bodies } = manual(b)
    tracker.click('A')
    runFrames()
    runTimers()
    tracker.click('B')
    expect([frames.length, timers.length]).toEqual([1, 1])
    runFrames()
    runTimers()
    expect(bodies()).toEqual(['{"ticket":"A"}', '{"ticket":"B"}'])
    tracker.destroy()
  })

  it('pagehide sends what waits at once, synchronously, and not again at the timers', () => {
    const b = browser()
    const { tracker, runFrames, runTimers, bodies } = manual(b)
    b.win.dispatchEvent(new Event('pagehide'))
    expect(bodies()).toEqual([])
    tracker.click('A')
    b.win.dispatchEvent(new Event('pagehide'))
    expect(bodies()).toEqual(['{"ticket":"A"}'])
    runFrames()
    runTimers()
    expect(bodies()).toHaveLength(1)
    tracker.destroy()
  })

  it('asks for the keys at a key change only where something waits (asking may start a new session, and renews the cookie)', () => {
    const b = browser()
    const { tracker, runFrames, runTimers } = manual(b)
    const writes = b.jar.writes.length
    // Past the session cookie's renewal interval: the next decision writes it again.
    b.clock.t += 2 * 60_000
    tracker.consent('granted')
    expect(b.jar.writes).toHaveLength(writes)
    tracker.click('A')
    tracker.consent('granted')
    expect(b.jar.writes.length).toBeGreaterThan(writes)
    runFrames()
    runTimers()
    tracker.destroy()
  })

  it('does not use Array.prototype.push, which a page may have broken', () => {
    const b = browser()
    const { tracker, bodies } = manual(b)
    const original = Array.prototype.push
    try {
      Array.prototype.push = () => 0
      tracker.click('A')
      tracker.click('B')
    } finally {
      Array.prototype.push = original
    }
    b.win.dispatchEvent(new Event('pagehide'))
    expect(bodies()).toEqual(['{"ticket":"A"}', '{"ticket":"B"}'])
    tracker.destroy()
  })

  it('sends the string body with sendBeacon, as a method of navigator, and loads no chunk', () => {
    const b = browser()
    const calls: [unknown, string, unknown][] = []
    const nav = { onLine: true, sendBeacon(this: unknown, url: string | URL, data?: BodyInit | null): boolean { calls.push([this, String(url), data]); return true } }
    b.win.navigator = nav
    const load = vi.spyOn(b.env, 'loadFallback')
    const { tracker } = manual(b)
    tracker.click('T')
    tracker.end()
    b.win.dispatchEvent(new Event('pagehide'))
    // A detached sendBeacon throws Illegal invocation; a notification without a body (end) sends none.
    expect(calls.map(([self, url, body]) => [self, url.split('?')[0], body])).toEqual([[nav, `${BASE}click`, '{"ticket":"T"}'], [nav, `${BASE}end`, undefined]])
    expect(typeof calls[0]![2]).toBe('string')
    expect(load).not.toHaveBeenCalled()
    expect(b.storage.sets.filter(([name]) => name.startsWith(OUTBOX))).toEqual([])
    tracker.destroy()
  })

  it('with data-debug, says each beacon and each outbox entry in the chunk\'s words', async () => {
    const b = browser({ beacon: false })
    b.env.window.navigator!.sendBeacon = (url) => !String(url).includes('add-to-cart')
    const tracker = createTracker({ clusterId: 'w1', market: 'UK', debug: true }, b.env)
    tracker.click('T')
    tracker.addToCart('A')
    await settle()
    const keys = tracker.keys()
    const said = b.chunk.say.mock.calls.filter(([, what]) => what == 'beacon' || what == 'outbox').map(([, ...details]) => details)
    expect(said).toEqual([['beacon', b.url('click', keys), '{"ticket":"T"}'], ['outbox', b.url('add-to-cart', keys)]])
    tracker.destroy()
  })

  it.each<[string, Partial<Navigator> | undefined]>([
    ['the beacon is refused', { sendBeacon: () => false }],
    ['sendBeacon throws', { sendBeacon: (): boolean => { throw new TypeError('Illegal invocation') } }],
    ['there is no sendBeacon', {}],
    ['there is no navigator', undefined],
    ['the browser is offline', { onLine: false, sendBeacon: () => true }]
  ])('appends to the outbox at once and hands the same entry to the chunk when %s', async (_name, nav) => {
    const b = browser()
    b.win.navigator = nav as typeof b.win.navigator
    const { tracker } = manual(b)
    // Without a beacon the chunk loads at start-up: it is here when the notification goes.
    await vi.advanceTimersByTimeAsync(0)
    tracker.click('a b')
    b.win.dispatchEvent(new Event('pagehide'))
    // Kept before anything asynchronous: a navigation right after the click loses nothing.
    const kept = [...b.storage.data].filter(([name]) => name.startsWith(OUTBOX))
    const url = b.url('click', tracker.keys())
    expect(kept).toEqual([[expect.stringMatching(new RegExp(`^${OUTBOX}:`)), `${b.clock.t} ${url} {"ticket":"a b"}`]])
    await vi.advanceTimersByTimeAsync(0)
    expect(b.chunk.send).toHaveBeenCalledTimes(1)
    const [entry, given] = b.chunk.send.mock.calls[0]!
    // kept: the append took, so the chunk will not put the entry in again (another tab may send it first).
    expect(entry).toEqual({ id: kept[0]![0].slice(OUTBOX.length + 1), url, body: '{"ticket":"a b"}', t: b.clock.t, leaving: true, kept: true })
    expect(entry.id).toMatch(UUID_V4)
    expect(given).toMatchObject({ base: BASE, market: 'UK' })
    tracker.destroy()
  })

  it('does not call a beacon while offline (it would be accepted, then lost), and trusts one where onLine is unknown', () => {
    for (const onLine of [false, undefined]) {
      const b = browser()
      const beacon = vi.fn(() => true)
      b.win.navigator = { onLine, sendBeacon: beacon } as typeof b.win.navigator
      const { tracker } = manual(b)
      tracker.click('T')
      b.win.dispatchEvent(new Event('pagehide'))
      expect(beacon).toHaveBeenCalledTimes(onLine == false ? 0 : 1)
      tracker.destroy()
    }
  })

  it('keeps an end notification without a body part, and each under a name of its own, read back oldest first', () => {
    const b = browser({ beacon: false })
    const { tracker } = manual(b)
    tracker.click('A')
    tracker.end()
    b.win.dispatchEvent(new Event('pagehide'))
    const lines = [...b.storage.data].filter(([name]) => name.startsWith(OUTBOX)).map(([, line]) => line.split(' '))
    expect(lines.map((parts) => [parts[1]!.slice(BASE.length).split('?')[0], parts[2]])).toEqual([['click', '{"ticket":"A"}'], ['end', undefined]])
    expect(readOutbox(memoryStore(Object.fromEntries(b.storage.data)).store).map((e) => e.url.slice(BASE.length).split('?')[0])).toEqual(['click', 'end'])
    tracker.destroy()
  })

  it('never throws: not when the chunk cannot load, nor when storage is blocked', async () => {
    const unhandled: unknown[] = []
    const onUnhandled = (reason: unknown) => { unhandled.push(reason) }
    process.on('unhandledRejection', onUnhandled)
    try {
      const failing = browser({ beacon: false })
      failing.env.loadFallback = () => Promise.reject(new TypeError('offline'))
      const one = manual(failing)
      one.tracker.click('A')
      expect(() => failing.win.dispatchEvent(new Event('pagehide'))).not.toThrow()
      // Storage blocked: the chunk still gets the entry, in memory.
      const blocked = browser({ beacon: false, storageBlocked: true })
      const two = manual(blocked)
      two.tracker.click('B')
      expect(() => blocked.win.dispatchEvent(new Event('pagehide'))).not.toThrow()
      await vi.advanceTimersByTimeAsync(0)
      expect(blocked.chunk.send.mock.calls.map(([e]) => e.body)).toEqual(['{"ticket":"B"}'])
      expect(blocked.chunk.send.mock.calls[0]![0].kept).toBe(false)
      expect(unhandled).toEqual([])
      one.tracker.destroy()
      two.tracker.destroy()
    } finally {
      process.off('unhandledRejection', onUnhandled)
    }
  })
})
