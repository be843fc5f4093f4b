// Finds out why a key cookie written with data-cookie-domain did not hold: the main script loads
// this only when the cookie it wrote cannot be read back.
import { page } from './defaults.js'
import { cookieJar, type CookieHost } from '../page/storage.js'
import type { Context } from '../page/transport.js'

/** The probe cookie's name: never a key, so a failed probe leaves the keys alone. */
export const PROBE = 'esales.probe'

/**
 * Tells a cookie domain that the browser refuses (a public suffix such as `co.uk`,
 * `github.io` or `myshopify.com`: browsers keep a list of them, too large for every page)
 * from a key cookie that is hidden (the server's `HttpOnly` one) or cookies that are blocked
 * altogether. It writes a probe cookie with the domain and one without: only when the
 * host-only one holds and the other does not is the domain at fault, and the error names the
 * attribute and the host. The keys work on from the mirror and memory either way.
 * @param context - the page's settings and log.
 * @param host - `document`, or a stand-in.
 * @param hostname - the page's host name.
 */
export function checkCookieDomain(context: Context, host: CookieHost = document, hostname: string = location.hostname): void {
  const ctx = page(context)
  const domain = ctx.cookieDomain
  if (!domain) return
  const holds = (jar: ReturnType<typeof cookieJar>) => {
    jar.set(PROBE, '1', 10)
    const held = jar.read()(PROBE, (v) => v == '1')
    jar.set(PROBE, '', 0)
    return !!held
  }
  // Without Secure: a probe needs none, and plain-http pages could not write one.
  if (holds(cookieJar(() => host, false, domain))) return ctx.log.debug(`data-cookie-domain="${domain}" holds; a key cookie is hidden (HttpOnly?)`)
  if (!holds(cookieJar(() => host, false))) return ctx.log.debug('cookies are blocked: the keys live in localStorage and memory')
  ctx.log.error(`data-cookie-domain="${domain}" does not hold on ${hostname}: the browser refuses cookies for that domain (a public suffix such as co.uk, github.io or myshopify.com), so your server never sees the keys. Use your shop's own domain (such as shop.co.uk), or leave data-cookie-domain out.`)
}
