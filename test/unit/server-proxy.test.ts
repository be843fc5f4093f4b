// createProxy: the snippet's first-party endpoint, as a web-standard handler, in plain Node http
// (toNodeHandler) and in Express; what it forwards, what it refuses, and the cookies it renews.
import express from 'express'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { startCluster, type MockCluster } from '../../cluster/server.js'
import { createProxy, keysMiddleware, MAX_BODY, toNodeHandler } from '../../src/server/index'
import { V2_NAMES, V3_NAMES } from '../../src/server/names'
import { listen, parseSetCookies, upstream, type Got } from './server-fixtures'

const C = 'apptus.customerKey'
const S = 'apptus.sessionKey'
const Q = '?customerKey=c-1&market=UK&sessionKey=s-1'
const V2 = '/esales/api/v2/notifications/'
const V3 = '/esales/api/storefront/v3/notifications/'
const TEXT = 'text/plain;charset=UTF-8'
// What a shopper's browser sends besides the notification: none of it may reach eSales.
const SHOPPER = { cookie: `${C}=c-1; ${S}=s-1; session=secret`, 'user-agent': 'Shopper/1.0', authorization: 'Bearer shop-token',
  referer: 'http://shop.test/cart', origin: 'http://shop.test', 'x-forwarded-for': '203.0.113.9', 'x-shop': 'internal' }

let up: Awaited<ReturnType<typeof upstream>>
let answer: (got: Got) => { status: number; headers?: Record<string, string>; body?: string } = () => ({ status: 204 })
beforeAll(async () => {
  up = await upstream((got, res) => {
    const a = answer(got)
    res.writeHead(a.status, a.headers).end(a.body)
  })
})
afterAll(() => up.close())

const post = (path: string, init: RequestInit & { headers?: Record<string, string> } = {}) =>
  new Request('http://shop.test' + path, { method: 'POST', body: '{"ticket":"T"}', ...init, headers: { 'content-type': TEXT, ...SHOPPER, ...init.headers } })

describe('createProxy as a web-standard handler', () => {
  it("forwards every notification the snippet sends, with its query, content type and body, and nothing of the shopper's", async () => {
    const proxy = createProxy({ endpoint: up.url })
    up.got.length = 0
    for (const [prefix, names, upstreamPrefix] of [[V2, V2_NAMES, '/api/v2/notifications/'], [V3, V3_NAMES, '/api/storefront/v3/notifications/']] as const) {
      for (const name of names) {
        const res = await proxy(post(prefix + name + Q + '&userContext=PERSONALIZED'))
        expect(res.status, name).toBe(204)
        const got = up.got.at(-1)!
        expect(got.method).toBe('POST')
        expect(got.url).toBe(upstreamPrefix + name + Q + '&userContext=PERSONALIZED')
        expect(got.body).toBe('{"ticket":"T"}')
        expect(got.headers['content-type']).toBe(TEXT)
        for (const h of ['cookie', 'authorization', 'referer', 'origin', 'x-forwarded-for', 'x-shop']) expect(got.headers[h], h).toBeUndefined()
        expect(got.headers['user-agent']).not.toBe('Shopper/1.0')
      }
    }
    expect(up.got).toHaveLength(V2_NAMES.length + V3_NAMES.length)
    // How the browser sent it goes on in a header of its own to the local cluster (127.0.0.1 here):
    // its live log tells a beacon from a fetch by it.
    await proxy(post(V3 + 'click' + Q, { headers: { 'sec-fetch-mode': 'no-cors' } }))
    expect(up.got.at(-1)!.headers['x-esales-fetch-mode']).toBe('no-cors')
    await proxy(post(V3 + 'click' + Q))
    expect(up.got.at(-1)!.headers['x-esales-fetch-mode']).toBeUndefined()
    expect(V3_NAMES).toEqual(expect.arrayContaining(['ad-impression', 'remove-recent-searches', 'remove-recently-viewed', 'end', 'add-favorite', 'remove-favorite', 'click', 'add-to-cart']))
    expect(V2_NAMES).toEqual(expect.arrayContaining(['click', 'add-to-cart', 'add-favorite', 'remove-favorite', 'payment', 'end', 'remove-recent-searches']))
  })

  it("sends Sec-Fetch-Mode on to a cluster on this machine only, and only a mode the Fetch standard names", async () => {
    const seen: { url: string; headers: Headers }[] = []
    const fetch = (async (input: string, init?: RequestInit) => {
      seen.push({ url: input, headers: new Headers(init?.headers) })
      return new Response(null, { status: 204 })
    }) as typeof globalThis.fetch
    const send = async (target: { clusterId: string } | { endpoint: string }, mode: string) => {
      await createProxy({ ...target, fetch } as Parameters<typeof createProxy>[0])(post(V3 + 'click' + Q, { headers: { 'sec-fetch-mode': mode } }))
      return seen.at(-1)!.headers.get('x-esales-fetch-mode')
    }
    for (const target of [{ clusterId: 'w1A2B3C4D' }, { endpoint: 'https://gateway.shop.example/esales' }, { endpoint: 'http://10.0.0.5:8081' },
      { endpoint: 'http://localhost.shop.example' }, { endpoint: 'http://127.0.0.1.nip.io' }]) {
      expect(await send(target, 'no-cors'), JSON.stringify(target)).toBeNull()
      expect([...seen.at(-1)!.headers.keys()]).toEqual(['content-type'])
    }
    for (const endpoint of ['http://localhost:8081', 'http://cluster.localhost', 'http://127.0.0.9:1', 'http://[::1]:8081']) {
      expect(await send({ endpoint }, 'cors'), endpoint).toBe('cors')
    }
    for (const mode of ['navigate', 'same-origin', 'websocket', 'no-cors']) expect(await send({ endpoint: 'http://localhost' }, mode)).toBe(mode)
    for (const mode of ['beacon', 'CORS', 'no-cors, cors', 'x'.repeat(100)]) expect(await send({ endpoint: 'http://localhost' }, mode), mode).toBeNull()
  })

  it('forwards an end notification without a body or content type', async () => {
    up.got.length = 0
    const res = await createProxy({ endpoint: up.url })(new Request('http://shop.test' + V3 + 'end' + Q, { method: 'POST' }))
    expect(res.status).toBe(204)
    expect(up.got[0]).toMatchObject({ url: '/api/storefront/v3/notifications/end' + Q, body: '' })
    expect(up.got[0]!.headers['content-type']).toBeUndefined()
  })

  it("answers with the cluster's status, body, content type and Retry-After", async () => {
    const proxy = createProxy({ endpoint: up.url })
    const cases: [number, string, Record<string, string>][] = [[400, 'body has no "ticket"', { 'content-type': 'text/plain' }], [503, 'busy', { 'retry-after': '2' }], [500, '', {}], [429, 'slow down', { 'retry-after': '7' }]]
    for (const [status, body, headers] of cases) {
      answer = () => ({ status, body, headers })
      const res = await proxy(post(V2 + 'click' + Q))
      expect([res.status, await res.text(), res.headers.get('retry-after')]).toEqual([status, body, headers['retry-after'] ?? null])
      expect(res.headers.get('cache-control')).toBe('no-store')
    }
    answer = () => ({ status: 204 })
  })

  it('answers 404 for every other path, /api/admin/ above all, and forwards none of them', async () => {
    const proxy = createProxy({ endpoint: up.url })
    up.got.length = 0
    for (const path of ['/esales/api/admin/v3/notifications/payment', '/esales/api/admin/v4/notifications/payment', '/api/admin/v3/notifications/payment',
      V3 + 'payment', V2 + 'ad-impression', V2 + 'remove-recently-viewed', V2 + 'nope', V2 + 'click/', V2 + 'click/x', V2, '/esales/api/v2/queries/search-page',
      '/esales/api/storefront/v3/queries/landing-page', '/api/v2/notifications/click', '/esalesx/api/v2/notifications/click', '/esales//api/v2/notifications/click',
      '/esales/api/v2/notifications/../../admin/v3/notifications/payment', '/esales/api/v2/notifications/%2e%2e/%2e%2e/admin/v3/notifications/payment',
      '/esales/api/v2/notifications/click%2F..%2F..%2Fadmin', '/esales/API/v2/notifications/click', '/', '/esales']) {
      const res = await proxy(post(path + Q))
      expect(res.status, path).toBe(404)
    }
    expect(up.got).toEqual([])
  })

  it('answers 405 with Allow: POST for another method on a notification path', async () => {
    const proxy = createProxy({ endpoint: up.url })
    for (const method of ['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS', 'PATCH']) {
      const res = await proxy(new Request('http://shop.test' + V2 + 'click' + Q, { method, ...(method == 'PUT' || method == 'PATCH' ? { body: 'x' } : {}) }))
      expect([method, res.status, res.headers.get('allow')]).toEqual([method, 405, 'POST'])
    }
  })

  it('forwards a body of 64 KiB, and answers 413 for one byte more, declared or streamed', async () => {
    const proxy = createProxy({ endpoint: up.url })
    up.got.length = 0
    const full = '{"ticket":"' + 'x'.repeat(MAX_BODY - 13) + '"}'
    expect(full.length).toBe(MAX_BODY)
    expect((await proxy(post(V2 + 'click' + Q, { body: full }))).status).toBe(204)
    expect(up.got[0]!.body).toBe(full)
    expect((await proxy(post(V2 + 'click' + Q, { body: full + ' ' }))).status).toBe(413)
    // A stream has no Content-Length: the proxy counts as it reads, and stops.
    let pulled = 0
    const stream = new ReadableStream<Uint8Array>({ pull(c) { pulled++; c.enqueue(new Uint8Array(16 * 1024).fill(32)); if (pulled == 100) c.close() } })
    const res = await proxy(post(V2 + 'click' + Q, { body: stream, duplex: 'half' } as RequestInit & { headers?: Record<string, string> }))
    expect(res.status).toBe(413)
    expect(pulled).toBeLessThan(10)
    expect(up.got).toHaveLength(1)
  })

  it('answers 502 when the cluster cannot be reached and 504 when it is too slow', async () => {
    const down = await listen(() => {})
    const downUrl = down.url
    await down.close()
    expect((await createProxy({ endpoint: downUrl })(post(V2 + 'click' + Q))).status).toBe(502)
    const slow = await listen(() => { /* never answers */ })
    try {
      const res = await createProxy({ endpoint: slow.url, timeout: 50 })(post(V2 + 'click' + Q))
      expect([res.status, await res.text()]).toEqual([504, 'eSales did not answer in time'])
    } finally {
      await slow.close()
    }
  })

  it('goes to https://{clusterId}.api.esales.apptus.cloud, and takes another basePath', async () => {
    const urls: string[] = []
    const fakeFetch = (async (input: string) => { urls.push(input); return new Response(null, { status: 204 }) }) as typeof fetch
    await createProxy({ clusterId: 'w1A2B3C4D', fetch: fakeFetch })(post(V3 + 'click' + Q))
    await createProxy({ clusterId: 'w1A2B3C4D', basePath: '', fetch: fakeFetch })(post('/api/v2/notifications/add-to-cart' + Q))
    await createProxy({ endpoint: 'https://gateway.example/esales-cluster/', basePath: '/t/e', fetch: fakeFetch })(post('/t/e/api/v2/notifications/click' + Q))
    expect(urls).toEqual([
      'https://w1A2B3C4D.api.esales.apptus.cloud/api/storefront/v3/notifications/click' + Q,
      'https://w1A2B3C4D.api.esales.apptus.cloud/api/v2/notifications/add-to-cart' + Q,
      'https://gateway.example/esales-cluster/api/v2/notifications/click' + Q
    ])
  })

  it("goes to https://{clusterId}.elevate-api.cloud with clusterHost, as the page's data-cluster-host", async () => {
    const urls: string[] = []
    const fakeFetch = (async (input: string) => { urls.push(input); return new Response(null, { status: 204 }) }) as typeof fetch
    await createProxy({ clusterId: 'w1A2B3C4D', clusterHost: 'elevate-api.cloud', fetch: fakeFetch })(post(V3 + 'click' + Q))
    await createProxy({ clusterId: 'w1A2B3C4D', clusterHost: 'api.esales.apptus.cloud', fetch: fakeFetch })(post(V3 + 'click' + Q))
    expect(urls).toEqual([
      'https://w1A2B3C4D.elevate-api.cloud/api/storefront/v3/notifications/click' + Q,
      'https://w1A2B3C4D.api.esales.apptus.cloud/api/storefront/v3/notifications/click' + Q
    ])
    for (const host of ['evil.example', 'Elevate-API.cloud', 'elevate-api.cloud.evil.example', '', 'elevate-api.cloud/x']) {
      expect(() => createProxy({ clusterId: 'w1A2B3C4D', clusterHost: host as never }), host)
        .toThrow(/^esales-snippet\/server: createProxy\(\): clusterHost must be api\.esales\.apptus\.cloud \(the default\) or elevate-api\.cloud, not /)
    }
    expect(() => createProxy({ endpoint: 'http://127.0.0.1:8081', clusterHost: 'elevate-api.cloud' } as never)).toThrow(/clusterHost goes with clusterId/)
  })

  it('refuses bad options at once, naming them', () => {
    expect(() => createProxy({} as never)).toThrow(/^esales-snippet\/server: createProxy\(\): give clusterId or endpoint/)
    expect(() => createProxy({ clusterId: 'a', endpoint: 'http://x' } as never)).toThrow(/one of them/)
    expect(() => createProxy({ clusterId: 'not a label' })).toThrow(/clusterId must be/)
    expect(() => createProxy({ endpoint: 'ftp://x' })).toThrow(/endpoint must be an http\(s\) URL/)
    expect(() => createProxy({ endpoint: 'http://user:secret@x' })).not.toThrow(/secret/)
    expect(() => createProxy({ endpoint: 'http://x', basePath: '/esales/' })).toThrow(/basePath must be a path such as \/esales/)
    expect(() => createProxy({ endpoint: 'http://x', basePath: 'esales' })).toThrow(/basePath/)
    expect(() => createProxy({ endpoint: 'http://x', domain: 'a b' })).toThrow(/domain must be a host name/)
  })
})

describe('createProxy renews the key cookies the request carries, and creates none', () => {
  let status = 204
  const answering = (async () => new Response(null, { status })) as unknown as typeof fetch
  const proxy = createProxy({ endpoint: 'http://unused.invalid', fetch: answering })
  const cookies = async (path: string, cookie?: string, url = 'http://shop.test', handler = proxy) => {
    const res = await handler(new Request(url + path, { method: 'POST', body: '{"ticket":"T"}', headers: { 'content-type': TEXT, ...(cookie != null ? { cookie } : {}) } }))
    return res.headers.getSetCookie()
  }

  it('renews both, with the attributes keyCookies writes', async () => {
    expect(await cookies(V3 + 'click' + Q, `${C}=c-1; ${S}=s-1`)).toEqual([`${C}=c-1; Max-Age=31536000; Path=/; SameSite=Lax`, `${S}=s-1; Max-Age=1800; Path=/; SameSite=Lax`])
    expect(parseSetCookies(await cookies(V2 + 'click' + Q, `${C}=c-1; ${S}=s-1`, 'https://shop.test'))).toEqual({
      [C]: { value: 'c-1', attributes: { 'max-age': '31536000', path: '/', samesite: 'Lax', secure: true } },
      [S]: { value: 's-1', attributes: { 'max-age': '1800', path: '/', samesite: 'Lax', secure: true } }
    })
  })

  it('renews only on a 2xx answer: not on 3xx, 400, 403, 429 or 5xx', async () => {
    const both = `${C}=c-1; ${S}=s-1`
    try {
      for (const code of [200, 202, 204]) {
        status = code
        expect([code, await cookies(V3 + 'click' + Q, both)]).toEqual([code, [expect.stringMatching(/^apptus\.customerKey=c-1;/), expect.stringMatching(/^apptus\.sessionKey=s-1;/)]])
      }
      for (const code of [302, 400, 403, 404, 429, 500, 502, 503]) {
        status = code
        expect([code, await cookies(V3 + 'click' + Q, both)]).toEqual([code, []])
      }
    } finally {
      status = 204
    }
    // Nor when the cluster cannot be reached or is too slow (502 and 504 of the proxy's own).
    const down = createProxy({ endpoint: 'http://unused.invalid', fetch: (async () => { throw new TypeError('fetch failed') }) as unknown as typeof fetch })
    expect(await cookies(V3 + 'click' + Q, both, 'http://shop.test', down)).toEqual([])
  })

  it('renews only where the cookies hold the very keys the notification carries, and never for a notification without keys', async () => {
    const both = `${C}=c-1; ${S}=s-1`
    // The page changed its keys (reset, end, another tab) since the notification was made.
    expect(await cookies(V3 + 'click' + Q, `${C}=c-2; ${S}=s-1`)).toEqual([])
    expect(await cookies(V3 + 'click' + Q, `${C}=c-1; ${S}=s-2`)).toEqual([])
    // A cookie that the notification carries is gone (the page removed it): nothing is put back.
    expect(await cookies(V3 + 'click' + Q, `${S}=s-1`)).toEqual([])
    expect(await cookies(V2 + 'click' + Q, `${C}=c-1`)).toEqual([])
    // No keys in the query: nothing to renew, whatever the cookies hold.
    expect(await cookies(V3 + 'click?market=UK', both)).toEqual([])
    expect(await cookies(V2 + 'click?market=UK', both)).toEqual([])
    // A key given twice is not one key.
    expect(await cookies(V3 + 'click' + Q + '&customerKey=c-2', both)).toEqual([])
    // Equal once decoded, as readKeys and the cluster decode them.
    expect(await cookies(V3 + 'click?customerKey=user%3A42&market=UK&sessionKey=s-1', `${C}=user%3A42; ${S}=s-1`)).toHaveLength(2)
    // A cookie that the notification does not carry is left as it is: neither renewed nor removed.
    expect(await cookies(V3 + 'click?market=UK&sessionKey=s-1&userContext=UNPERSONALIZED', both)).toEqual([`${S}=s-1; Max-Age=1800; Path=/; SameSite=Lax`])
  })

  it('renewCookies: false renews none, for a shop whose server sets the key cookies itself (HttpOnly)', async () => {
    const own = createProxy({ endpoint: 'http://unused.invalid', renewCookies: false, fetch: answering })
    expect(await cookies(V3 + 'click' + Q, `${C}=c-1; ${S}=s-1`, 'https://shop.test', own)).toEqual([])
    expect(() => createProxy({ endpoint: 'http://x', renewCookies: 'no' as never })).toThrow(/^esales-snippet\/server: createProxy\(\): renewCookies must be true or false/)
  })

  it('creates none: without key cookies, no Set-Cookie', async () => {
    expect(await cookies(V3 + 'click' + Q)).toEqual([])
    expect(await cookies(V3 + 'click' + Q, 'other=1')).toEqual([])
  })

  it('none for userContext=ANONYMOUS, the session cookie only for UNPERSONALIZED', async () => {
    const both = `${C}=c-1; ${S}=s-1`
    expect(await cookies(V3 + 'click?market=UK&userContext=ANONYMOUS', both)).toEqual([])
    expect(await cookies(V3 + 'click?market=UK&sessionKey=s-1&userContext=UNPERSONALIZED', both)).toEqual([`${S}=s-1; Max-Age=1800; Path=/; SameSite=Lax`])
    expect(await cookies(V3 + 'click' + Q + '&userContext=PERSONALIZED', both)).toHaveLength(2)
  })

  it('none for end (new keys follow it) or for what it refuses', async () => {
    const both = `${C}=c-1; ${S}=s-1`
    expect(await cookies(V3 + 'end' + Q, both)).toEqual([])
    expect(await cookies(V3 + 'nope' + Q, both)).toEqual([])
  })

  it('with the Domain given, and Secure as asked', async () => {
    const withDomain = createProxy({ endpoint: 'http://unused.invalid', domain: 'shop.test', secure: true, fetch: (async () => new Response(null, { status: 204 })) as unknown as typeof fetch })
    const res = await withDomain(new Request('http://shop.test' + V3 + 'click?market=UK&sessionKey=s-1&userContext=UNPERSONALIZED', { method: 'POST', body: '{}', headers: { cookie: `${S}=s-1` } }))
    expect(res.headers.getSetCookie()).toEqual([`${S}=s-1; Max-Age=1800; Path=/; SameSite=Lax; Secure; Domain=shop.test`])
  })
})

describe('createProxy in Node http and Express, to the local cluster', () => {
  let cluster: MockCluster
  beforeAll(async () => { cluster = await startCluster() })
  afterAll(() => cluster.close())

  it('plain Node http (toNodeHandler): a click arrives accepted, a bad one is answered 400 with the reason', async () => {
    const proxy = toNodeHandler(createProxy({ endpoint: cluster.url }))
    const server = await listen((req, res) => req.url!.startsWith('/esales/') ? proxy(req, res) : res.writeHead(200).end('page'))
    try {
      const ok = await fetch(server.url + V3 + 'click?customerKey=c&market=NODE&sessionKey=s', { method: 'POST', body: '{"ticket":"T-node"}', headers: { 'content-type': TEXT, cookie: `${C}=c; ${S}=s` } })
      expect(ok.status).toBe(204)
      expect(ok.headers.getSetCookie()).toHaveLength(2)
      const bad = await fetch(server.url + V3 + 'click?customerKey=c&market=NODE&sessionKey=s', { method: 'POST', body: '{"nope":1}', headers: { 'content-type': TEXT } })
      expect([bad.status, await bad.text()]).toEqual([400, 'body has fields other than "ticket"'])
      expect((await fetch(server.url + '/esales/api/admin/v3/notifications/payment', { method: 'POST' })).status).toBe(404)
      expect((await fetch(server.url + V3 + 'click', { method: 'POST', body: 'x'.repeat(MAX_BODY + 1) })).status).toBe(413)
      expect((await fetch(server.url + V3 + 'click')).status).toBe(405)
      expect(cluster.received({ market: 'NODE' }).map((r) => [r.ticket, r.verdict])).toEqual([['T-node', 'accepted'], [undefined, 'rejected']])
      expect(cluster.records.filter((r) => r.url.includes('/admin/'))).toEqual([])
    } finally {
      await server.close()
    }
  })

  it('Express, mounted at /esales before keysMiddleware, after express.text(): the cluster gets the click, and the page its cookies', async () => {
    const app = express()
    app.use(express.text({ type: 'text/plain' }))
    app.use('/esales', toNodeHandler(createProxy({ endpoint: cluster.url })))
    app.use(keysMiddleware())
    app.get('/', (_req, res) => { res.send('page') })
    const server = await listen(app)
    try {
      const res = await fetch(server.url + V3 + 'add-to-cart?market=EXPRESS&sessionKey=s-x&userContext=UNPERSONALIZED', {
        method: 'POST', body: '{"ticket":"T-express"}', headers: { 'content-type': TEXT, cookie: `${C}=c-x; ${S}=s-x` }
      })
      expect(res.status).toBe(204)
      expect(res.headers.getSetCookie()).toEqual([`${S}=s-x; Max-Age=1800; Path=/; SameSite=Lax`])
      const [r] = cluster.received({ market: 'EXPRESS' })
      expect(r).toMatchObject({ type: 'add-to-cart', ticket: 'T-express', verdict: 'accepted', url: '/api/storefront/v3/notifications/add-to-cart?market=EXPRESS&sessionKey=s-x&userContext=UNPERSONALIZED' })
      expect((await fetch(server.url + '/esales/api/admin/v3/notifications/payment', { method: 'POST' })).status).toBe(404)
      expect((await fetch(server.url + V2 + 'click', { method: 'PUT', body: 'x' })).status).toBe(405)
      // The page, outside the proxy's mount, gets the middleware's cookies.
      expect((await fetch(server.url + '/')).headers.getSetCookie()).toHaveLength(2)
    } finally {
      await server.close()
    }
  })
})

describe('createProxy mounted elsewhere than its basePath', () => {
  const warnings = () => {
    const spy = vi.spyOn(console, 'warn').mockImplementation(() => {})
    return { lines: () => spy.mock.calls.map((c) => c.join(' ')), restore: () => spy.mockRestore() }
  }

  it('answers 404, and says so once, naming the path it got and the basePath to give (web-standard, as a Next.js route at /api/esales)', async () => {
    const w = warnings()
    try {
      const proxy = createProxy({ endpoint: up.url })
      // Paths that are not notifications say nothing: a scan of the site is no misconfiguration.
      for (const path of ['/api/esales/favicon.ico', '/api/esales/api/admin/v3/notifications/payment', '/esales/api/v2/notifications/nope']) {
        expect((await proxy(post(path))).status).toBe(404)
      }
      expect(w.lines()).toEqual([])
      expect((await proxy(post('/api/esales/api/storefront/v3/notifications/click' + Q))).status).toBe(404)
      expect((await proxy(post('/api/esales/api/v2/notifications/click' + Q))).status).toBe(404)
      expect(w.lines()).toEqual(['esales-snippet/server: createProxy(): answered 404 to a notification at "/api/esales/api/storefront/v3/notifications/click": ' +
        'it takes them under basePath "/esales" only. Where it is mounted at /api/esales, pass basePath: "/api/esales", the path of the snippet\'s data-endpoint (said once; each such notification is lost)'])
      // At the root, with the default basePath.
      await createProxy({ endpoint: up.url })(post('/api/v2/notifications/end'))
      expect(w.lines()[1]).toMatch(/at "\/api\/v2\/notifications\/end": it takes them under basePath "\/esales" only\. Where it is mounted at \/, pass basePath: ""/)
    } finally {
      w.restore()
    }
  })

  it("in Express, mounted with app.use('/api/esales', …) without basePath: 404, said once; with basePath, forwarded", async () => {
    const w = warnings()
    const app = express()
    app.use('/api/esales', toNodeHandler(createProxy({ endpoint: up.url })))
    app.use('/shop/esales', toNodeHandler(createProxy({ endpoint: up.url, basePath: '/shop/esales' })))
    const server = await listen(app)
    try {
      up.got.length = 0
      const send = (path: string) => fetch(server.url + path + Q, { method: 'POST', body: '{"ticket":"T"}', headers: { 'content-type': TEXT } })
      expect((await send('/api/esales/api/storefront/v3/notifications/click')).status).toBe(404)
      expect((await send('/api/esales/api/storefront/v3/notifications/click')).status).toBe(404)
      expect(w.lines()).toEqual([expect.stringMatching(/^esales-snippet\/server: createProxy\(\): answered 404 to a notification at "\/api\/esales\/api\/storefront\/v3\/notifications\/click": .+ pass basePath: "\/api\/esales"/)])
      expect((await send('/shop/esales/api/storefront/v3/notifications/click')).status).toBe(204)
      expect(up.got.map((g) => g.url)).toEqual(['/api/storefront/v3/notifications/click' + Q])
    } finally {
      w.restore()
      await server.close()
    }
  })
})

describe('toNodeHandler', () => {
  /** A Node-like request: its stream gives `chunks`; `body` and `readableEnded` as a body parser leaves them. */
  const nodeRequest = (chunks: string[], extra: { body?: unknown; readableEnded?: boolean } = {}) => ({
    method: 'POST', url: '/esales/api/v2/notifications/click' + Q, originalUrl: undefined as string | undefined,
    headers: { host: 'shop.test', 'content-type': TEXT, cookie: `${C}=c-1`, 'x-forwarded-proto': 'https' },
    async *[Symbol.asyncIterator]() { for (const c of chunks) yield c },
    ...extra
  })
  const nodeResponse = () => {
    const headers: Record<string, unknown> = {}
    return {
      statusCode: 0, headers, body: '' as string, headersSent: false,
      getHeader: (n: string) => headers[n] as string | string[] | undefined,
      setHeader: (n: string, v: unknown) => { headers[n.toLowerCase()] = v },
      end(chunk?: Uint8Array | string) { this.body = typeof chunk == 'string' ? chunk : new TextDecoder().decode(chunk) }
    }
  }
  const echo = async (request: Request) => new Response(JSON.stringify({ url: request.url, body: await request.text(), cookie: request.headers.get('cookie') }),
    { status: 201, headers: [['content-type', 'application/json'], ['set-cookie', 'a=1'], ['set-cookie', 'b=2']] })

  it('turns the Node request into a Request (its stream, headers, https from the proxy) and writes the Response back', async () => {
    const res = nodeResponse()
    res.setHeader('set-cookie', ['before=1'])
    await toNodeHandler(echo)(nodeRequest(['{"ticket":', '"T"}']), res)
    expect(res.statusCode).toBe(201)
    expect(JSON.parse(res.body)).toEqual({ url: 'https://shop.test/esales/api/v2/notifications/click' + Q, body: '{"ticket":"T"}', cookie: `${C}=c-1` })
    expect(res.headers['content-type']).toBe('application/json')
    expect(res.headers['set-cookie']).toEqual(['before=1', 'a=1', 'b=2'])
  })

  it("reads the stream where a body parser left req.body = {} without reading it, and takes the parser's body where it read the stream", async () => {
    const unread = nodeResponse()
    await toNodeHandler(echo)(nodeRequest(['{"ticket":"S"}'], { body: {}, readableEnded: false }), unread)
    expect(JSON.parse(unread.body).body).toBe('{"ticket":"S"}')
    const text = nodeResponse()
    await toNodeHandler(echo)(nodeRequest([], { body: '{"ticket":"P"}', readableEnded: true }), text)
    expect(JSON.parse(text.body).body).toBe('{"ticket":"P"}')
    const json = nodeResponse()
    await toNodeHandler(echo)(nodeRequest([], { body: { ticket: 'J' }, readableEnded: true }), json)
    expect(JSON.parse(json.body).body).toBe('{"ticket":"J"}')
  })

  it("answers 500 when the handler throws, or passes the error to next", async () => {
    const boom = async () => { throw new Error('boom') }
    const res = nodeResponse()
    await toNodeHandler(boom)(nodeRequest([]), res)
    expect([res.statusCode, res.body]).toEqual([500, 'internal error'])
    const errors: unknown[] = []
    await toNodeHandler(boom)(nodeRequest([]), nodeResponse(), (e) => errors.push(e))
    expect(errors.map(String)).toEqual(['Error: boom'])
  })
})
