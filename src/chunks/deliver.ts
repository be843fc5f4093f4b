// Sending one outbox entry with ky, and what the answer means for it: delivered, refused for
// good, or tried again later (within a bound).
import ky, { HTTPError } from 'ky'
import type { Logger } from '../page/log.js'
import type { Entry } from '../page/outbox.js'

/** An entry gets at most this many requests, on every page together; then it is dropped. */
export const TRIES_MAX = 6
/** Statuses that say the request itself is wrong: sending it again would get the same answer. */
const REFUSED: Record<number, 1> = { 400: 1, 413: 1, 422: 1 }
/** Statuses of a proxy or endpoint that does not route to eSales (yet): tried again within the bound. */
const MISROUTED: Record<number, 1> = { 401: 1, 403: 1, 404: 1, 405: 1 }
/** A body past this many bytes cannot go with `keepalive` (the Fetch spec's 64 KiB in-flight quota). */
const KEEPALIVE_MAX = 60_000
/**
 * Ids of entries whose keepalive request is on the wire, or was answered for good, and that are
 * still in the outbox (their removal waits for the lock): at pagehide they count as handed over.
 */
export const handedOver = new Map<string, object>()
/**
 * The sends this page has begun, by entry id, and how many requests each has made so far. ky
 * puts its request on the wire a few tasks later, and waits between retries: a page that goes
 * away meanwhile stops the send (`pagehide` hands the entry over itself, or keeps it, counting
 * the requests made).
 */
export const sending = new Map<string, { stop: AbortController; requests: number }>()

/**
 * Counts the moves down of the consent level: a retry that ky waits for carries the keys of its
 * first request, so one that was due after a move down stops (`ky.stop`), and its entry is sent
 * again, stripped (replay.ts).
 */
export const moves = { down: 0 }

/** What became of one attempt: delivered (or refused for good), or not, and how many requests it took; `stopped` by `pagehide`, which has seen to the entry. */
export interface Attempt { settled: boolean; requests: number; stopped?: boolean; again?: boolean }

/**
 * POSTs an entry with ky: the same `text/plain` body as the beacon and no custom headers (they
 * would force a CORS preflight), `keepalive` so that it survives the page, a 10 s timeout, and
 * on its first page up to 2 retries with backoff and full jitter on network errors, timeouts,
 * 408, 429 and 5xx (`Retry-After` honoured on 429 and 503). Later pages try it once each.
 * @param entry - the entry; its `tries` so far limit the retries.
 * @param log - the debug log.
 */
export async function deliver(entry: Entry, log: Logger): Promise<Attempt> {
  const { id, url, body } = entry
  const tries = entry.tries || 0
  const keepalive = new Blob([body || '']).size < KEEPALIVE_MAX
  const work = { stop: new AbortController(), requests: 0 }
  const at = moves.down
  sending.set(id!, work)
  try {
    const res = await ky.post(url, {
      body,
      keepalive,
      signal: work.stop.signal,
      // Counts each request, and marks it while it is on the wire: ky's backoff waits do not count.
      fetch: (input, init) => {
        work.requests++
        if (!keepalive) return fetch(input, init)
        const request = {}
        const mine = () => handedOver.get(id!) == request && handedOver.delete(id!)
        handedOver.set(id!, request)
        return fetch(input, init).then((res) => {
          // Answered, but to be tried again: not handed over after all.
          res.ok || REFUSED[res.status] || mine()
          return res
        }, (error) => {
          // A page that goes away makes its keepalive requests fail at once, before its pagehide
          // listeners run (seen in Chromium 156), although the browser still sends them (Fetch,
          // keepalive). Only a failure that the page outlives is one: decide in a later task.
          setTimeout(mine)
          throw error
        })
      },
      timeout: 10_000,
      hooks: { beforeRetry: [() => moves.down != at ? ky.stop : undefined] },
      retry: {
        limit: Math.max(0, Math.min(tries ? 0 : 2, TRIES_MAX - tries - 1)),
        methods: ['post'],
        statusCodes: [408, 429, 500, 502, 503, 504],
        afterStatusCodes: [429, 503],
        maxRetryAfter: 60_000,
        backoffLimit: 8_000,
        jitter: true,
        retryOnTimeout: true
      }
    })
    // ky.stop resolves with no response: the level went down, and the entry goes again, stripped.
    if (!res) return { settled: false, requests: work.requests, again: true }
    log.debug('sent with fetch', res.status, url)
    return { settled: true, requests: work.requests }
  } catch (error) {
    let status = error instanceof HTTPError ? error.response.status : 0
    let reason = ''
    const name = (error as Error)?.name
    if (!work.requests && name != 'AbortError') {
      // ky's own code failed before its request: a built-in it relies on is missing (Object.hasOwn
      // came in Chrome 93, Firefox 92, Safari 15.4) or broken by the page (Array.prototype.includes,
      // map, filter). One plain keepalive fetch instead.
      try {
        const res = await fetch(url, { method: 'POST', body, keepalive })
        work.requests++
        if (res.ok) return { settled: true, requests: 1 }
        status = res.status
        reason = await res.text().catch(() => '')
      } catch (plain) {
        error = plain
      }
    }
    if (REFUSED[status]) {
      reason ||= await (error as HTTPError).response?.text().catch(() => '') || ''
      log.debug('dropped: eSales answered', status, reason)
      return { settled: true, requests: work.requests }
    }
    if (name == 'AbortError') return { settled: false, requests: work.requests, stopped: true }
    log.debug('not delivered, kept in the outbox:', MISROUTED[status] ? `eSales answered ${status}; does data-endpoint route to eSales?` : status ? `eSales answered ${status}` : String(error))
    return { settled: false, requests: work.requests || 1 }
  } finally {
    sending.delete(id!)
  }
}

/**
 * Sends an entry now with a plain keepalive `fetch`, for a page that goes away (`pagehide`):
 * the request outlives the page, as a beacon does, and nothing waits for its answer.
 * @returns true when the request went out (then the entry counts as handed over).
 */
export function handOver(entry: Entry): boolean {
  try {
    fetch(entry.url, { method: 'POST', body: entry.body, keepalive: true }).catch(() => {})
    return true
  } catch {
    return false
  }
}
