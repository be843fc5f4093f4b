// The live log's words for what a page does with the cluster's answer (cluster/fate.js), and the
// cluster's records that carry them: how each request was sent, and which one is a retry.
import { readFileSync } from 'node:fs'
import { request } from 'node:http'
import { afterEach, describe, expect, it } from 'vitest'
import { fate, transportOf, triedAgain } from '../../cluster/fate.js'
import { startCluster, type MockCluster } from '../../cluster/server.js'

const PAGE = 'http://localhost:3000'

describe('transportOf', () => {
  it('reads Sec-Fetch-Mode: no-cors is a beacon, cors (and same-origin) a fetch, nothing unknown', () => {
    expect(transportOf('no-cors')).toBe('beacon')
    expect(transportOf('cors')).toBe('fetch')
    expect(transportOf('same-origin')).toBe('fetch')
    expect(transportOf(undefined)).toBeUndefined()
    expect(transportOf('navigate')).toBeUndefined()
  })
})

describe('fate', () => {
  const beacon = { transport: 'beacon' as const, origin: PAGE, cors: true }
  const fetched = { transport: 'fetch' as const, origin: PAGE, cors: true }

  it('says nothing about an accepted answer that the page could read, or a beacon that was accepted', () => {
    expect(fate({ ...beacon, status: 204 })).toBe('')
    expect(fate({ ...fetched, status: 204 })).toBe('')
    // Node's fetch, curl: no page, so no CORS to read it with.
    expect(fate({ ...fetched, origin: undefined, cors: false, status: 204 })).toBe('')
  })

  it('a beacon under any fault: the page cannot see the answer, the notification is lost', () => {
    for (const status of [0, 400, 500, 503]) {
      expect(fate({ ...beacon, status })).toBe('sent by beacon: the page cannot see this answer, the notification is lost')
    }
  })

  it('a fetch: sent again after a 5xx or a dropped connection, dropped after a 400, and when Retry-After says', () => {
    expect(fate({ ...fetched, status: 500 })).toBe('sent by fetch: the page reads this answer and sends the notification again (ky retries, then the outbox: at most 6 tries in all)')
    expect(fate({ ...fetched, status: 0 })).toBe('sent by fetch: the connection dropped; the page sees a network error and sends the notification again (ky retries, then the outbox: at most 6 tries in all)')
    expect(fate({ ...fetched, status: 503, retryAfter: 2 })).toBe('sent by fetch: the page reads this answer and sends the notification again (ky retries, then the outbox: at most 6 tries in all), the next after 2 s (Retry-After)')
    expect(fate({ ...fetched, status: 400 })).toBe('sent by fetch: the page reads the 400 and drops the notification (it would get the same answer again)')
  })

  it('a fetch from an origin without CORS headers: unreadable, so sent again even when accepted', () => {
    const text = fate({ ...fetched, cors: false, status: 204 })
    expect(text).toBe('sent by fetch from an origin this cluster answers without CORS headers: the page cannot read the answer, takes it for a network error and sends the notification again (at most 6 tries)')
    expect(fate({ ...fetched, cors: false, status: 400 })).toBe(text)
  })

  it('no Sec-Fetch-Mode: says that it cannot tell', () => {
    expect(fate({ transport: undefined, origin: PAGE, cors: true, status: 500 })).toMatch(/^sent without a Sec-Fetch-Mode header, so the log cannot tell/)
    expect(fate({ transport: undefined, origin: PAGE, cors: true, status: 204 })).toBe('')
  })

  it('triedAgain: only a fetch whose answer failed as the page read it, or could not be read', () => {
    expect(triedAgain({ ...fetched, status: 500 })).toBe(true)
    expect(triedAgain({ ...fetched, status: 0 })).toBe(true)
    expect(triedAgain({ ...fetched, cors: false, status: 204 })).toBe(true)
    expect(triedAgain({ ...fetched, status: 400 })).toBe(false)
    expect(triedAgain({ ...fetched, status: 204 })).toBe(false)
    expect(triedAgain({ ...beacon, status: 500 })).toBe(false)
  })
})

/** POSTs with the given Sec-Fetch-Mode (Node's fetch always sends cors). */
function post(url: string, body: string, mode: string, origin = PAGE): Promise<number> {
  return new Promise((done, fail) => {
    const req = request(url, { method: 'POST', headers: { 'content-type': 'text/plain;charset=UTF-8', 'sec-fetch-mode': mode, origin } }, (res) => {
      res.resume()
      res.on('end', () => done(res.statusCode!))
    })
    req.on('error', (error) => (error as NodeJS.ErrnoException).code == 'ECONNRESET' ? done(0) : fail(error))
    req.end(body)
  })
}

describe('the cluster records how each notification was sent, what the page makes of the answer, and retries', () => {
  let cluster: MockCluster
  afterEach(async () => { await cluster?.close() })
  const click = (market: string) => `${cluster.url}/api/storefront/v3/notifications/click?customerKey=c&market=${market}&sessionKey=s`

  it('a beacon under a 500 is lost; the same request again is another click, not a retry', async () => {
    cluster = await startCluster()
    cluster.addFault({ kind: '500', count: 1 })
    expect(await post(click('B'), '{"ticket":"T"}', 'no-cors')).toBe(500)
    expect(await post(click('B'), '{"ticket":"T"}', 'no-cors')).toBe(204)
    expect(cluster.received({ market: 'B' }).map((r) => [r.transport, r.verdict, r.again, r.fate])).toEqual([
      ['beacon', 'fault', undefined, 'sent by beacon: the page cannot see this answer, the notification is lost'],
      ['beacon', 'accepted', undefined, '']
    ])
  })

  it('a fetch under a 503 with Retry-After, then a dropped connection, then accepted: each retry names the try before it', async () => {
    cluster = await startCluster()
    cluster.addFault({ kind: '503', count: 1, retryAfter: 2 })
    cluster.addFault({ kind: 'drop', count: 1 })
    for (const status of [503, 0, 204]) expect(await post(click('F'), '{"ticket":"T"}', 'cors')).toBe(status)
    const [first, second, third] = cluster.received({ market: 'F' })
    expect([first!.again, second!.again, third!.again]).toEqual([undefined, first!.seq, second!.seq])
    expect(first!.fate).toMatch(/the next after 2 s \(Retry-After\)$/)
    expect(second!.fate).toMatch(/^sent by fetch: the connection dropped/)
    expect(third!.fate).toBe('')
    // Accepted and read: the same request once more is a new click.
    expect(await post(click('F'), '{"ticket":"T"}', 'cors')).toBe(204)
    expect(cluster.received({ market: 'F' })[3]!.again).toBeUndefined()
  })

  it('a fetch from an origin it answers without CORS headers is marked so, and its repeat is a retry', async () => {
    cluster = await startCluster()
    for (let i = 0; i < 2; i++) expect(await post(click('C'), '{"ticket":"T"}', 'cors', 'https://shop.example')).toBe(204)
    const [first, second] = cluster.received({ market: 'C' })
    expect(first!.cors).toBe(false)
    expect(first!.fate).toMatch(/without CORS headers: the page cannot read the answer/)
    expect(second!.again).toBe(first!.seq)
  })

  it('DELETE /records forgets the requests too: a request after it is no retry', async () => {
    cluster = await startCluster()
    cluster.addFault({ kind: '500', count: 1 })
    await post(click('D'), '{"ticket":"T"}', 'cors')
    await fetch(`${cluster.url}/records`, { method: 'DELETE' })
    await post(click('D'), '{"ticket":"T"}', 'cors')
    expect(cluster.received({ market: 'D' }).map((r) => r.again)).toEqual([undefined])
  })
})

describe('the fault switches, as docs/local-cluster.md lists them', () => {
  it('names every kind that the cluster takes', async () => {
    const cluster = await startCluster()
    let kinds: string[] = []
    try {
      // The cluster says which kinds it takes when it refuses another.
      try { cluster.addFault({ kind: 'nope' as never }) } catch (error) { kinds = /kind must be one of (.+)$/.exec((error as Error).message)![1]!.split(', ') }
    } finally {
      await cluster.close()
    }
    expect(kinds).toContain('429')
    const doc = readFileSync(new URL('../../docs/local-cluster.md', import.meta.url), 'utf8').replace(/\s+/g, ' ')
    const listed = /Kinds: (.+?); `"market"/.exec(doc)![1]!
    for (const kind of kinds) expect(listed, kind).toContain(`\`${kind}\``)
  })
})
