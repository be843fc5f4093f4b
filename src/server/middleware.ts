// The key cookies on page responses, and the keys for the page's handler: Node's http and
// Express (middleware.ts), and web-standard Request/Response (web.ts).
import { allowedBy, consentLevel } from './consent.js'
import { decideCookies, checkCookieOptions } from './cookies.js'
import { keyCookiesPresent, readKeys } from './read.js'
import { isHttpsNode } from './scheme.js'
import type { KeyCookieOptions, KeySource, KeysOptions, KeyState, NodeRequest, NodeResponse } from './types.js'

/**
 * Decides one request's keys and cookies: reads the keys, reads the consent callback's answer
 * as a level, makes new keys where the level allows a cookie that is missing, and removes each
 * key cookie that the level does not allow, whatever it holds.
 * @param source - the request.
 * @param answer - the shop's consent callback's answer, or `true` where there is no callback.
 * @param options - the cookie attributes and random source.
 * @param secure - whether the cookies get `Secure`.
 * @param where - who asked, for the message about an unexpected answer.
 */
export function decide(source: KeySource, answer: unknown, options: Omit<KeyCookieOptions, 'consent' | 'secure'>, secure: boolean, where: string): KeyState & { cookies: string[] } {
  const consent = consentLevel(answer, `${where}: consent(request) returned`)
  const { keys, cookies } = decideCookies(readKeys(source), allowedBy(consent), { ...options, secure }, keyCookiesPresent(source))
  return { keys, consent, cookies }
}

/**
 * Checks the options of the middleware and the wrapper once, where the shop passes them.
 * @param options - what the shop passed.
 * @param where - the function's name, for the message.
 */
export function checkKeysOptions(options: KeysOptions<never>, where: string): void {
  checkCookieOptions(options, where)
  if (options.consent != null && typeof options.consent != 'function') {
    throw new TypeError(`esales-snippet/server: ${where}: consent must be a function that gives the request's level, such as (req) => levelOf(req), not ${typeof options.consent}`)
  }
}

/** Appends Set-Cookie values to a Node response, after those already set (Express's `res.cookie` appends too). */
export function appendSetCookie(res: NodeResponse, values: string[]): void {
  if (!values.length) return
  const before = res.getHeader('set-cookie')
  const list = before == null ? [] : Array.isArray(before) ? before : [String(before)]
  res.setHeader('set-cookie', [...list, ...values])
}

/**
 * Marks a response that carries key cookies as for this shopper only (`Cache-Control: private`),
 * where it says nothing of caching yet: a shared cache (a CDN, Varnish) must not hand one
 * visitor's keys to the next. A `Vary: Cookie` would not do: a new visitor sends no cookie, as
 * the next new visitor does, and would get the first one's keys.
 * @param res - the Node response.
 * @param cookies - the Set-Cookie values added.
 */
export function keepPrivate(res: NodeResponse, cookies: string[]): void {
  if (cookies.length && res.getHeader('cache-control') == null) res.setHeader('cache-control', 'private')
}

/**
 * A middleware for Node's `http` and Express that creates or renews the key cookies on the
 * responses it sees, as far as the shopper's consent allows, and gives the handler the keys.
 * Mount it where your pages are served (after static files), so that the first page a new
 * visitor gets already carries the keys that the snippet then adopts. The keys are at
 * `res.locals.esales` in Express (`{ keys, consent }`), and the returned promise gives them in
 * plain Node.
 *
 * With `consent`, each request's level decides: `granted` (the default) both cookies;
 * `unpersonalized` the session cookie, and the customer cookie is removed; `anonymous`,
 * `denied` and `pending` none, and those present are removed, whatever they hold. The callback
 * may answer `true` or `false` and a level in any case; `null` or `undefined` (no consent
 * cookie yet) is `pending`, and so is anything else, with one `console.error` per distinct
 * value: the page is served, and nothing is tracked by mistake. The cookies are appended to the
 * response's `Set-Cookie` header now; a handler that later calls `res.setHeader('Set-Cookie', …)`
 * replaces them (Express's `res.cookie` appends). A response that gets key cookies and has no
 * `Cache-Control` yet gets `Cache-Control: private`, so that no shared cache keeps one shopper's
 * keys for others; do not run it on responses that a shared cache may keep.
 *
 * @example
 * // Express
 * app.use(express.static('public'))
 * app.use(keysMiddleware({ domain: 'shop.example', consent: (req) => req.cookies.consent ?? 'pending' }))
 * app.get('/', (req, res) => res.render('home', { keys: res.locals.esales.keys }))
 * // Node's http
 * const keys = keysMiddleware()
 * createServer(async (req, res) => { const { keys: k } = await keys(req, res); res.end(page(k)) })
 * @param options - `consent(req)`, `domain`, `secure` (default: the request's scheme), `random`.
 */
export function keysMiddleware<Req extends NodeRequest = NodeRequest>(options: KeysOptions<Req> = {}):
  (req: Req, res: NodeResponse, next?: (error?: unknown) => void) => Promise<KeyState> {
  checkKeysOptions(options, 'keysMiddleware()')
  return async (req, res, next) => {
    let state: KeyState & { cookies: string[] }
    try {
      const answer = options.consent ? await options.consent(req) : true
      state = decide(req, answer, options, options.secure ?? isHttpsNode(req), 'keysMiddleware()')
      appendSetCookie(res, state.cookies)
      keepPrivate(res, state.cookies)
    } catch (error) {
      if (!next) throw error
      next(error)
      // Express handles the error; the promise's value is for plain Node, which passes no next.
      return { keys: {}, consent: 'denied' }
    }
    const result: KeyState = { keys: state.keys, consent: state.consent }
    if (res.locals && typeof res.locals == 'object') res.locals.esales = result
    next?.()
    return result
  }
}
