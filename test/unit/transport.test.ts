import { afterEach, describe, expect, it, vi } from 'vitest'
import { clearOutbox, OUTBOX, readOutbox, type Entry } from '../../src/page/outbox'
import { createTransport, notificationUrl, type Context, type FallbackModule, type TransportDeps } from '../../src/page/transport'
import { blockedStore, memoryStore } from './fakes'

const tick = () => new Promise((done) => setTimeout(done, 0))

function setup(nav: TransportDeps['nav'], opts: { load?: () => Promise<FallbackModule>; ids?: string[]; storage?: TransportDeps['storage'] } = {}) {
  const s = memoryStore()
  const storage = opts.storage || s.store
  const handed: [Entry, Context][] = []
  const module = { send: async (entry: Entry, ctx: Context) => { handed.push([entry, ctx]) } } as unknown as FallbackModule
  const load = vi.fn(opts.load || (async () => module))
  const debug: unknown[][] = []
  const ids = [...(opts.ids || ['E1', 'E2', 'E3'])]
  let t = 1_000
  const ctx: Context = { notify: () => {} }
  const withChunk = (use: (m: FallbackModule) => unknown) => { load().then(use).catch(() => {}) }
  const post = createTransport({ nav, storage, now: () => t++, id: () => ids.shift()!, debug: (...parts) => { debug.push(parts) }, withChunk }, ctx)
  return { post, load, handed, debug, data: s.data, storage, ctx }
}

afterEach(() => { clearOutbox(blockedStore()) })

describe('notificationUrl', () => {
  it('puts the keys and market in the query, URL-encoded, in the documented order', () => {
    expect(notificationUrl('https://c.example/api/v2/notifications/', 'click', 'UK & IE', { customerKey: 'c:1', sessionKey: 's/2' }))
      .toBe('https://c.example/api/v2/notifications/click?customerKey=c%3A1&market=UK%20%26%20IE&sessionKey=s%2F2')
  })
  it('encodes every character that means something in a query', () => {
    expect(notificationUrl('/e/', 'end', 'a=b&c?d#e+f %', { customerKey: 'é', sessionKey: '🛒' }))
      .toBe('/e/end?customerKey=%C3%A9&market=a%3Db%26c%3Fd%23e%2Bf%20%25&sessionKey=%F0%9F%9B%92')
  })
})

describe('createTransport', () => {
  it('sends the string body with sendBeacon, logs it, and loads no chunk', async () => {
    const calls: [unknown, string, unknown][] = []
    const nav = { onLine: true, sendBeacon(this: unknown, url: string | URL, data?: BodyInit | null): boolean { calls.push([this, String(url), data]); return true } }
    const { post, load, handed, debug, data } = setup(nav)
    post('https://c/click?x', '{"ticket":"T"}')
    await tick()
    // Called as a method of navigator (a detached sendBeacon throws Illegal invocation).
    expect(calls).toEqual([[nav, 'https://c/click?x', '{"ticket":"T"}']])
    expect(typeof calls[0]![2]).toBe('string')
    expect(debug).toEqual([['beacon', 'https://c/click?x', '{"ticket":"T"}']])
    expect(load).not.toHaveBeenCalled()
    expect(handed).toEqual([])
    expect([...data.keys()]).toEqual([])
  })

  it('sends no body at all for a notification without one (end)', () => {
    const bodies: unknown[] = []
    const { post } = setup({ sendBeacon: (_url: string | URL, body?: BodyInit | null) => (bodies.push(body), true) })
    post('https://c/end')
    expect(bodies).toEqual([undefined])
  })

  it.each<[string, TransportDeps['nav']]>([
    ['the beacon is refused', { sendBeacon: () => false }],
    ['sendBeacon throws', { sendBeacon: (): boolean => { throw new TypeError('Illegal invocation') } }],
    ['there is no sendBeacon', {}],
    ['there is no navigator', undefined],
    ['the browser is offline', { onLine: false, sendBeacon: () => true }]
  ])('appends to the outbox at once and hands the same entry to the chunk when %s', async (_name, nav) => {
    const { post, load, handed, data, ctx, debug } = setup(nav)
    post('https://c/click?k=1', '{"ticket":"a b"}')
    // Kept before anything asynchronous: a navigation right after the click loses nothing.
    expect([...data]).toEqual([[`${OUTBOX}:E1`, '1000 https://c/click?k=1 {"ticket":"a b"}']])
    expect(load).toHaveBeenCalledTimes(1)
    expect(debug).toEqual([['outbox', 'https://c/click?k=1']])
    await tick()
    expect(handed).toHaveLength(1)
    const [entry, given] = handed[0]!
    // kept: the append took, so the chunk will not put the entry in again (another tab may send it first).
    expect(entry).toEqual({ id: 'E1', url: 'https://c/click?k=1', body: '{"ticket":"a b"}', t: 1000, kept: true })
    expect(given).toBe(ctx)
    expect(readOutbox(memoryStore(Object.fromEntries(data)).store)).toEqual([{ ...entry, kept: undefined }].map(({ kept, ...e }) => (void kept, e)))
  })

  it('does not call a beacon while offline (it would be accepted, then lost)', () => {
    const beacon = vi.fn(() => true)
    const { post } = setup({ onLine: false, sendBeacon: beacon })
    post('https://c/x', 'B')
    expect(beacon).not.toHaveBeenCalled()
  })

  it('trusts a beacon where onLine is unknown', () => {
    const beacon = vi.fn(() => true)
    const { post, load } = setup({ sendBeacon: beacon })
    post('https://c/x', 'B')
    expect(beacon).toHaveBeenCalledTimes(1)
    expect(load).not.toHaveBeenCalled()
  })

  it('appends an end notification without a body part', async () => {
    const { post, handed, data } = setup({ sendBeacon: () => false })
    post('https://c/end?k=1')
    expect(data.get(`${OUTBOX}:E1`)).toBe('1000 https://c/end?k=1')
    await tick()
    expect(handed[0]![0]).toEqual({ id: 'E1', url: 'https://c/end?k=1', body: undefined, t: 1000, kept: true })
  })

  it('keeps each notification under a name of its own, and they read back oldest first', () => {
    const { post, data } = setup(undefined, { load: () => Promise.reject(new TypeError('Failed to fetch dynamically imported module')) })
    post('https://c/1', '{"ticket":"A"}')
    post('https://c/2')
    post('https://c/3', '{"ticket":"C"}')
    expect([...data.keys()]).toEqual([`${OUTBOX}:E1`, `${OUTBOX}:E2`, `${OUTBOX}:E3`])
    const store = memoryStore(Object.fromEntries(data)).store
    expect(readOutbox(store).map((e) => [e.id, e.url, e.body])).toEqual([['E1', 'https://c/1', '{"ticket":"A"}'], ['E2', 'https://c/2', undefined], ['E3', 'https://c/3', '{"ticket":"C"}']])
  })

  it('never throws: not when the chunk cannot load, nor when storage is blocked', async () => {
    const unhandled: unknown[] = []
    const onUnhandled = (reason: unknown) => { unhandled.push(reason) }
    process.on('unhandledRejection', onUnhandled)
    try {
      const failing = setup(undefined, { load: () => Promise.reject(new TypeError('offline')) })
      expect(() => failing.post('https://c/1', 'A')).not.toThrow()
      // Storage blocked: the chunk still gets the entry, in memory.
      const blocked = setup({ sendBeacon: () => false }, { storage: blockedStore() })
      expect(() => blocked.post('https://c/2', 'B')).not.toThrow()
      await tick()
      await tick()
      expect(blocked.handed.map(([e]) => e.url)).toEqual(['https://c/2'])
      expect(unhandled).toEqual([])
    } finally {
      process.off('unhandledRejection', onUnhandled)
    }
  })
})
