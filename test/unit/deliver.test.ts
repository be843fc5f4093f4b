// deliver: one outbox entry sent with ky, through a fake fetch (ky reads the global one).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { deliver, handedOver, handOver, sending, TRIES_MAX, type Attempt } from '../../src/chunks/deliver'
import type { Entry } from '../../src/page/outbox'
import { captureLog } from './fakes'

type Answer = number | Error | (() => Promise<Response>)
/** A fetch that answers with these statuses (or throws these errors) in turn, and records each request. */
function fakeFetch(...answers: Answer[]) {
  const requests: { url: string; method: string; headers: [string, string][]; keepalive: boolean; body: string; onTheWire: boolean }[] = []
  const fetch = vi.fn(async (input: Request) => {
    requests.push({ url: input.url, method: input.method, headers: [...input.headers], keepalive: input.keepalive, body: await input.clone().text(), onTheWire: handedOver.has('E1') })
    const answer = answers.length > 1 ? answers.shift()! : answers[0]!
    if (answer instanceof Error) throw answer
    if (typeof answer == 'function') return answer()
    return new Response(answer == 204 ? null : `reason ${answer}`, { status: answer })
  })
  vi.stubGlobal('fetch', fetch)
  return { fetch, requests }
}

/** Runs the promise to its end, advancing the fake clock through ky's waits. */
async function settle<T>(promise: Promise<T>, stepMs = 50): Promise<T> {
  let done = false
  promise.then(() => { done = true }, () => { done = true })
  for (let i = 0; !done && i < 2000; i++) await vi.advanceTimersByTimeAsync(stepMs)
  if (!done) throw new Error('did not settle')
  return promise
}

const entry = (over: Partial<Entry> = {}): Entry => ({ id: 'E1', url: 'https://c.example/api/v2/notifications/click?customerKey=c&market=UK&sessionKey=s', body: '{"ticket":"T"}', t: 1, ...over })

beforeEach(() => { vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] }) })
afterEach(() => {
  vi.useRealTimers()
  vi.unstubAllGlobals()
})

describe('deliver', () => {
  it('POSTs the body as text/plain with keepalive and no other header; a 2xx settles it', async () => {
    const { requests } = fakeFetch(204)
    const { log, debug } = captureLog()
    expect(await settle(deliver(entry(), log))).toEqual<Attempt>({ settled: true, requests: 1 })
    expect(requests).toEqual([{ url: entry().url, method: 'POST', headers: [['content-type', 'text/plain;charset=UTF-8']], keepalive: true, body: '{"ticket":"T"}', onTheWire: true }])
    expect(debug).toEqual([`sent with fetch 204 ${entry().url}`])
  })

  it('marks the entry as handed over from its keepalive request on: the outbox lets it go (replay clears the mark)', async () => {
    fakeFetch(204)
    const { log } = captureLog()
    await settle(deliver(entry(), log))
    expect(handedOver.has('E1')).toBe(true)
    handedOver.clear()
  })

  it('does not count as handed over a request answered to be tried again, nor one that failed while the page lived on', async () => {
    fakeFetch(503)
    const { log } = captureLog()
    await settle(deliver(entry({ tries: 5 }), log))
    expect(handedOver.has('E1')).toBe(false)
    fakeFetch(new TypeError('Failed to fetch'))
    await settle(deliver(entry({ tries: 5 }), log))
    expect(handedOver.has('E1')).toBe(false)
  })

  it('keeps a failed keepalive request handed over until a later task: a page that goes away fails its requests before its pagehide listeners run', async () => {
    fakeFetch(new TypeError('Failed to fetch'))
    const { log } = captureLog()
    const done = deliver(entry({ tries: 5 }), log)
    // The request failed, and no task has run since: pagehide would see it as handed over.
    await vi.advanceTimersByTimeAsync(0).catch(() => {})
    await Promise.resolve()
    await settle(done)
    expect(handedOver.has('E1')).toBe(false)
  })

  it('keeps the send it began in sending, to stop it at pagehide, until it ends', async () => {
    fakeFetch(204)
    const { log } = captureLog()
    const done = deliver(entry(), log)
    expect(sending.has('E1')).toBe(true)
    await settle(done)
    expect(sending.has('E1')).toBe(false)
    handedOver.clear()
  })

  it('a send stopped (aborted) at pagehide is not settled, says so, counts the requests it made, and logs nothing', async () => {
    fakeFetch(() => new Promise<Response>(() => {}))
    const { log, debug } = captureLog()
    const done = deliver(entry(), log)
    await vi.waitFor(() => expect(sending.get('E1')!.requests).toBe(1))
    sending.get('E1')!.stop.abort()
    expect(await settle(done)).toEqual<Attempt>({ settled: false, requests: 1, stopped: true })
    expect(debug).toEqual([])
    handedOver.clear()
  })

  it('handOver sends a plain keepalive POST at once, without waiting for its answer', () => {
    const fetch = vi.fn(() => new Promise<Response>(() => {}))
    vi.stubGlobal('fetch', fetch)
    expect(handOver(entry())).toBe(true)
    expect(fetch).toHaveBeenCalledWith(entry().url, { method: 'POST', body: '{"ticket":"T"}', keepalive: true })
    vi.stubGlobal('fetch', () => { throw new TypeError('broken by the page') })
    expect(handOver(entry())).toBe(false)
  })

  it('sends a body of 60 KB or more without keepalive (the 64 KiB quota), and not as on the wire', async () => {
    const { requests } = fakeFetch(204)
    const { log } = captureLog()
    await settle(deliver(entry({ body: `{"ticket":"${'x'.repeat(60_000)}"}` }), log))
    expect(requests.map((r) => [r.keepalive, r.onTheWire])).toEqual([[false, false]])
  })

  it('sends an end notification without a body', async () => {
    const { requests } = fakeFetch(204)
    const { log } = captureLog()
    await settle(deliver(entry({ body: undefined }), log))
    expect(requests[0]!.body).toBe('')
  })

  it.each([400, 413, 422])('settles (drops) at once on %i, and logs the reason', async (status) => {
    const { fetch } = fakeFetch(status)
    const { log, debug } = captureLog()
    expect(await settle(deliver(entry(), log))).toEqual({ settled: true, requests: 1 })
    expect(fetch).toHaveBeenCalledTimes(1)
    expect(debug).toEqual([`dropped: eSales answered ${status} reason ${status}`])
  })

  it.each([401, 403, 404, 405])('does not settle on %i, tries once, and asks whether data-endpoint routes to eSales', async (status) => {
    const { fetch } = fakeFetch(status)
    const { log, debug } = captureLog()
    expect(await settle(deliver(entry(), log))).toEqual({ settled: false, requests: 1 })
    expect(fetch).toHaveBeenCalledTimes(1)
    expect(debug).toEqual([`not delivered, kept in the outbox: eSales answered ${status}; does data-endpoint route to eSales?`])
  })

  it('on its first page, retries a network error twice: 3 requests, not settled', async () => {
    const { fetch } = fakeFetch(new TypeError('Failed to fetch'))
    const { log, debug } = captureLog()
    expect(await settle(deliver(entry(), log))).toEqual({ settled: false, requests: 3 })
    expect(fetch).toHaveBeenCalledTimes(3)
    expect(debug).toEqual(['not delivered, kept in the outbox: TypeError: Failed to fetch'])
  })

  it.each([408, 429, 500, 502, 503, 504])('on its first page, retries %i and settles when a retry gets through', async (status) => {
    const { fetch } = fakeFetch(status, status, 204)
    const { log } = captureLog()
    expect(await settle(deliver(entry(), log))).toEqual({ settled: true, requests: 3 })
    expect(fetch).toHaveBeenCalledTimes(3)
  })

  it('on a later page (tries > 0), tries once', async () => {
    for (const answer of [500, new TypeError('Failed to fetch')]) {
      const { fetch } = fakeFetch(answer)
      const { log } = captureLog()
      expect(await settle(deliver(entry({ tries: 3 }), log))).toEqual({ settled: false, requests: 1 })
      expect(fetch).toHaveBeenCalledTimes(1)
    }
  })

  it(`never retries past ${TRIES_MAX} requests in all`, async () => {
    const { fetch } = fakeFetch(500)
    const { log } = captureLog()
    expect(await settle(deliver(entry({ tries: TRIES_MAX - 1 }), log))).toEqual({ settled: false, requests: 1 })
    expect(fetch).toHaveBeenCalledTimes(1)
  })

  it('honours Retry-After on 429', async () => {
    const { fetch } = fakeFetch(() => Promise.resolve(new Response('', { status: 429, headers: { 'Retry-After': '5' } })), 204)
    const { log } = captureLog()
    const done = deliver(entry(), log)
    await vi.advanceTimersByTimeAsync(4_900)
    expect(fetch).toHaveBeenCalledTimes(1)
    await vi.advanceTimersByTimeAsync(200)
    expect(fetch).toHaveBeenCalledTimes(2)
    expect(await settle(done)).toEqual({ settled: true, requests: 2 })
  })

  it('times out after 10 s and counts the request', async () => {
    const { fetch } = fakeFetch(() => new Promise<Response>(() => {}))
    const { log, debug } = captureLog()
    const done = deliver(entry({ tries: 1 }), log)
    let result: Attempt | undefined
    void done.then((r) => { result = r })
    await vi.advanceTimersByTimeAsync(9_900)
    expect(result).toBeUndefined()
    await vi.advanceTimersByTimeAsync(200)
    expect(result).toEqual({ settled: false, requests: 1 })
    expect(fetch).toHaveBeenCalledTimes(1)
    expect(debug[0]).toMatch(/^not delivered, kept in the outbox: TimeoutError/)
  })
})
