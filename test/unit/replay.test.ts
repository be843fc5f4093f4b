// The outbox replay (send, flush) driven end to end with a fake fetch, an in-memory Store, a fake
// clock and no Web Locks API (Node has no navigator): claims, tries, gaps and pruning.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { Page } from '../../src/chunks/defaults'
import { TRIES_MAX } from '../../src/chunks/deliver'
import { append, clearOutbox, OUTBOX, OUTBOX_MAX, OUTBOX_TTL_MS, readOutbox, writeOutbox, type Entry } from '../../src/page/outbox'
import { allowed, CLAIM_MS, flush, gap, restrict, send, SETTLE_MS, strip } from '../../src/chunks/replay'
import type { Store } from '../../src/page/storage'
import { blockedStore, captureLog, fakeClock, memoryStore } from './fakes'

type Answer = number | Error
function fakeFetch(...answers: Answer[]) {
  const urls: string[] = []
  const bodies: string[] = []
  const fetch = vi.fn(async (input: Request) => {
    urls.push(input.url)
    bodies.push(await input.clone().text())
    const answer = answers.length > 1 ? answers.shift()! : answers[0]!
    if (answer instanceof Error) throw answer
    return new Response(answer == 204 ? null : `reason ${answer}`, { status: answer })
  })
  vi.stubGlobal('fetch', fetch)
  return { fetch, urls, bodies }
}

async function settle<T>(promise: Promise<T>): Promise<T> {
  let done = false
  promise.then(() => { done = true }, () => { done = true })
  for (let i = 0; !done && i < 2000; i++) await vi.advanceTimersByTimeAsync(50)
  if (!done) throw new Error('did not settle')
  return promise
}

/** A page context with every stand-in passed in (a fresh object each time: page() keeps state per context). */
function context(storage: Store = memoryStore().store) {
  const clock = fakeClock()
  const state = { online: true }
  const { log, debug, error } = captureLog()
  const ctx: Page = { notify: () => {}, storage, now: clock.now, online: () => state.online, log }
  return { ctx, clock, state, debug, error, storage }
}

const URL_ = (id: string) => `https://c.example/api/v2/notifications/click?customerKey=c&market=UK&sessionKey=s&n=${id}`
const entry = (id: string, t: number, over: Partial<Entry> = {}): Entry => ({ id, url: URL_(id), body: `{"ticket":"${id}"}`, t, ...over })
/** The entry as the outbox keeps it: without the main script's `kept` flag. */
const stored = ({ kept, ...e }: Entry): Entry => (void kept, e)
const listed = (storage: Store) => JSON.parse(storage.get(OUTBOX) || '[]') as Entry[]

beforeEach(() => { vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] }) })
afterEach(() => {
  vi.clearAllTimers()
  vi.useRealTimers()
  vi.unstubAllGlobals()
  clearOutbox(blockedStore())
})

describe('gap', () => {
  it('is 0 up to 3 tries, then 1 minute, then 10 minutes', () => {
    expect([0, 1, 2, 3, 4, 5].map(gap)).toEqual([0, 0, 0, 0, 60_000, 600_000])
  })
  it(`bounds an entry at ${TRIES_MAX} requests`, () => {
    expect(TRIES_MAX).toBe(6)
  })
})

describe('send', () => {
  it('sends an entry the beacon could not, once, and it leaves the outbox', async () => {
    const { fetch, urls, bodies } = fakeFetch(204)
    const { ctx, clock, storage, debug } = context()
    const e = entry('E1', clock.t)
    append(storage, e)
    await settle(send(e, ctx))
    expect(fetch).toHaveBeenCalledTimes(1)
    expect([urls, bodies]).toEqual([[e.url], [e.body]])
    expect(storage.names()).toEqual([])
    expect(debug).toContain(`sent with fetch 204 ${e.url}`)
    // Nothing left to send again.
    await settle(flush(ctx))
    expect(fetch).toHaveBeenCalledTimes(1)
  })

  it('sends the entry this page just made once its claim has settled, as a flush would', async () => {
    const { fetch } = fakeFetch(204)
    const { ctx, clock, storage } = context()
    const e = entry('E1', clock.t)
    append(storage, e)
    const done = send(e, ctx)
    // The claim is written at once (no Web Locks API here); the request waits for it to settle.
    expect(listed(storage)[0]!.claim).toEqual([expect.any(String), clock.t + CLAIM_MS])
    await vi.advanceTimersByTimeAsync(SETTLE_MS - 1)
    expect(fetch).toHaveBeenCalledTimes(0)
    await vi.advanceTimersByTimeAsync(1)
    expect(fetch).toHaveBeenCalledTimes(1)
    await settle(done)
    expect(storage.names()).toEqual([])
  })

  it('leaves alone the entry this page made when another tab claimed it while the chunk loaded', async () => {
    const { fetch } = fakeFetch(204)
    const { ctx, clock, storage } = context()
    const e = entry('E1', clock.t)
    append(storage, e)
    writeOutbox(storage, [{ ...e, claim: ['other-tab', clock.t + CLAIM_MS] }], [`${OUTBOX}:E1`])
    await settle(send(e, ctx))
    expect(fetch).toHaveBeenCalledTimes(0)
    expect(listed(storage)).toEqual([{ ...e, claim: ['other-tab', clock.t + CLAIM_MS] }])
  })

  it('on pagehide (an entry made while leaving), hands it over with a plain keepalive fetch and removes it at once', async () => {
    const { fetch } = fakeFetch(204)
    const { ctx, clock, storage } = context()
    const e = entry('E1', clock.t, { leaving: true })
    append(storage, e)
    await send(e, ctx)
    expect(fetch).toHaveBeenCalledTimes(1)
    expect(storage.names()).toEqual([])
  })

  it('sends the entry it was handed where storage is blocked (the outbox lives in memory)', async () => {
    const { fetch } = fakeFetch(204)
    const { ctx, clock } = context(blockedStore())
    // The main script's append did not take: it says so, and hands the entry over in memory.
    await settle(send(entry('E1', clock.t, { kept: false }), ctx))
    expect(fetch).toHaveBeenCalledTimes(1)
    expect(readOutbox(blockedStore())).toEqual([])
  })

  it('sends an entry once when send and flush run at the same time', async () => {
    const { fetch } = fakeFetch(204)
    const { ctx, clock, storage } = context()
    const e = entry('E1', clock.t)
    append(storage, e)
    await settle(Promise.all([send(e, ctx), flush(ctx)]))
    expect(fetch).toHaveBeenCalledTimes(1)
    expect(storage.names()).toEqual([])
  })

  it('does not send or put back an entry whose append took and that is gone: another tab sent it while this chunk loaded', async () => {
    const { fetch } = fakeFetch(204)
    const { ctx, clock, storage } = context()
    const e = entry('E1', clock.t)
    append(storage, e)
    storage.remove(`${OUTBOX}:E1`)
    await settle(send(e, ctx))
    expect(fetch).toHaveBeenCalledTimes(0)
    expect(storage.names()).toEqual([])
  })


  it('a flush does not send when another tab takes the claim over while it settles', async () => {
    const { fetch } = fakeFetch(204)
    const { ctx, clock, storage } = context()
    const e = entry('E1', clock.t)
    append(storage, e)
    const done = flush(ctx)
    // The claim is written before send() returns (no Web Locks API: the change runs at once).
    const [claimed] = listed(storage)
    expect(claimed!.claim).toEqual([expect.any(String), clock.t + CLAIM_MS])
    storage.set(OUTBOX, JSON.stringify([{ ...claimed, claim: ['other-tab', clock.t + CLAIM_MS + 5] }]))
    await settle(done)
    expect(fetch).not.toHaveBeenCalled()
    expect(listed(storage)[0]!.claim![0]).toBe('other-tab')
  })

  it('keeps the entry while offline, in the outbox or in memory, and sends nothing', async () => {
    const { fetch } = fakeFetch(204)
    const { ctx, clock, state, storage, debug } = context()
    state.online = false
    const e = entry('E1', clock.t)
    append(storage, e)
    await settle(send(e, ctx))
    expect(fetch).not.toHaveBeenCalled()
    expect(readOutbox(storage)).toEqual([stored(e)])
    expect(debug).toContain('offline: kept in the outbox')

    const blocked = context(blockedStore())
    blocked.state.online = false
    await settle(send(entry('E2', clock.t, { kept: false }), blocked.ctx))
    expect(readOutbox(blockedStore()).map((x) => x.id)).toEqual(['E2'])
    blocked.state.online = true
    await settle(flush(blocked.ctx))
    expect(fetch).toHaveBeenCalledTimes(1)
  })
})

describe('attempts, tries and gaps', () => {
  it.each([400, 413, 422])('drops an entry eSales refuses (%i) at once, with a debug line', async (status) => {
    const { fetch } = fakeFetch(status)
    const { ctx, clock, storage, debug } = context()
    const e = entry('E1', clock.t)
    append(storage, e)
    await settle(send(e, ctx))
    expect(fetch).toHaveBeenCalledTimes(1)
    expect(storage.names()).toEqual([])
    expect(debug).toContain(`dropped: eSales answered ${status} reason ${status}`)
  })

  it.each([401, 403, 404, 405])('keeps an entry on %i, with its tries and due, unclaimed', async (status) => {
    const { fetch } = fakeFetch(status)
    const { ctx, clock, storage } = context()
    const e = entry('E1', clock.t)
    append(storage, e)
    await settle(send(e, ctx))
    expect(fetch).toHaveBeenCalledTimes(1)
    expect(listed(storage)).toEqual([{ ...stored(e), tries: 1, due: clock.t }])
    expect(storage.names()).toEqual([OUTBOX])
  })

  it('keeps a failed entry with tries and due, and tries it again only when due', async () => {
    const { fetch } = fakeFetch(new TypeError('Failed to fetch'))
    const { ctx, clock, storage } = context()
    const e = entry('E1', clock.t)
    append(storage, e)
    // The first page: ky's 2 retries, 3 requests; the next try may come at once.
    await settle(send(e, ctx))
    expect(fetch).toHaveBeenCalledTimes(3)
    expect(listed(storage)).toEqual([{ ...stored(e), tries: 3, due: clock.t }])
    // A later page: one request, then a minute's gap.
    await settle(flush(ctx))
    expect(fetch).toHaveBeenCalledTimes(4)
    expect(listed(storage)).toEqual([{ ...stored(e), tries: 4, due: clock.t + 60_000 }])
    // Not due yet: left alone.
    clock.t += 59_999
    await settle(flush(ctx))
    expect(fetch).toHaveBeenCalledTimes(4)
    clock.t += 1
    await settle(flush(ctx))
    expect(fetch).toHaveBeenCalledTimes(5)
    expect(listed(storage)).toEqual([{ ...stored(e), tries: 5, due: clock.t + 600_000 }])
  })

  it(`drops an entry after ${TRIES_MAX} requests in all, with a debug line`, async () => {
    const { fetch } = fakeFetch(503)
    const { ctx, clock, storage, debug } = context()
    const e = entry('E1', clock.t)
    append(storage, e)
    await settle(send(e, ctx))
    for (let i = 0; i < 10 && storage.names().length; i++) {
      clock.t += 600_000
      await settle(flush(ctx))
    }
    expect(fetch).toHaveBeenCalledTimes(TRIES_MAX)
    expect(storage.names()).toEqual([])
    expect(debug).toContain(`dropped after 6 tries, the most an entry gets: ${e.url}`)
  })

  it('drops an entry at its 6th try', async () => {
    const { fetch } = fakeFetch(500)
    const { ctx, clock, storage, debug } = context()
    storage.set(OUTBOX, JSON.stringify([entry('E1', clock.t, { tries: 5, due: clock.t })]))
    await settle(flush(ctx))
    expect(fetch).toHaveBeenCalledTimes(1)
    expect(storage.names()).toEqual([])
    expect(debug).toContain(`dropped after 6 tries, the most an entry gets: ${URL_('E1')}`)
  })

  it('tries again by itself after the gap while the page stays', async () => {
    const { fetch } = fakeFetch(500, 204)
    const { ctx, clock, storage } = context()
    storage.set(OUTBOX, JSON.stringify([entry('E1', clock.t, { tries: 3 })]))
    await settle(flush(ctx))
    expect(fetch).toHaveBeenCalledTimes(1)
    clock.t += 60_000
    await vi.advanceTimersByTimeAsync(60_000)
    // The retry timer's flush: settle its claim wait and request.
    for (let i = 0; i < 20 && fetch.mock.calls.length < 2; i++) await vi.advanceTimersByTimeAsync(50)
    await vi.advanceTimersByTimeAsync(500)
    expect(fetch).toHaveBeenCalledTimes(2)
    expect(storage.names()).toEqual([])
  })
})

describe('flush', () => {
  it('sends what the outbox holds, oldest first, each once', async () => {
    const { fetch, urls } = fakeFetch(204)
    const { ctx, clock, storage, debug } = context()
    storage.set(OUTBOX, JSON.stringify([entry('B', clock.t - 1000), entry('C', clock.t - 10)]))
    append(storage, entry('A', clock.t - 5000))
    await settle(flush(ctx))
    expect(urls).toEqual([URL_('A'), URL_('B'), URL_('C')])
    expect(fetch).toHaveBeenCalledTimes(3)
    expect(storage.names()).toEqual([])
    expect(debug).toContain('outbox: sending 3')
  })

  it('gives an entry without an id one, and sends it', async () => {
    const { fetch } = fakeFetch(204)
    const { ctx, clock, storage } = context()
    storage.set(OUTBOX, JSON.stringify([{ url: URL_('X'), body: '{}', t: clock.t }]))
    await settle(flush(ctx))
    expect(fetch).toHaveBeenCalledTimes(1)
    expect(storage.names()).toEqual([])
  })

  it('leaves alone what another tab claimed until the claim runs out, and what is not due', async () => {
    const { fetch, urls } = fakeFetch(204)
    const { ctx, clock, storage } = context()
    const claimed = entry('A', clock.t, { claim: ['other-tab', clock.t + 1] })
    const later = entry('B', clock.t, { tries: 4, due: clock.t + 1 })
    const expired = entry('C', clock.t, { claim: ['gone-tab', clock.t] })
    storage.set(OUTBOX, JSON.stringify([claimed, later, expired]))
    await settle(flush(ctx))
    expect(urls).toEqual([URL_('C')])
    expect(listed(storage)).toEqual([claimed, later])
    clock.t += 1
    await settle(flush(ctx))
    expect(fetch).toHaveBeenCalledTimes(3)
    expect(storage.names()).toEqual([])
  })

  it('does nothing offline', async () => {
    const { fetch } = fakeFetch(204)
    const { ctx, clock, state, storage } = context()
    state.online = false
    storage.set(OUTBOX, JSON.stringify([entry('A', clock.t)]))
    await settle(flush(ctx))
    expect(fetch).not.toHaveBeenCalled()
    expect(listed(storage)).toEqual([entry('A', clock.t)])
  })

  it('drops entries over 24 hours old and the oldest past 100, with debug lines', async () => {
    const { fetch } = fakeFetch(204)
    const { ctx, clock, storage, debug } = context()
    const claim: [string, number] = ['other-tab', clock.t + 60_000]
    const old = entry('old', clock.t - OUTBOX_TTL_MS, { claim })
    const young = entry('young', clock.t - OUTBOX_TTL_MS + 1, { claim })
    const rest = Array.from({ length: 104 }, (_, i) => entry(`n${i}`, clock.t - 100_000 + i, { claim }))
    storage.set(OUTBOX, JSON.stringify([...rest, old, young]))
    await settle(flush(ctx))
    expect(fetch).not.toHaveBeenCalled()
    const kept = listed(storage)
    expect(kept).toHaveLength(OUTBOX_MAX)
    // The day-old one goes; of the 105 left, the 5 oldest (young, n0 to n3) go.
    expect(kept.map((e) => e.id)).toEqual(rest.slice(4).map((e) => e.id))
    expect(debug).toContain('outbox: dropped 1 entries over 24 hours old')
    expect(debug).toContain('outbox full: dropped the 5 oldest')
  })

  it('keeps an entry just under 24 hours old', async () => {
    fakeFetch(204)
    const { ctx, clock, storage } = context()
    const young = entry('young', clock.t - OUTBOX_TTL_MS + 1, { claim: ['other-tab', clock.t + 60_000] })
    storage.set(OUTBOX, JSON.stringify([young]))
    await settle(flush(ctx))
    expect(listed(storage)).toEqual([young])
  })

  it('never throws, whatever the outbox holds', async () => {
    fakeFetch(204)
    const { ctx, storage } = context()
    storage.set(OUTBOX, '{"not":"a list"}')
    storage.set(`${OUTBOX}:X`, 'garbage')
    await expect(settle(flush(ctx))).resolves.toBeUndefined()
  })
})

describe('consent levels: strip, allowed, restrict', () => {
  const V3 = 'https://c.example/api/storefront/v3/notifications/click'
  const full = `${V3}?customerKey=c%201&market=UK&sessionKey=s-1`

  it('strip keeps only what a level may send, and says it in userContext; an entry already below stays as it is', () => {
    expect(strip(full, 2)).toBe(`${V3}?market=UK&sessionKey=s-1&userContext=UNPERSONALIZED`)
    expect(strip(full, 1)).toBe(`${V3}?market=UK&userContext=ANONYMOUS`)
    expect(strip(`${V3}?market=UK&userContext=ANONYMOUS`, 2)).toBe(`${V3}?market=UK&userContext=ANONYMOUS`)
    expect(strip(strip(full, 2), 2)).toBe(strip(full, 2))
  })

  it('allowed: a page sends only what its level may; without a level (the ESM entry\'s tests, granted) everything', () => {
    const e = (url: string) => ({ url, t: 0 })
    expect([3, 2, 1].map((level) => allowed(e(full), level))).toEqual([true, false, false])
    expect([3, 2, 1].map((level) => allowed(e(strip(full, 2)), level))).toEqual([true, true, false])
    expect([3, 2, 1].map((level) => allowed(e(strip(full, 1)), level))).toEqual([true, true, true])
    expect(allowed(e(full))).toBe(true)
  })

  it('a page at a lower level strips what it claims, and sends it stripped', async () => {
    const { urls } = fakeFetch(204)
    const { ctx, clock, storage } = context()
    storage.set(OUTBOX, JSON.stringify([{ id: 'A', url: full, body: '{}', t: clock.t }]))
    ctx.level = 2
    await settle(flush(ctx))
    expect(urls).toEqual([strip(full, 2)])
  })

  it('a restrict while a flush of the same page settles its claims sends each entry once', async () => {
    // A cluster that answers after 300 ms: both flushes are still at work when the other comes to an entry.
    const bodies: string[] = []
    const fetch = vi.fn(async (input: Request) => {
      bodies.push(await input.clone().text())
      await new Promise((done) => setTimeout(done, 300))
      return new Response(null, { status: 204 })
    })
    vi.stubGlobal('fetch', fetch)
    const { ctx, clock, storage } = context()
    storage.set(OUTBOX, JSON.stringify([{ id: 'A', url: full, body: '"A"', t: clock.t }, { id: 'B', url: full, body: '"B"', t: clock.t }]))
    // The online event's flush claims both and waits SETTLE_MS; the consent change comes meanwhile,
    // takes this page's claims back and flushes again.
    const first = flush(ctx)
    await vi.advanceTimersByTimeAsync(SETTLE_MS / 2)
    ctx.level = 2
    await settle(Promise.all([first, restrict(ctx)]))
    expect(bodies.sort()).toEqual(['"A"', '"B"'])
    expect(storage.names()).toEqual([])
  })

  it('restrict to unpersonalized rewrites the outbox in storage, also offline, and sends it once online', async () => {
    const { urls } = fakeFetch(204)
    const local = memoryStore()
    vi.stubGlobal('localStorage', fakeLocal(local))
    const { ctx, clock, state } = context(local.store)
    local.store.set(OUTBOX, JSON.stringify([{ id: 'A', url: full, body: '{}', t: clock.t }]))
    state.online = false
    ctx.level = 2
    await settle(restrict(ctx))
    expect(listed(local.store).map((e) => e.url)).toEqual([strip(full, 2)])
    expect(urls).toEqual([])
    state.online = true
    await settle(flush(ctx))
    expect(urls).toEqual([strip(full, 2)])
  })

  it('restrict to anonymous moves the outbox out of localStorage at once, into memory, stripped; level 0 removes it', async () => {
    const { urls } = fakeFetch(204)
    const local = memoryStore()
    vi.stubGlobal('localStorage', fakeLocal(local))
    const { ctx, clock, state } = context(blockedStore())
    local.store.set(OUTBOX, JSON.stringify([{ id: 'A', url: full, body: '{}', t: clock.t }]))
    append(local.store, entry('B', clock.t))
    state.online = false
    ctx.level = 1
    const done = restrict(ctx)
    // Synchronously: nothing left in localStorage.
    expect(local.store.names()).toEqual([])
    await settle(done)
    state.online = true
    await settle(flush(ctx))
    expect(urls.sort()).toEqual([strip(full, 1), strip(URL_('B'), 1)].sort())
    local.store.set(OUTBOX, JSON.stringify([{ id: 'C', url: full, body: '{}', t: clock.t }]))
    ctx.level = 0
    await settle(restrict(ctx))
    expect(local.store.names()).toEqual([])
  })
})

/** A Storage over a memoryStore's data, for the chunk's own localStorage. */
function fakeLocal(local: ReturnType<typeof memoryStore>) {
  return {
    get length() { return local.data.size },
    key: (i: number) => [...local.data.keys()][i] ?? null,
    getItem: (name: string) => local.data.get(name) ?? null,
    setItem: (name: string, value: string) => { local.data.set(name, String(value)) },
    removeItem: (name: string) => { local.data.delete(name) }
  }
}
