// A first-party endpoint for the snippet (data-endpoint="/esales"): it forwards the snippet's
// notifications to the cluster and nothing else, and renews the key cookies that the shopper's
// browser sent, so that they are cookies from the shop's own server.
import { CUSTOMER_COOKIE, IDLE_MS, SESSION_COOKIE, YEAR_S } from '../shared/cookies.js'
import { LOCAL_HOST } from '../shared/settings.js'
import { readLimited } from './body.js'
import { allowedByUserContext } from './consent.js'
import { checkCookieOptions, setCookie } from './cookies.js'
import { ROUTES } from './names.js'
import { readKeys } from './read.js'
import { isHttpsRequest } from './scheme.js'
import { clusterBase } from './target.js'
import { withSetCookie } from './web.js'
import type { CookieOptions, ProxyOptions } from './types.js'

/** The largest body forwarded: the browser's keepalive quota (beacons share it), 64 KiB. */
export const MAX_BODY = 64 * 1024

// Statuses whose response has no body (the Response constructor refuses one).
const NO_BODY = [101, 103, 204, 205, 304]

// The Fetch standard's request modes: what a browser's Sec-Fetch-Mode says, and nothing else.
const FETCH_MODES = ['cors', 'no-cors', 'same-origin', 'navigate', 'websocket']

/**
 * Whether a base URL is on this machine: localhost, a name under .localhost (RFC 6761), 127.0.0.0/8
 * or [::1]. The local cluster is; eSales is not.
 * @param base - the cluster's base URL.
 */
export const isLocalTarget = (base: string): boolean => LOCAL_HOST.test(new URL(base).hostname)

// A base path: segments of URL-safe characters, no trailing slash; '' for the root.
const BASE_PATH = /^(\/[\w.~-]+)*$/

/**
 * Where a path that ends in a notification route has it: what comes before the route (the
 * path the proxy is mounted on), or undefined for any other path.
 * @param pathname - the request's path.
 */
export function mountOf(pathname: string): string | undefined {
  for (const [prefix, names] of ROUTES) {
    const at = pathname.lastIndexOf(prefix)
    if (at >= 0 && names.includes(pathname.slice(at + prefix.length))) return pathname.slice(0, at)
  }
  return undefined
}

/**
 * The warning for a notification that came to another path than basePath's: every one gets 404,
 * which the snippet cannot report (a beacon's answer is never read).
 * @param pathname - the request's path.
 * @param mount - what comes before its route.
 * @param basePath - the proxy's basePath.
 */
const mismatch = (pathname: string, mount: string, basePath: string): string =>
  `esales-snippet/server: createProxy(): answered 404 to a notification at ${JSON.stringify(pathname.slice(0, 200))}: it takes them under basePath ${JSON.stringify(basePath)} only` +
  (BASE_PATH.test(mount) ? `. Where it is mounted at ${mount || '/'}, pass basePath: ${JSON.stringify(mount)}, the path of the snippet's data-endpoint` : '') +
  ' (said once; each such notification is lost)'

const answer = (status: number, text: string, headers: Record<string, string> = {}) =>
  new Response(text, { status, headers: { 'content-type': 'text/plain;charset=utf-8', 'cache-control': 'no-store', ...headers } })

/**
 * Creates a first-party endpoint for the snippet: a web-standard handler (`(request) =>
 * Promise<Response>`) for Next.js route handlers, workers, Deno and Bun; `toNodeHandler` adapts
 * it to Node's `http` and Express. Point the snippet at it with `data-endpoint="/esales"`.
 *
 * It forwards only `POST {basePath}/api/v2/notifications/{name}` and `POST
 * {basePath}/api/storefront/v3/notifications/{name}`, for the names the snippet sends, with
 * the query as it came (`customerKey`, `market`, `sessionKey`, `userContext`), the
 * `Content-Type` and a body of at most 64 KiB, and answers with the cluster's status, its body,
 * `Content-Type` and `Retry-After`. Any other
 * path gets 404 (`/api/admin/` always; the first notification that comes under another path
 * than `basePath`, as where the proxy is mounted elsewhere, is also logged with `console.warn`,
 * which names the path and the `basePath` to give), another method 405, a larger body 413; the cluster
 * unreachable 502, too slow 504. It never forwards cookies or the shopper's other headers; only
 * to a cluster on this machine (`localhost`, `*.localhost`, `127.0.0.0/8`, `[::1]`: the local
 * cluster) does the browser's `Sec-Fetch-Mode` go as `X-Esales-Fetch-Mode` (beacon or fetch),
 * for its live log, and only where it is one of the Fetch standard's modes.
 *
 * Its 2xx responses renew the key cookies that the notification carries, as `keyCookies`
 * writes them (it never creates one): only where the request's cookies hold the very keys of
 * the notification's query, so none for a notification without keys (`userContext=ANONYMOUS`),
 * the session cookie only with `userContext=UNPERSONALIZED`, and none for `end` (the snippet
 * starts new keys right after it). A request's cookies carry no attributes: a shop whose server
 * sets the key cookies itself (`HttpOnly`, or with attributes of its own) passes
 * `renewCookies: false`. An answer renews what the page had when it sent the notification: one
 * that arrives after the page changed its keys or its consent puts the old cookies back, until
 * the next page's `keysMiddleware` decides again (docs/server.md, "Late answers").
 *
 * @example
 * // Next.js: app/esales/[...path]/route.ts
 * export const POST = createProxy({ clusterId: 'w1A2B3C4D' })
 * // Express
 * app.use('/esales', toNodeHandler(createProxy({ clusterId: 'w1A2B3C4D' })))
 * @param options - `clusterId` (and `clusterHost`) or `endpoint`, `basePath` (default `/esales`), `domain` and `secure` of the cookies, `renewCookies` (default `true`), `timeout`, `fetch`.
 * @throws TypeError for a bad option, at once.
 */
export function createProxy(options: ProxyOptions): (request: Request) => Promise<Response> {
  const base = clusterBase(options || {}, 'createProxy()')
  checkCookieOptions(options, 'createProxy()')
  const basePath = options.basePath ?? '/esales'
  if (typeof basePath != 'string' || !BASE_PATH.test(basePath)) {
    throw new TypeError(`esales-snippet/server: createProxy(): basePath must be a path such as /esales (no trailing slash), or '' for the root, not ${JSON.stringify(basePath)}`)
  }
  const timeout = options.timeout ?? 10_000
  if (!(timeout > 0)) throw new TypeError(`esales-snippet/server: createProxy(): timeout must be a number of ms above 0, not ${String(timeout)}`)
  const renew = options.renewCookies ?? true
  if (typeof renew != 'boolean') throw new TypeError('esales-snippet/server: createProxy(): renewCookies must be true or false (false where your server sets the key cookies itself)')
  const send = options.fetch ?? ((input: string, init?: RequestInit) => fetch(input, init))
  const local = isLocalTarget(base)
  let warned = false

  return async (request) => {
    const url = new URL(request.url)
    const path = url.pathname.startsWith(basePath + '/') ? url.pathname.slice(basePath.length) : ''
    const route = ROUTES.find(([prefix, names]) => path.startsWith(prefix) && names.includes(path.slice(prefix.length)))
    if (!route) {
      // A proxy mounted elsewhere than basePath loses every notification without a trace: say so,
      // once, where the server's log shows it.
      const mount = warned ? undefined : mountOf(url.pathname)
      if (mount != null) {
        warned = true
        console.warn(mismatch(url.pathname, mount, basePath))
      }
      return answer(404, 'not found')
    }
    if (request.method != 'POST') return answer(405, 'method not allowed', { allow: 'POST' })
    const body = await readLimited(request, MAX_BODY)
    if (!body) return answer(413, `payload too large: at most ${MAX_BODY} bytes`)
    const name = path.slice(route[0].length)
    const contentType = request.headers.get('content-type')
    // How the browser sent it (Sec-Fetch-Mode: no-cors for a beacon, cors for a fetch), which the
    // forwarded request cannot carry in that header (a server's fetch sets its own): the local
    // cluster's live log tells a beacon from a fetch by it. eSales has no use for it, so only a
    // cluster on this machine gets it, and only a mode the Fetch standard names.
    const mode = local ? request.headers.get('sec-fetch-mode') : null
    const fetchMode = mode && FETCH_MODES.includes(mode) ? mode : null
    let upstream: Response
    let text: ArrayBuffer
    try {
      // Built from the route, never from the request's path: nothing else can be reached.
      upstream = await send(base + route[0] + name + url.search, {
        method: 'POST',
        headers: { ...contentType && { 'content-type': contentType }, ...fetchMode && { 'x-esales-fetch-mode': fetchMode } },
        ...(body.byteLength ? { body } : {}),
        redirect: 'manual',
        signal: AbortSignal.timeout(timeout)
      })
      text = await upstream.arrayBuffer()
    } catch (error) {
      return (error as Error | null)?.name == 'TimeoutError'
        ? answer(504, 'eSales did not answer in time')
        : answer(502, 'eSales could not be reached')
    }
    const headers: Record<string, string> = { 'cache-control': 'no-store' }
    // The snippet reads Retry-After to wait before its next try.
    for (const name of ['content-type', 'retry-after']) {
      const value = upstream.headers.get(name)
      if (value) headers[name] = value
    }
    const response = new Response(NO_BODY.includes(upstream.status) ? null : text, { status: upstream.status, headers })
    // A notification that eSales refused (or that failed) is no sign of the shopper's activity.
    if (!renew || name == 'end' || upstream.status < 200 || upstream.status > 299) return response
    return withSetCookie(response, renewal(request, url.searchParams, { domain: options.domain, secure: options.secure ?? isHttpsRequest(request) }))
  }
}

/**
 * The Set-Cookie values that renew the key cookies of a notification that eSales took: each
 * key of the query, where the request's cookie holds that very key and the `userContext`
 * allows it; none at all where one of them differs, or where the query has no key. The query
 * holds the keys the page had when it made the notification, and the cookies those the browser
 * had when it sent it: where they differ, the page has moved on (reset, end, another level, a
 * notification that waited), and the proxy writes neither.
 * @param request - the notification's request, for its cookies.
 * @param query - its query.
 * @param attributes - the cookies' domain and secure.
 */
function renewal(request: Request, query: URLSearchParams, attributes: CookieOptions): string[] {
  const cookies = readKeys(request)
  const allowed = allowedByUserContext(query.get('userContext'))
  const out: string[] = []
  for (const [name, cookie, seconds, ok] of [['customerKey', CUSTOMER_COOKIE, YEAR_S, allowed.customer], ['sessionKey', SESSION_COOKIE, IDLE_MS / 1000, allowed.session]] as const) {
    const [sent, ...more] = query.getAll(name)
    if (sent === undefined) continue
    if (more.length || sent !== cookies[name]) return []
    if (ok) out.push(setCookie(cookie, sent, seconds, attributes))
  }
  return out
}
