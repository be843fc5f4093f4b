// A request body read to a limit, for the proxy: a notification is a ticket or a few keys, and
// the browser's keepalive quota is 64 KiB, so anything larger is not the snippet's.

/**
 * The body's bytes, or undefined when it is over `limit` bytes (read no further than that).
 * @param request - the request.
 * @param limit - the most bytes allowed.
 */
export async function readLimited(request: Request, limit: number): Promise<Uint8Array<ArrayBuffer> | undefined> {
  const declared = Number(request.headers.get('content-length'))
  if (declared > limit) return undefined
  if (!request.body) return new Uint8Array(0)
  const reader = request.body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    size += value.byteLength
    if (size > limit) {
      await reader.cancel().catch(() => {})
      return undefined
    }
    chunks.push(value)
  }
  const body = new Uint8Array(size)
  let at = 0
  for (const c of chunks) {
    body.set(c, at)
    at += c.byteLength
  }
  return body
}
