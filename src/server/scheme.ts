// Whether a request came over https, for the cookies' Secure attribute: the snippet sets it on
// https pages, and a server's cookie must match it to replace the snippet's rather than sit beside it.
import type { NodeRequest } from './types.js'

/**
 * The first `X-Forwarded-Proto` value is `https`: a TLS-terminating proxy or load balancer in
 * front of the server says the shopper's connection was https. A forged header only changes
 * the attribute of the forger's own cookie.
 * @param value - the header's value.
 */
const forwardedHttps = (value: string | string[] | null | undefined): boolean =>
  /^\s*https\s*(,|$)/i.test(Array.isArray(value) ? value[0] || '' : value || '')

/**
 * Whether a web-standard request was https.
 * @param request - the request.
 */
export const isHttpsRequest = (request: Request): boolean =>
  request.url.startsWith('https:') || forwardedHttps(request.headers.get('x-forwarded-proto'))

/**
 * Whether a Node request was https: a TLS socket, or a proxy's `X-Forwarded-Proto`.
 * @param req - the request.
 */
export const isHttpsNode = (req: NodeRequest): boolean =>
  (req.socket as { encrypted?: unknown } | null | undefined)?.encrypted === true || forwardedHttps(req.headers['x-forwarded-proto'])
