// The local cluster's CORS decision, alone and as the server applies it: local origins and the
// allowed ones get CORS headers, every other origin is recorded but answered without them.
import { afterEach, describe, expect, it } from 'vitest'
import { allowedOrigin, corsHeaders, isLocalOrigin, normalizeOrigin, parseAllowOrigins } from '../../cluster/cors.js'
import { startCluster, type MockCluster } from '../../cluster/server.js'

describe('isLocalOrigin', () => {
  it('takes localhost, 127.0.0.1 and [::1], http and https, with or without a port', () => {
    for (const o of ['http://localhost', 'http://localhost:3000', 'https://localhost:8443', 'http://127.0.0.1:8080',
      'https://127.0.0.1', 'http://[::1]:5173', 'https://[::1]', 'http://localhost:65535']) expect(isLocalOrigin(o), o).toBe(true)
  })
  it('takes every name under localhost and every address in 127.0.0.0/8 (RFC 6761, Secure Contexts)', () => {
    for (const o of ['http://shop.localhost:5173', 'https://shop.localhost', 'http://www.shop.localhost:3000', 'http://xn--shp-sna.localhost:1',
      'http://my-app.localhost', 'http://localhost.:3000', 'http://shop.localhost.:3000', 'http://127.0.0.2', 'http://127.1.2.3:8080',
      'https://127.255.255.255']) expect(isLocalOrigin(o), o).toBe(true)
  })
  it('refuses look-alikes, other hosts, other schemes and anything that is not a bare origin', () => {
    for (const o of ['http://localhost.evil.example', 'http://shop.localhost.evil.example', 'http://evillocalhost:3000', 'http://localhost-shop:3000',
      'http://.localhost', 'http://a..localhost', 'http://127.0.0.1.nip.io', 'http://evil.example', 'http://128.0.0.1', 'http://126.255.255.255',
      'http://0.0.0.0:80', 'http://[::2]', 'http://[::ffff:127.0.0.1]', 'null', 'file://', 'ws://localhost:3000', 'ws://shop.localhost',
      'http://localhost:3000/', 'http://localhost:3000/x', 'http://shop.localhost:3000/', 'http://user@localhost', 'http://localhost:abc',
      'http://localhost:65536', ' http://localhost', '']) expect(isLocalOrigin(o), o).toBe(false)
  })
  it('refuses what no browser sends as an origin: upper case, a default port, a short or out-of-range IPv4, a Unicode name', () => {
    for (const o of ['http://LOCALHOST:3000', 'http://Shop.localhost', 'http://localhost:80', 'https://localhost:443', 'http://127.1',
      'http://127.0.0.256', 'http://shöp.localhost']) expect(isLocalOrigin(o), o).toBe(false)
  })
})

describe('normalizeOrigin', () => {
  it('writes an origin as a browser sends it', () => {
    expect(normalizeOrigin('https://Shop.Example/')).toBe('https://shop.example')
    expect(normalizeOrigin('https://shop.example:443')).toBe('https://shop.example')
    expect(normalizeOrigin('http://www.shop.test:8080')).toBe('http://www.shop.test:8080')
    expect(normalizeOrigin('null')).toBe('null')
  })
  it('refuses paths, queries, users, other schemes and non-URLs, naming the fix', () => {
    expect(() => normalizeOrigin('https://shop.example/cart')).toThrow(/no path.*https:\/\/shop\.example/)
    expect(() => normalizeOrigin('https://shop.example?x=1')).toThrow(/not an origin/)
    expect(() => normalizeOrigin('https://me@shop.example')).toThrow(/not an origin/)
    expect(() => normalizeOrigin('ftp://shop.example')).toThrow(/not an http: or https: origin/)
    expect(() => normalizeOrigin('shop.example')).toThrow(/not an origin/)
  })
})

describe('parseAllowOrigins', () => {
  it('defaults to no origin besides the local ones', () => {
    expect(parseAllowOrigins(undefined)).toEqual(new Set())
  })
  it("keeps '*' and normalizes a list", () => {
    expect(parseAllowOrigins('*')).toBe('*')
    expect(parseAllowOrigins(['https://Shop.example/', 'null'])).toEqual(new Set(['https://shop.example', 'null']))
  })
  it('refuses a bad entry and a value that is neither a list nor *', () => {
    expect(() => parseAllowOrigins(['https://shop.example/x'])).toThrow(/not an origin/)
    expect(() => parseAllowOrigins('https://shop.example' as unknown as '*')).toThrow(/array of origins or '\*'/)
  })
})

describe('allowedOrigin and corsHeaders', () => {
  const none = parseAllowOrigins(undefined)
  const listed = parseAllowOrigins(['http://www.shop.test:8080'])
  it('reflects a local origin by default, and nothing else', () => {
    expect(allowedOrigin('http://localhost:3000', none)).toBe('http://localhost:3000')
    expect(allowedOrigin('http://www.shop.test:8080', none)).toBeUndefined()
    expect(allowedOrigin('null', none)).toBeUndefined()
  })
  it('reflects a listed origin exactly: another port or scheme is another origin', () => {
    expect(allowedOrigin('http://www.shop.test:8080', listed)).toBe('http://www.shop.test:8080')
    expect(allowedOrigin('http://www.shop.test:8081', listed)).toBeUndefined()
    expect(allowedOrigin('https://www.shop.test:8080', listed)).toBeUndefined()
    expect(allowedOrigin('http://localhost:1', listed)).toBe('http://localhost:1')
  })
  it("with '*' reflects every origin, also null", () => {
    expect(allowedOrigin('https://anything.example', '*')).toBe('https://anything.example')
    expect(allowedOrigin('null', '*')).toBe('null')
  })
  it('gives no CORS headers to a request without an Origin', () => {
    expect(allowedOrigin(undefined, '*')).toBeUndefined()
    expect(corsHeaders(undefined, '*')).toEqual({ vary: 'Origin' })
  })
  it('always varies on Origin; an allowed origin gets the headers a cross-origin fetch needs', () => {
    expect(corsHeaders('https://evil.example', none)).toEqual({ vary: 'Origin' })
    expect(corsHeaders('http://127.0.0.1:9', none)).toEqual({
      vary: 'Origin',
      'access-control-allow-origin': 'http://127.0.0.1:9',
      'access-control-allow-methods': 'POST, GET, OPTIONS',
      'access-control-allow-headers': 'content-type',
      'access-control-expose-headers': 'retry-after',
      'access-control-max-age': '600'
    })
  })
})

describe('startCluster: CORS on the wire', () => {
  let cluster: MockCluster | undefined
  afterEach(async () => { await cluster?.close(); cluster = undefined })

  const Q = '?customerKey=c&market=M&sessionKey=s'
  const notify = (c: MockCluster, origin: string | undefined, ticket: string) => fetch(`${c.url}/api/v2/notifications/click${Q}`, {
    method: 'POST', body: JSON.stringify({ ticket }),
    headers: { 'content-type': 'text/plain;charset=UTF-8', ...(origin ? { origin } : {}) }
  })

  it('by default: a localhost or *.localhost page gets CORS headers, another origin none, and all are recorded', async () => {
    cluster = await startCluster()
    const local = await notify(cluster, 'http://localhost:3000', 'LOCAL')
    const sub = await notify(cluster, 'http://shop.localhost:5173', 'SUB')
    const other = await notify(cluster, 'http://www.shop.test:3000', 'OTHER')
    const server = await notify(cluster, undefined, 'SERVER')
    expect(local.status).toBe(204)
    expect(local.headers.get('access-control-allow-origin')).toBe('http://localhost:3000')
    expect(local.headers.get('vary')).toBe('Origin')
    expect(sub.headers.get('access-control-allow-origin')).toBe('http://shop.localhost:5173')
    expect(other.status).toBe(204)
    expect(other.headers.get('access-control-allow-origin')).toBeNull()
    expect(other.headers.get('vary')).toBe('Origin')
    expect(cluster.received().map((r) => [r.ticket, r.verdict, r.origin, r.cors])).toEqual([
      ['LOCAL', 'accepted', 'http://localhost:3000', true],
      ['SUB', 'accepted', 'http://shop.localhost:5173', true],
      ['OTHER', 'accepted', 'http://www.shop.test:3000', false],
      ['SERVER', 'accepted', undefined, false]
    ])
  })

  it('allowOrigins adds origins; a rejected or faulted notification follows the same rule', async () => {
    cluster = await startCluster({ allowOrigins: ['http://www.shop.test:3000'] })
    cluster.addFault({ kind: '503', retryAfter: 2 })
    const faulted = await notify(cluster, 'http://www.shop.test:3000', 'A')
    expect(faulted.status).toBe(503)
    expect(faulted.headers.get('access-control-allow-origin')).toBe('http://www.shop.test:3000')
    expect(faulted.headers.get('retry-after')).toBe('2')
    const rejected = await fetch(`${cluster.url}/api/v2/notifications/click`, { method: 'POST', body: '{"ticket":"B"}', headers: { origin: 'http://checkout.shop.test:3000' } })
    expect(rejected.status).toBe(400)
    expect(rejected.headers.get('access-control-allow-origin')).toBeNull()
    expect(cluster.records.map((r) => [r.verdict, r.cors])).toEqual([['fault', true], ['rejected', false]])
  })

  it("allowOrigins '*' answers any origin", async () => {
    cluster = await startCluster({ allowOrigins: '*' })
    const res = await notify(cluster, 'https://shop.example', 'ANY')
    expect(res.headers.get('access-control-allow-origin')).toBe('https://shop.example')
    expect(cluster.records[0]?.cors).toBe(true)
  })

  it('counts every preflight, and answers only an allowed one with CORS headers', async () => {
    cluster = await startCluster()
    const preflight = (origin: string) => fetch(`${cluster!.url}/api/v2/notifications/click`, {
      method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'x-custom' }
    })
    const ok = await preflight('http://[::1]:5173')
    const sub = await preflight('http://shop.localhost:5173')
    const refused = await preflight('https://evil.example')
    expect([ok.status, sub.status, refused.status]).toEqual([204, 204, 204])
    expect(ok.headers.get('access-control-allow-origin')).toBe('http://[::1]:5173')
    expect(ok.headers.get('access-control-allow-methods')).toContain('POST')
    expect(sub.headers.get('access-control-allow-origin')).toBe('http://shop.localhost:5173')
    expect(refused.headers.get('access-control-allow-origin')).toBeNull()
    expect(cluster.preflights).toBe(3)
    expect(cluster.records).toEqual([])
  })

  it('keeps /records and /faults working, under the same CORS rule', async () => {
    cluster = await startCluster()
    await notify(cluster, 'http://localhost:1', 'R')
    const records = await fetch(`${cluster.url}/records?market=M`, { headers: { origin: 'http://localhost:1' } })
    expect(records.headers.get('access-control-allow-origin')).toBe('http://localhost:1')
    expect((await records.json()).map((r: { ticket: string }) => r.ticket)).toEqual(['R'])
    const faults = await fetch(`${cluster.url}/faults`, { method: 'POST', body: '{"kind":"500","count":2}', headers: { origin: 'https://evil.example' } })
    expect(faults.headers.get('access-control-allow-origin')).toBeNull()
    expect(await faults.json()).toEqual([{ kind: '500', count: 2 }])
  })

  it('refuses a bad allowOrigins at start-up', async () => {
    await expect(startCluster({ allowOrigins: ['https://shop.example/cart'] })).rejects.toThrow(/not an origin/)
  })

  it('gives a loopback URL when it listens on every interface', async () => {
    cluster = await startCluster({ host: '0.0.0.0' })
    expect(cluster.url).toBe(`http://127.0.0.1:${cluster.port}`)
    expect((await fetch(`${cluster.url}/records`)).status).toBe(200)
  })
})
