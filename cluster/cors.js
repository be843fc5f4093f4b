// @ts-check
// Which page origins the local cluster answers with CORS headers. A real cluster answers
// only the origins in its CORS settings; this one answers the developer's own machine
// (localhost and *.localhost, 127.0.0.0/8, [::1], any port) and the origins it is told to.

/**
 * Which origins get CORS headers besides the local ones: a list of origins, or `'*'` for any.
 * @typedef {readonly string[] | '*'} AllowOrigins
 */

// The hosts that are this machine, as the Secure Contexts spec lists them for a "potentially
// trustworthy origin": 127.0.0.0/8 and ::1, and the name localhost, also with a trailing dot, and
// every name under it (RFC 6761 §6.3: *.localhost is loopback; browsers resolve it themselves,
// so a dev site on http://shop.localhost:5173 needs no hosts-file line). The URL parser has
// already written an IPv4 host as four decimal octets of at most 255, and IPv6 ::1 as [::1].
const LOCAL_HOST = /^(?:(?:[^.]+\.)*localhost\.?|127\.\d+\.\d+\.\d+|\[::1\])$/

/**
 * Whether an Origin header names this machine: http: or https:, any port, on localhost or a name
 * under it (`shop.localhost`), an address in 127.0.0.0/8, or [::1].
 * @param {string} origin
 */
export function isLocalOrigin(origin) {
  /** @type {URL} */
  let url
  try {
    url = new URL(origin)
  } catch {
    return false
  }
  // Browsers send an origin serialized (Fetch: "byte-serializing a request origin"): lower case,
  // no default port, no path. Anything else came from no browser, so it is no local page.
  if (url.origin != origin || (url.protocol != 'http:' && url.protocol != 'https:')) return false
  return LOCAL_HOST.test(url.hostname)
}

/**
 * Turns what a user typed (`--allow-origin`, `allowOrigins`) into the origin a browser sends:
 * `https://Shop.example/` becomes `https://shop.example`. `null` (sandboxed frames, `data:`
 * documents) is taken as it is. Throws on anything that is not an http(s) origin.
 * @param {string} value
 * @returns {string}
 */
export function normalizeOrigin(value) {
  if (value == 'null') return value
  /** @type {URL} */
  let url
  try {
    url = new URL(value)
  } catch {
    throw new Error(`"${value}" is not an origin: write it as a browser sends it, e.g. https://shop.example or http://shop.test:3000`)
  }
  if (url.protocol != 'http:' && url.protocol != 'https:') throw new Error(`"${value}" is not an http: or https: origin`)
  if (url.username || url.password || url.search || url.hash || (url.pathname != '/' && url.pathname != '')) {
    throw new Error(`"${value}" is not an origin: an origin has no path, query or user, e.g. ${url.origin}`)
  }
  return url.origin
}

/**
 * Checks and normalizes the `allowOrigins` option once, at start-up.
 * @param {AllowOrigins | undefined} allowOrigins
 * @returns {'*' | Set<string>}
 */
export function parseAllowOrigins(allowOrigins) {
  if (allowOrigins == null) return new Set()
  if (allowOrigins == '*') return '*'
  if (!Array.isArray(allowOrigins)) throw new TypeError("allowOrigins must be an array of origins or '*'")
  return new Set(allowOrigins.map(normalizeOrigin))
}

/**
 * The CORS decision for one request: the `Access-Control-Allow-Origin` value to answer with,
 * or undefined for none. A request without an Origin header (curl, a server, a same-origin
 * GET) gets none: it is not a CORS request.
 * @param {string | undefined} origin the request's Origin header
 * @param {'*' | Set<string>} allowed what parseAllowOrigins returned
 * @returns {string | undefined}
 */
export function allowedOrigin(origin, allowed) {
  if (!origin) return undefined
  // Reflected, never '*': the answer then reads the same whether or not a page sends credentials.
  if (allowed == '*' || isLocalOrigin(origin) || allowed.has(origin)) return origin
  return undefined
}

/**
 * The response headers for one request: CORS headers when its origin is allowed, and always
 * `Vary: Origin`, because the answer depends on it.
 * @param {string | undefined} origin the request's Origin header
 * @param {'*' | Set<string>} allowed what parseAllowOrigins returned
 * @returns {Record<string, string>}
 */
export function corsHeaders(origin, allowed) {
  const allow = allowedOrigin(origin, allowed)
  if (!allow) return { vary: 'Origin' }
  return {
    vary: 'Origin',
    'access-control-allow-origin': allow,
    'access-control-allow-methods': 'POST, GET, OPTIONS',
    'access-control-allow-headers': 'content-type',
    // Without it a cross-origin page cannot read Retry-After (Fetch: CORS-safelisted response headers).
    'access-control-expose-headers': 'retry-after',
    'access-control-max-age': '600'
  }
}
