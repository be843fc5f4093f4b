// How long sendPayment waits before its next attempt: what the cluster's Retry-After asks for,
// else an exponential backoff.

/** The first backoff, doubled on each retry, and its ceiling (ms). */
export const BACKOFF_MS = 500
export const MAX_BACKOFF_MS = 8000

/**
 * The wait that a `Retry-After` asks for, in ms (0 for a date in the past), or undefined where
 * there is none or it cannot be read.
 * @param retryAfter - the answer's `Retry-After` (seconds, or an HTTP date), or null.
 * @param now - the clock, for a date.
 */
export function askedWait(retryAfter: string | null | undefined, now: () => number): number | undefined {
  if (!retryAfter) return undefined
  const text = retryAfter.trim()
  const ms = /^\d+$/.test(text) ? Number(text) * 1000 : Date.parse(text) - now()
  return Number.isFinite(ms) ? Math.max(ms, 0) : undefined
}

/**
 * The wait before retry number `retry` (1 for the first): what `Retry-After` asks for (one
 * longer than the caller allows is the caller's to refuse, before it retries), else the backoff.
 * @param retry - which retry this is.
 * @param retryAfter - the answer's `Retry-After` (seconds, or an HTTP date), or null.
 * @param now - the clock, for a date.
 */
export function retryWait(retry: number, retryAfter: string | null | undefined, now: () => number): number {
  return askedWait(retryAfter, now) ?? Math.min(BACKOFF_MS * 2 ** (retry - 1), MAX_BACKOFF_MS)
}

/**
 * Whether an attempt's failure is worth another: network errors and timeouts, 429 and 5xx.
 * 400 (the payment is wrong), 403 (the key is) and every other 4xx would fail the same way again.
 * @param status - the answer's status, or undefined where none came.
 */
export const isRetriable = (status: number | undefined): boolean => status == null || status == 429 || status >= 500

/** A timer. */
export const timer = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms))
