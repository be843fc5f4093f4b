// The key cookies' Set-Cookie values, with the snippet's attributes, for the middleware, the
// wrapper, the proxy, and shops that write their headers themselves.
import { CUSTOMER_COOKIE, IDLE_MS, SESSION_COOKIE, YEAR_S } from '../shared/cookies.js'
import { isCookieDomain } from '../shared/settings.js'
import { isSafeToken } from '../shared/token.js'
import { uuid } from '../shared/uuid.js'
import { allowedBy, consentLevel, type Allowed } from './consent.js'
import { describe } from './describe.js'
import type { CookieOptions, KeyCookieOptions, Keys } from './types.js'

/** n cryptographically random bytes: Web Crypto, which Node 20, Deno, Bun and workers all have. */
export const cryptoRandom = (bytes: number): Uint8Array => globalThis.crypto.getRandomValues(new Uint8Array(bytes))

/**
 * Checks the cookie attributes once, where a shop passes them.
 * @param options - what the shop passed.
 * @param where - the function's name, for the message.
 */
export function checkCookieOptions(options: CookieOptions, where: string): void {
  const { domain, secure } = options
  if (domain != null && !isCookieDomain(domain)) {
    throw new TypeError(`esales-snippet/server: ${where}: domain must be a host name of two labels or more such as shop.example or .shop.example (the snippet's data-cookie-domain; ` +
      `labels of letters, digits and hyphens, no hyphen first or last; no IP address; none for host-only cookies), not ${describe(domain)}`)
  }
  if (secure != null && typeof secure != 'boolean') throw new TypeError(`esales-snippet/server: ${where}: secure must be true or false`)
}

/**
 * One Set-Cookie value, as the snippet writes its cookies: `Path=/`, `SameSite=Lax`, `Secure`
 * where asked, the `Domain` where one is set, never `HttpOnly` (the snippet reads them).
 * @param name - the cookie's name.
 * @param value - a safe token, or '' to remove the cookie.
 * @param seconds - its `Max-Age`; 0 removes it.
 * @param options - domain and secure.
 */
export const setCookie = (name: string, value: string, seconds: number, { domain, secure }: CookieOptions): string =>
  `${name}=${value}; Max-Age=${seconds}; Path=/; SameSite=Lax` + (secure ? '; Secure' : '') + (domain ? `; Domain=${domain}` : '')

/**
 * The cookies for what a consent level allows: each allowed key's cookie (the key given, or a
 * new one), and the removal of each cookie that is not allowed and was there: with a `domain`,
 * both the removal with that `Domain` and one without (a host-only copy).
 * @param keys - the keys to write; a missing one is made new where its cookie is allowed.
 * @param allowed - which cookies may exist.
 * @param present - which cookies the request had (only those are removed); all by default.
 * @param options - domain, secure and the random source.
 */
export function decideCookies(keys: Partial<Keys>, allowed: Allowed, options: Omit<KeyCookieOptions, 'consent'> & { secure: boolean },
  present: { customer: boolean; session: boolean } = { customer: true, session: true }): { keys: Partial<Keys>; cookies: string[] } {
  const fresh = () => uuid(options.random || cryptoRandom)
  const out: Partial<Keys> = {}
  const cookies: string[] = []
  // A host-only copy (from a proxy or a page without the Domain) is another cookie, which only a
  // removal without Domain reaches: a shopper who declined keeps no key in either.
  const remove = (name: string) => cookies.push(setCookie(name, '', 0, options), ...options.domain ? [setCookie(name, '', 0, { secure: options.secure })] : [])
  if (allowed.customer) cookies.push(setCookie(CUSTOMER_COOKIE, out.customerKey = keys.customerKey || fresh(), YEAR_S, options))
  else if (present.customer) remove(CUSTOMER_COOKIE)
  if (allowed.session) cookies.push(setCookie(SESSION_COOKIE, out.sessionKey = keys.sessionKey || fresh(), IDLE_MS / 1000, options))
  else if (present.session) remove(SESSION_COOKIE)
  return { keys: out, cookies }
}

/**
 * The `Set-Cookie` header values that create or renew the key cookies, with the snippet's
 * attributes: `apptus.customerKey` for a year and `apptus.sessionKey` for 30 minutes
 * (`Max-Age`), `Path=/`, `SameSite=Lax`, `Secure` (unless `secure: false`), the `Domain` given
 * (the snippet's `data-cookie-domain`), never `HttpOnly`. A key that is missing is made new
 * (UUID v4). With a consent level below `granted`, the values remove the cookies that the level
 * does not allow (`Max-Age=0`): `unpersonalized` keeps the session cookie only, `anonymous`,
 * `denied` and `pending` keep none. With a `domain`, each removal comes twice, with that `Domain`
 * and without one, so that a host-only copy of the cookie goes too. `consent` takes `true` and `false` too, and a level in any
 * case; `null` and anything unexpected are `pending` (the latter logged once per value).
 *
 * A cookie that the server sets is not capped at 7 days by Safari, as a cookie that script
 * writes is; the snippet adopts it.
 *
 * @example
 * for (const value of keyCookies(readKeys(request), { domain: 'shop.example' })) response.headers.append('set-cookie', value)
 * @param keys - the keys to write, usually `readKeys(request)`; `{}` or none makes both new.
 * @param options - `domain`, `secure` (default true), `consent` (default `granted`), `random`.
 * @throws TypeError for a key that is not a safe token, or a domain that is not a host name of two labels or more (`com`, an IP address).
 */
export function keyCookies(keys: Partial<Keys> = {}, options: KeyCookieOptions = {}): string[] {
  checkCookieOptions(options, 'keyCookies()')
  for (const name of ['customerKey', 'sessionKey'] as const) {
    // The value is not shown: a customer key that is not a token may be an e-mail address.
    if (keys[name] != null && !isSafeToken(keys[name])) throw new TypeError(`esales-snippet/server: keyCookies(): keys.${name} must be a safe token (1 to 128 characters of A-Za-z0-9._~:-)`)
  }
  // Not given: granted, the snippet's default. Given but null: pending, as the callbacks' null.
  const level = options.consent === undefined ? 'granted' : consentLevel(options.consent, 'keyCookies(): consent is')
  return decideCookies(keys, allowedBy(level), { ...options, secure: options.secure ?? true }).cookies
}
