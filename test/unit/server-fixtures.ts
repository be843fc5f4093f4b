// Helpers of the server entry's tests: a Node server on port 0 around a handler, an upstream
// that records what it gets, and Set-Cookie parsing.
import { createServer, type IncomingMessage, type RequestListener, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

/** A Node http server on 127.0.0.1 and a free port. */
export async function listen(handler: RequestListener): Promise<{ url: string; close: () => Promise<void> }> {
  const server = createServer(handler)
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      server.closeAllConnections()
      await new Promise((done) => server.close(done))
    }
  }
}

/** One request as the upstream got it. */
export interface Got { method: string; url: string; headers: IncomingMessage['headers']; body: string }

/**
 * An upstream that records each request and answers with `answer` (204 by default).
 * @param answer - the status, headers and body to answer with; may change between requests.
 */
export async function upstream(answer: (got: Got, res: ServerResponse) => void = (_, res) => { res.writeHead(204).end() }) {
  const got: Got[] = []
  const server = await listen(async (req, res) => {
    const chunks: Buffer[] = []
    for await (const c of req) chunks.push(c as Buffer)
    const g = { method: req.method || '', url: req.url || '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') }
    got.push(g)
    answer(g, res)
  })
  return { ...server, got }
}

/** Set-Cookie values as { name: { value, attributes } }, attribute names in lower case. */
export function parseSetCookies(values: readonly string[]): Record<string, { value: string; attributes: Record<string, string | true> }> {
  const out: Record<string, { value: string; attributes: Record<string, string | true> }> = {}
  for (const line of values) {
    const [pair, ...attrs] = line.split(/; */)
    const eq = pair!.indexOf('=')
    const attributes: Record<string, string | true> = {}
    for (const a of attrs) {
      const i = a.indexOf('=')
      if (i < 0) attributes[a.toLowerCase()] = true
      else attributes[a.slice(0, i).toLowerCase()] = a.slice(i + 1)
    }
    out[pair!.slice(0, eq)] = { value: pair!.slice(eq + 1), attributes }
  }
  return out
}

/** A UUID v4. */
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/
