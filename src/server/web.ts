// The middleware's web-standard twin: a Request handler whose Response gets the key cookies
// (Next.js route handlers and middleware, Cloudflare Workers, Deno, Bun).
import { checkKeysOptions, decide } from './middleware.js'
import { isHttpsRequest } from './scheme.js'
import type { KeysOptions, KeyState } from './types.js'

/**
 * Adds Set-Cookie values to a response. A response whose headers cannot change (from `fetch`,
 * or `Response.redirect`) is copied first.
 * @param response - the handler's response.
 * @param values - the Set-Cookie values.
 */
export function withSetCookie(response: Response, values: string[]): Response {
  if (!values.length) return response
  try {
    for (const value of values) response.headers.append('set-cookie', value)
    return response
  } catch {
    // Immutable headers throw on the first append, before any value was added.
    const copy = new Response(response.body, response)
    for (const value of values) copy.headers.append('set-cookie', value)
    return copy
  }
}

/**
 * Adds the key cookies to a response and, where it says nothing of caching yet, marks it as for
 * this shopper only (`Cache-Control: private`), as `keepPrivate` does for Node.
 * @param response - the handler's response.
 * @param values - the key cookies' Set-Cookie values.
 */
export function withKeyCookieHeaders(response: Response, values: string[]): Response {
  const out = withSetCookie(response, values)
  if (values.length && !out.headers.has('cache-control')) out.headers.set('cache-control', 'private')
  return out
}

/**
 * Wraps a web-standard handler so that its responses create or renew the key cookies, as far
 * as the shopper's consent allows, and the handler gets the keys: the first page a new visitor
 * gets already carries the keys that the snippet then adopts. The handler's other arguments
 * (a route's context) are passed on after the keys. The consent callback's answer is read as
 * `keysMiddleware` reads it: an unexpected one is `pending`, logged once per value. A response
 * that gets key cookies and has no `Cache-Control` gets `Cache-Control: private`, so that no
 * shared cache keeps one shopper's keys for others.
 *
 * @example
 * // Next.js: app/page-data/route.ts, or any route that renders a page
 * export const GET = withKeyCookies(async (request, { keys }) => new Response(render(keys), { headers: { 'content-type': 'text/html' } }))
 * // Next.js middleware.ts
 * export const middleware = withKeyCookies(() => NextResponse.next(), { consent: (r) => levelOf(r) })
 * @param handler - your handler; its second argument is `{ keys, consent }`.
 * @param options - `consent(request)`, `domain`, `secure` (default: the request's scheme), `random`.
 */
export function withKeyCookies<Req extends Request, Rest extends unknown[]>(
  handler: (request: Req, state: KeyState, ...rest: Rest) => Response | Promise<Response>,
  options: KeysOptions<Req> = {}
): (request: Req, ...rest: Rest) => Promise<Response> {
  checkKeysOptions(options, 'withKeyCookies()')
  return async (request, ...rest) => {
    const answer = options.consent ? await options.consent(request) : true
    const { cookies, ...state } = decide(request, answer, options, options.secure ?? isHttpsRequest(request), 'withKeyCookies()')
    return withKeyCookieHeaders(await handler(request, state, ...rest), cookies)
  }
}
