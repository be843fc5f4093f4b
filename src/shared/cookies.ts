// The key cookies as both sides see them: their names, their lifetimes, and which value wins
// where a name appears more than once. The page reads `document.cookie` with this rule and the
// shop's server its `Cookie` header, so that both pick the same key.

/** The eSales cookie names, which shops' server code already reads. */
export const CUSTOMER_COOKIE = 'apptus.customerKey'
export const SESSION_COOKIE = 'apptus.sessionKey'
/** eSales asks for a new session key after this much inactivity; the session cookie lives as long. */
export const IDLE_MS = 30 * 60 * 1000
/** The customer cookie's lifetime in seconds (its `Max-Age`): a year. */
export const YEAR_S = 31_536_000

/**
 * A reader over one cookie string, as `document.cookie` shows it and a browser sends it in its
 * `Cookie` header (`a=1; b=2`). The reader gives a name's last value that passes `accept`,
 * percent-decoded: the browser lists deeper paths first, and among equal paths the older cookie
 * first (RFC 6265, 5.4), so the last is the newest on the shortest path, where the snippet and a
 * shop's server write.
 * @param cookies - the cookie string.
 */
export const cookieReader = (cookies: string) => (name: string, accept: (value: string) => boolean): string | undefined => {
  // A value runs from "; name=" to the next ";".
  const parts = ('; ' + cookies).split('; ' + name + '=')
  let last: string | undefined
  for (let i = 1; i < parts.length; i++) {
    let value = parts[i]!.split(';')[0]!
    // A server may percent-encode what it sets (Express does): user%3A42 is user:42.
    try { value = decodeURIComponent(value) } catch {}
    if (accept(value)) last = value
  }
  return last
}
