// The shopper's keys from the request's cookies, by the snippet's own rule (shared/cookies.ts),
// so that the server picks the very key that the page sends with its clicks.
import { cookieReader, CUSTOMER_COOKIE, SESSION_COOKIE } from '../shared/cookies.js'
import { isSafeToken } from '../shared/token.js'
import { describe } from './describe.js'
import type { KeySource, Keys } from './types.js'

/**
 * The `Cookie` header of any source, as one string. Browsers send one header, `a=1; b=2`, as
 * `document.cookie` shows it; where a client split it in several (HTTP/2 may), Node and
 * `Headers` join them with `; ` already.
 * @param source - a header value, `Headers`, a `Request` or a Node request.
 */
export function cookieHeader(source: KeySource): string {
  if (source == null) return ''
  if (typeof source == 'string') return source
  const headers: unknown = typeof source == 'object' && 'headers' in source ? source.headers : source
  if (!headers || typeof headers != 'object' || Array.isArray(headers)) {
    throw new TypeError(`esales-snippet/server: readKeys(): takes a Cookie header's value (a string), Headers, a Request or a Node request (an object with headers), not ${describe(source)}`)
  }
  if (typeof (headers as Headers).get == 'function') return (headers as Headers).get('cookie') ?? ''
  // A plain object's names may be in any case ({ Cookie: … }), where Node's are in lower case.
  const values: string[] = []
  for (const [name, value] of Object.entries(headers)) {
    if (name.toLowerCase() != 'cookie') continue
    for (const v of Array.isArray(value) ? value : [value]) if (typeof v == 'string') values.push(v)
  }
  return values.join('; ')
}

/**
 * Reads the shopper's customer and session keys from the `apptus.customerKey` and
 * `apptus.sessionKey` cookies, with the snippet's rule: a key is a safe token (1 to 128
 * characters of `A-Za-z0-9._~:-`) after percent-decoding, and where a name appears more than
 * once, the last value that passes wins (the newest on the shortest path). Names are matched
 * case-sensitively, as browsers do; separators without the space (`a=1;b=2`, as some
 * non-browser clients write them) read the same as `a=1; b=2`.
 *
 * @example
 * const keys = readKeys(request) // { customerKey: '…', sessionKey: '…' }, or fewer
 * @param source - a `Cookie` header value, `Headers`, a `Request`, or a Node `IncomingMessage` (Express's `req`); for a plain object, the header's name is read in any case (`Cookie`, `cookie`). `null` and `undefined` give `{}`.
 * @returns the keys found; a key that is missing or not safe is left out.
 * @throws TypeError for anything else (a number, an array), naming what it takes.
 */
export function readKeys(source: KeySource): Partial<Keys> {
  const read = reader(source)
  const customerKey = read(CUSTOMER_COOKIE, isSafeToken)
  const sessionKey = read(SESSION_COOKIE, isSafeToken)
  return { ...(customerKey && { customerKey }), ...(sessionKey && { sessionKey }) }
}

/**
 * Which key cookies the request has, whatever their values: a cookie that is not a key (an
 * e-mail address a shop once wrote, a quoted or empty value) is still one to remove where the
 * consent level allows none.
 * @param source - as for `readKeys`.
 */
export function keyCookiesPresent(source: KeySource): { customer: boolean; session: boolean } {
  const read = reader(source)
  const any = () => true
  return { customer: read(CUSTOMER_COOKIE, any) != null, session: read(SESSION_COOKIE, any) != null }
}

/**
 * The snippet's cookie reader over a source's `Cookie` header, with separators written as
 * browsers write them.
 * @param source - as for `readKeys`.
 */
const reader = (source: KeySource) => cookieReader(cookieHeader(source).replace(/^ +/, '').replace(/; */g, '; '))
