// The key cookies on page responses, and the keys for the page's handler: Node's http and
// Express (middleware.ts), and web-standard Request/Response (web.ts).
import { allowedBy } from './consent.js'
import { decideCookies, checkCookieOptions } from './cookies.js'
import { readKeys } from './read.js'
import { isHttpsNode } from './scheme.js'
import type { ConsentLevel, KeyCookieOptions, Keys, KeysOptions, KeyState, NodeRequest, NodeResponse } from './types.js'

/**
 * Decides one request's keys and cookies: reads the keys, asks for the consent level, and
 * makes new keys where the level allows a cookie that is missing.
 * @param keys - the keys the request carries.
 * @param consent - the shop's consent callback's answer.
 * @param options - the cookie attributes and random source.
 * @param secure - whether the cookies get `Secure`.
 */
export function decide(keys: Partial<Keys>, consent: ConsentLevel, options: Omit<KeyCookieOptions, 'consent' | 'secure'>, secure: boolean): KeyState & { cookies: string[] } {
  const present = { customer: keys.customerKey != null, session: keys.sessionKey != null }
  const { keys: kept, cookies } = decideCookies(keys, allowedBy(consent), { ...options, secure }, present)
  return { keys: kept, consent, cookies }
}

/** Appends Set-Cookie values to a Node response, after those already set (Express's `res.cookie` appends too). */
export function appendSetCookie(res: NodeResponse, values: string[]): void {
  if (!values.length) return
  const before = res.getHeader('set-cookie')
  const list = before == null ? [] : Array.isArray(before) ? before : [String(before)]
  res.setHeader('set-cookie', [...list, ...values])
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
 * `denied` and `pending` none, and those present are removed. The cookies are appended to the
 * response's `Set-Cookie` header now; a handler that later calls `res.setHeader('Set-Cookie', …)`
 * replaces them (Express's `res.cookie` appends).
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
  checkCookieOptions(options, 'keysMiddleware()')
  return async (req, res, next) => {
    let state: KeyState & { cookies: string[] }
    try {
      const consent = options.consent ? await options.consent(req) : 'granted'
      state = decide(readKeys(req), consent, options, options.secure ?? isHttpsNode(req))
      appendSetCookie(res, state.cookies)
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
