// Node's http and Express in front of a web-standard handler (createProxy's, or any other):
// the request becomes a Request, and the Response is written back.
import { appendSetCookie } from './middleware.js'
import { isHttpsNode } from './scheme.js'
import type { NodeRequest, NodeResponse } from './types.js'

/** A Node request with its body: `http.IncomingMessage`, or Express's `req` (whose `body` a body parser may have read). */
export type NodeBodyRequest = NodeRequest & AsyncIterable<Uint8Array | string> & { body?: unknown; readableEnded?: boolean }

/**
 * The request's body: the stream, or, where a body parser (express.text(), express.json()) has
 * read the stream already, what it read.
 * @param req - the Node request.
 */
function bodyOf(req: NodeBodyRequest): RequestInit['body'] {
  // body-parser 1 sets req.body = {} also where it reads nothing: only a stream that has ended was read.
  if (req.readableEnded === true) {
    const parsed = req.body
    if (typeof parsed == 'string' || parsed instanceof Uint8Array) return parsed as RequestInit['body']
    return parsed != null && typeof parsed == 'object' ? JSON.stringify(parsed) : undefined
  }
  const iterator = req[Symbol.asyncIterator]()
  const encoder = new TextEncoder()
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { done, value } = await iterator.next()
      if (done) controller.close()
      else controller.enqueue(typeof value == 'string' ? encoder.encode(value) : value)
    },
    async cancel() { await iterator.return?.() }
  })
}

/**
 * The web-standard Request of a Node request. The URL keeps Express's mount path
 * (`originalUrl`), so that a handler mounted with `app.use('/esales', …)` sees `/esales/…`.
 * @param req - the Node request.
 */
export function toRequest(req: NodeBodyRequest): Request {
  const host = String(req.headers.host || 'localhost')
  let url: URL
  try {
    url = new URL(req.originalUrl || req.url || '/', `${isHttpsNode(req) ? 'https' : 'http'}://${host}`)
  } catch {
    url = new URL(req.originalUrl || req.url || '/', 'http://localhost')
  }
  const headers = new Headers()
  for (const [name, value] of Object.entries(req.headers)) {
    // HTTP/2's pseudo-headers (:path) and values that Headers refuses are left out.
    if (value == null || name.startsWith(':')) continue
    try {
      for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v)
    } catch {}
  }
  const method = (req.method || 'GET').toUpperCase()
  const hasBody = method != 'GET' && method != 'HEAD'
  return new Request(url, { method, headers, ...(hasBody ? { body: bodyOf(req), duplex: 'half' } : {}) } as RequestInit)
}

/**
 * Adapts a web-standard handler, such as `createProxy`'s, to Node's `http` and Express. The
 * response's `Set-Cookie` values are added to those already set (by `keysMiddleware`, say).
 * With Express, mount it before any body parser, or it forwards what the parser read.
 *
 * @example
 * app.use('/esales', toNodeHandler(createProxy({ clusterId: 'w1A2B3C4D' })))
 * // Node's http
 * const proxy = toNodeHandler(createProxy({ clusterId: 'w1A2B3C4D' }))
 * createServer((req, res) => req.url?.startsWith('/esales/') ? proxy(req, res) : page(req, res))
 * @param handler - `(request: Request) => Promise<Response>`.
 * @returns `(req, res, next?)`; an error goes to `next` where there is one, else it is answered 500.
 */
export function toNodeHandler(handler: (request: Request) => Response | Promise<Response>):
  (req: NodeBodyRequest, res: NodeResponse, next?: (error?: unknown) => void) => Promise<void> {
  return async (req, res, next) => {
    try {
      const response = await handler(toRequest(req))
      const body = new Uint8Array(await response.arrayBuffer())
      res.statusCode = response.status
      response.headers.forEach((value, name) => { if (name != 'set-cookie') res.setHeader(name, value) })
      appendSetCookie(res, response.headers.getSetCookie())
      res.end(body)
    } catch (error) {
      if (next) return next(error)
      if (!res.headersSent) {
        res.statusCode = 500
        res.setHeader('content-type', 'text/plain;charset=utf-8')
      }
      res.end('internal error')
    }
  }
}
