// @ts-check
// What the page can do with the cluster's answer, in words for the live log and the command
// line. A page never sees the answer to a beacon: a notification that a beacon delivered to a
// fault is lost. It sees the answer to its fetch (ky), and sends the notification again after
// a fault, unless the answer had no CORS headers for its origin, which it cannot read at all.

/** How many requests the snippet makes for one notification at most, on every page together. */
export const TRIES_MAX = 6

/**
 * How the browser sent a request, from its `Sec-Fetch-Mode` header. `navigator.sendBeacon` with
 * a string body (a CORS-safelisted `text/plain` one, which is what the snippet sends) arrives as
 * `no-cors`; a page's `fetch`, ky's included, as `cors` (Chromium 156, Firefox 153 and WebKitGTK
 * 2.50 all send these). Without the header (curl, a browser that does not send it) it is unknown.
 * @param {string | string[] | undefined} mode the Sec-Fetch-Mode header
 * @returns {'beacon' | 'fetch' | undefined}
 */
export function transportOf(mode) {
  if (mode == 'no-cors') return 'beacon'
  if (mode == 'cors' || mode == 'same-origin') return 'fetch'
  return undefined
}

/**
 * @typedef {object} Answer what a request was and what it got
 * @property {'beacon' | 'fetch' | undefined} transport how it was sent
 * @property {number} status the answer's status; 0 for a dropped connection
 * @property {string | undefined} origin the request's Origin header
 * @property {boolean} cors whether the answer carried CORS headers for that origin
 * @property {number} [retryAfter] the answer's Retry-After, in seconds
 */

/**
 * Whether a page's fetch cannot read its answer: it came from an origin (a page) and the answer
 * had no CORS headers for it. A request without an Origin header came from no page.
 * @param {Answer} r
 */
const unreadable = (r) => r.transport == 'fetch' && !!r.origin && !r.cors

/**
 * Whether the page that sent a request takes its answer as a failure that it tries again: a
 * dropped connection or a server error that it can read, or any answer it cannot read. A
 * beacon's answer is never read, so a beacon is never tried again.
 * @param {Answer} r
 */
export function triedAgain(r) {
  return r.transport == 'fetch' && (unreadable(r) || r.status == 0 || r.status >= 500)
}

/**
 * What becomes of a notification, as its page sees this answer; '' where there is nothing to
 * say (an answer that was accepted and read).
 * @param {Answer} r
 */
export function fate(r) {
  const { transport, status, retryAfter } = r
  const ok = status >= 200 && status < 300
  if (transport == 'beacon') return ok ? '' : 'sent by beacon: the page cannot see this answer, the notification is lost'
  if (transport == 'fetch') {
    if (unreadable(r)) {
      return 'sent by fetch from an origin this cluster answers without CORS headers: the page cannot read the answer, ' +
        `takes it for a network error and sends the notification again (at most ${TRIES_MAX} tries)`
    }
    if (ok) return ''
    if (status == 400) return 'sent by fetch: the page reads the 400 and drops the notification (it would get the same answer again)'
    const again = `sends the notification again (ky retries, then the outbox: at most ${TRIES_MAX} tries in all)`
    if (status == 0) return `sent by fetch: the connection dropped; the page sees a network error and ${again}`
    if (retryAfter != null && (status == 503 || status == 429)) return `sent by fetch: the page reads this answer and ${again}, the next after ${retryAfter} s (Retry-After)`
    return `sent by fetch: the page reads this answer and ${again}`
  }
  return ok ? '' : 'sent without a Sec-Fetch-Mode header, so the log cannot tell: by beacon the notification is lost, by fetch the page sends it again'
}
