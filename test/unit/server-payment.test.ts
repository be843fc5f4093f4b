// sendPayment over real HTTP against the local cluster: the payment with the shopper's keys, its
// checks, retries (faults, Retry-After), what is never retried, and the API key in no error.
import { inspect } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startCluster, type MockCluster } from '../../cluster/server.js'
import { PaymentError, sendPayment, type PaymentOptions } from '../../src/server/index'
import { listen } from './server-fixtures'

// Latin-1 beyond ASCII and a space inside: a header carries both.
const API_KEY = 'sk-test-5f0c1d2e-never shown-ø'
const KEYS = { customerKey: 'c-pay', sessionKey: 's-pay' }
const LINES = [{ variantKey: 'V1', quantity: 2, sellingPrice: 39, cost: 15.2 }, { productKey: 'P2', quantity: 1, sellingPrice: 9.5 }]

let cluster: MockCluster
beforeAll(async () => { cluster = await startCluster({ apiKey: API_KEY, knownKeys: ['V1', 'P2', 'V3'] }) })
afterAll(() => cluster.close())

let markets = 0
/** A payment of a market of its own, with waits recorded rather than slept. */
function payment(over: Partial<PaymentOptions> = {}) {
  const market = `PAY${++markets}`
  const waits: number[] = []
  const options = { endpoint: cluster.url, apiKey: API_KEY, market, keys: KEYS, lines: LINES, sleep: async (ms: number) => { waits.push(ms) }, ...over } as PaymentOptions
  return { options, market, waits, send: () => sendPayment(options), received: () => cluster.received({ market }) }
}

/** The rejection of a promise, which must reject. */
async function rejection(promise: Promise<unknown>): Promise<PaymentError> {
  const outcome = await promise.then(() => undefined, (e: unknown) => e)
  expect(outcome).toBeInstanceOf(PaymentError)
  return outcome as PaymentError
}

/** Every way an error can be shown or logged: none may hold the key. */
function expectNoKey(error: unknown) {
  for (const text of [String(error), (error as Error).stack, inspect(error, { depth: 10, showHidden: true }), JSON.stringify(error), JSON.stringify(Object.entries(error as object))]) {
    expect(text).not.toContain(API_KEY)
  }
}

describe('sendPayment', () => {
  it('sends the lines to the admin API with the keys and market, and resolves { status, attempts }', async () => {
    const p = payment()
    expect(await p.send()).toEqual({ status: 204, attempts: 1 })
    const [r] = p.received()
    expect(r).toMatchObject({ type: 'payment', api: 'admin v3', source: 'server', verdict: 'accepted', customerKey: 'c-pay', sessionKey: 's-pay', contentType: 'application/json;charset=utf-8' })
    expect(r!.url).toBe(`/api/admin/v3/notifications/payment?customerKey=c-pay&market=${p.market}&sessionKey=s-pay`)
    expect(r!.json).toEqual({ lines: LINES })
  })

  it('goes to https://{clusterId}.{clusterHost}: api.esales.apptus.cloud by default, elevate-api.cloud when asked', async () => {
    const urls: string[] = []
    const fakeFetch = (async (input: Request | string) => { urls.push(typeof input == 'string' ? input : input.url); return new Response(null, { status: 204 }) }) as typeof fetch
    for (const clusterHost of [undefined, 'elevate-api.cloud', 'api.esales.apptus.cloud'] as const) {
      expect(await payment({ endpoint: undefined, clusterId: 'w1A2B3C4D', clusterHost, fetch: fakeFetch, market: 'UK' }).send()).toEqual({ status: 204, attempts: 1 })
    }
    // ky hands fetch a Request, whose URL has the host in lower case.
    expect(urls.map((u) => u.split('?')[0])).toEqual([
      'https://w1a2b3c4d.api.esales.apptus.cloud/api/admin/v3/notifications/payment',
      'https://w1a2b3c4d.elevate-api.cloud/api/admin/v3/notifications/payment',
      'https://w1a2b3c4d.api.esales.apptus.cloud/api/admin/v3/notifications/payment'
    ])
  })

  it('takes version v4', async () => {
    const p = payment({ version: 'v4' })
    expect(await p.send()).toEqual({ status: 204, attempts: 1 })
    expect(p.received()[0]).toMatchObject({ api: 'admin v4', verdict: 'accepted' })
  })

  it('retries 500 and 503 with a backoff, and resolves with the attempts it took', async () => {
    const p = payment()
    cluster.addFault({ kind: '500', count: 2, market: p.market })
    expect(await p.send()).toEqual({ status: 204, attempts: 3 })
    expect(p.waits).toEqual([500, 1000])
    expect(p.received().map((r) => r.status)).toEqual([500, 500, 204])
  })

  it('waits what Retry-After asks on 503 and 429, up to maxRetryAfter', async () => {
    const p = payment()
    cluster.addFault({ kind: '503', count: 1, retryAfter: 2, market: p.market })
    cluster.addFault({ kind: '429', count: 1, retryAfter: 30, market: p.market })
    expect(await p.send()).toEqual({ status: 204, attempts: 3 })
    expect(p.waits).toEqual([2000, 30_000])
    const q = payment({ maxRetryAfter: 5000 })
    cluster.addFault({ kind: '429', count: 1, retryAfter: 5, market: q.market })
    expect(await q.send()).toEqual({ status: 204, attempts: 2 })
    expect(q.waits).toEqual([5000])
  })

  it('gives up at once, never sooner than asked, where Retry-After asks for more than maxRetryAfter', async () => {
    const p = payment()
    cluster.addFault({ kind: '503', count: 1, retryAfter: 2, market: p.market })
    cluster.addFault({ kind: '429', count: 1, retryAfter: 120, market: p.market })
    const error = await rejection(p.send())
    expect([error.status, error.attempts]).toEqual([429, 2])
    expect(error.message).toMatch(/^esales-snippet\/server: sendPayment\(\): eSales answered 429 \(too many requests.*\), 2 attempts, not retried: eSales asked to wait 120 s, more than maxRetryAfter \(30000 ms\)$/)
    expect(p.waits).toEqual([2000])
    const q = payment({ maxRetryAfter: 5000 })
    cluster.addFault({ kind: '503', count: 1, retryAfter: 6, market: q.market })
    const second = await rejection(q.send())
    expect([second.status, second.attempts, q.waits]).toEqual([503, 1, []])
    expect(second.message).toMatch(/eSales asked to wait 6 s, more than maxRetryAfter \(5000 ms\)$/)
    cluster.clearFaults()
  })

  it('reads a Retry-After date against the clock given', async () => {
    const now = Date.parse('2026-11-29T12:00:00Z')
    const server = await listen((_req, res) => {
      server.hits++
      if (server.hits == 1) res.writeHead(503, { 'retry-after': 'Sun, 29 Nov 2026 12:00:03 GMT' }).end()
      else res.writeHead(204).end()
    }) as Awaited<ReturnType<typeof listen>> & { hits: number }
    server.hits = 0
    try {
      const p = payment({ endpoint: server.url, now: () => now })
      expect(await p.send()).toEqual({ status: 204, attempts: 2 })
      expect(p.waits).toEqual([3000])
    } finally {
      await server.close()
    }
  })

  it('retries a dropped connection and a timeout', async () => {
    const p = payment()
    cluster.addFault({ kind: 'drop', count: 1, market: p.market })
    expect(await p.send()).toEqual({ status: 204, attempts: 2 })
    const q = payment({ timeout: 100 })
    cluster.addFault({ kind: 'delay', count: 1, ms: 1000, market: q.market })
    expect(await q.send()).toEqual({ status: 204, attempts: 2 })
  })

  it('gives up after the retries, with the last status, and the key in no error', async () => {
    const p = payment({ retries: 2 })
    cluster.addFault({ kind: '500', count: 5, market: p.market })
    const error = await rejection(p.send())
    expect([error.status, error.attempts]).toEqual([500, 3])
    expect(error.message).toBe('esales-snippet/server: sendPayment(): eSales answered 500 (eSales is unavailable: fault switch: server error), after 3 attempts')
    expect(p.waits).toEqual([500, 1000])
    expectNoKey(error)
    cluster.clearFaults()
  })

  it('never retries 400: a wrong payment, or unknown variant keys (the known lines are taken)', async () => {
    const p = payment({ lines: [{ variantKey: 'V1', quantity: 1, sellingPrice: 10 }, { variantKey: 'V-unknown', quantity: 1, sellingPrice: 5 }] })
    const error = await rejection(p.send())
    expect([error.status, error.attempts]).toEqual([400, 1])
    expect(error.message).toMatch(/^esales-snippet\/server: sendPayment\(\): eSales answered 400 \(the payment was refused: unknown variant keys: line 1 \("V-unknown"\); the 1 other line was taken\), 1 attempt, not retried$/)
    expect(p.received()).toHaveLength(1)
    expect(p.received()[0]!.taken).toEqual([{ variantKey: 'V1', quantity: 1, sellingPrice: 10 }])
    const q = payment()
    cluster.addFault({ kind: '400', count: 3, market: q.market })
    expect((await rejection(q.send())).attempts).toBe(1)
    expect(q.waits).toEqual([])
    cluster.clearFaults()
  })

  it('never retries 403, and names neither the right key nor the wrong one', async () => {
    const wrong = 'sk-wrong-key-also-secret'
    const p = payment({ apiKey: wrong })
    const error = await rejection(p.send())
    expect([error.status, error.attempts]).toEqual([403, 1])
    expect(error.message).toBe("esales-snippet/server: sendPayment(): eSales answered 403 (the Api-Key was refused: the Api-Key is not this cluster's), 1 attempt, not retried")
    for (const text of [error.message, error.stack!, inspect(error, { depth: 10, showHidden: true })]) {
      expect(text).not.toContain(wrong)
      expect(text).not.toContain(API_KEY)
    }
  })

  it('removes the key from whatever the server answered, and from network errors', async () => {
    const echo = await listen((req, res) => { res.writeHead(500).end(`bad key ${req.headers['api-key']} here`) })
    try {
      const error = await rejection(payment({ endpoint: echo.url, retries: 1 }).send())
      expect(error.message).toBe('esales-snippet/server: sendPayment(): eSales answered 500 (eSales is unavailable: bad key [Api-Key] here), after 2 attempts')
      expectNoKey(error)
    } finally {
      await echo.close()
    }
    const gone = await listen(() => {})
    const url = gone.url
    await gone.close()
    const error = await rejection(payment({ endpoint: url, retries: 1 }).send())
    expect([error.status, error.attempts]).toEqual([0, 2])
    expect(error.message).toMatch(/^esales-snippet\/server: sendPayment\(\): eSales could not be reached \(ECONNREFUSED\), after 2 attempts$/)
    expectNoKey(error)
  })

  it('never follows a redirect or retries another 4xx: a wrong endpoint says so at once', async () => {
    const moved = await listen((req, res) => { res.writeHead(req.url!.startsWith('/gone') ? 404 : 307, { location: '/gone' }).end() })
    try {
      for (const [path, status] of [['', 307], ['/gone', 404]] as const) {
        const p = payment({ endpoint: moved.url + path })
        const error = await rejection(p.send())
        expect([error.status, error.attempts, p.waits]).toEqual([status, 1, []])
        expect(error.message).toMatch(new RegExp(`eSales answered ${status} \\(not what the admin API answers: check clusterId or endpoint\\), 1 attempt, not retried$`))
      }
    } finally {
      await moved.close()
    }
  })

  it('times out each attempt, and says so', async () => {
    const p = payment({ timeout: 50, retries: 1 })
    cluster.addFault({ kind: 'delay', count: 2, ms: 500, market: p.market })
    const error = await rejection(p.send())
    expect([error.status, error.attempts, error.message]).toEqual([0, 2, 'esales-snippet/server: sendPayment(): no answer within 50 ms, after 2 attempts'])
    expectNoKey(error)
  })

  it('removes the key from what the server answered in every encoding: verbatim, URL-encoded (either case, form), JSON-escaped, and cut short', async () => {
    const key = 'sk-"quote"/slash\\back+plus é=eq&amp; 100%'
    const hex = (c: string) => c.charCodeAt(0).toString(16).padStart(4, '0')
    const forms: Record<string, (k: string) => string> = {
      verbatim: (k) => k,
      uri: (k) => encodeURI(k),
      component: (k) => encodeURIComponent(k),
      'component, lower case': (k) => encodeURIComponent(k).replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase()),
      form: (k) => new URLSearchParams({ k }).toString().slice(2),
      json: (k) => JSON.stringify(k).slice(1, -1),
      'json, slash escaped': (k) => JSON.stringify(k).slice(1, -1).replace(/\//g, '\\/'),
      'json, all \\u': (k) => [...k].map((c) => '\\u' + hex(c)).join(''),
      'json, upper-case \\u': (k) => [...k].map((c) => '\\u' + hex(c).toUpperCase()).join(''),
      'cut at the end of the reason': (k) => 'x'.repeat(280) + k
    }
    let form = 'verbatim'
    const echo = await listen((req, res) => { res.writeHead(400).end(`bad key: ${forms[form]!(Buffer.from(String(req.headers['api-key']), 'latin1').toString('latin1'))}`) })
    try {
      for (const name of Object.keys(forms)) {
        form = name
        const error = await rejection(payment({ endpoint: echo.url, apiKey: key }).send())
        expect([name, error.status]).toEqual([name, 400])
        // Not the key, in no form, and no recognizable part of it.
        for (const [other, encode] of Object.entries(forms)) if (other != 'cut at the end of the reason') expect(error.message, `${name}: ${other}`).not.toContain(encode(key))
        expect(error.message, name).not.toMatch(/quote|slash|back|plus|sk-/)
        expect(error.message, name).toContain(name == 'cut at the end of the reason' ? 'bad key: xxx' : 'bad key: [Api-Key]')
      }
    } finally {
      await echo.close()
    }
  })

  it('never puts the key in the cluster\'s records or live log', async () => {
    const events = await fetch(cluster.url + '/events')
    const reader = events.body!.getReader()
    const init = new TextDecoder().decode((await reader.read()).value)
    await reader.cancel()
    expect(init).toContain('admin v3')
    expect(init).not.toContain(API_KEY)
    expect(JSON.stringify(await (await fetch(cluster.url + '/records')).json())).not.toContain(API_KEY)
  })
})

describe('sendPayment refuses before sending, naming the field', () => {
  it.each([
    [{ keys: {} }, 'keys.customerKey', /keys\.customerKey is missing or not a safe token: pass readKeys\(request\)/],
    [{ keys: { customerKey: 'c' } }, 'keys.sessionKey', /keys\.sessionKey is missing/],
    [{ keys: { customerKey: 'me@example.com', sessionKey: 's' } }, 'keys.customerKey', /keys\.customerKey/],
    [{ keys: undefined }, 'keys.customerKey', /keys\.customerKey/],
    [{ market: '' }, 'market', /market must be the market id/],
    [{ market: 42 }, 'market', /market must be/],
    [{ market: ' UK' }, 'market', /market must be the market id, as in the data feed: 1 to 100 characters, no spaces at either end, no control characters, not " UK" \(a string\)/],
    [{ market: 'UK\n' }, 'market', /market must be/],
    [{ market: 'U\u0000K' }, 'market', /market must be/],
    [{ market: 'UK\ud800' }, 'market', /market must be/],
    [{ market: 'M'.repeat(101) }, 'market', /market must be/],
    [{ lines: [] }, 'lines', /lines must be a non-empty array/],
    [{ lines: [{ quantity: 1, sellingPrice: 1 }] }, 'lines[0].variantKey', /lines\[0\]: variantKey \(or productKey\) must be a non-empty string/],
    [{ lines: [{ variantKey: 'V', productKey: 'P', quantity: 1, sellingPrice: 1 }] }, 'lines[0].variantKey', /lines\[0\]: give variantKey or productKey, not both/],
    [{ lines: [LINES[0], { variantKey: 'V', quantity: 0, sellingPrice: 1 }] }, 'lines[1].quantity', /lines\[1\]: quantity must be a whole number of at least 1, not 0/],
    [{ lines: [{ variantKey: 'V', quantity: 1, sellingPrice: -1 }] }, 'lines[0].sellingPrice', /lines\[0\]: sellingPrice must be a number of at least 0, not -1/],
    [{ lines: [{ variantKey: 'V', quantity: 1, sellingPrice: Infinity }] }, 'lines[0].sellingPrice', /not Infinity/],
    [{ lines: [{ variantKey: 'V', quantity: 1, sellingPrice: 10, cost: 12 }] }, 'lines[0].cost', /lines\[0\]: cost must be a number above 0 and below sellingPrice \(10\), not 12/],
    [{ lines: [{ variantKey: 'V', quantity: 1, sellingPrice: 10, cost: 0 }] }, 'lines[0].cost', /cost/],
    [{ apiKey: '' }, 'apiKey', /apiKey must be the cluster's admin API key/],
    [{ apiKey: 'key\r\nX-Evil: 1' }, 'apiKey', /apiKey/],
    [{ version: 'v2' }, 'version', /version must be v3 or v4/],
    [{ retries: 11 }, 'retries', /retries must be a whole number from 0 to 10/],
    [{ timeout: 0 }, 'timeout', /timeout must be/],
    [{ endpoint: 'not a url' }, 'endpoint', /endpoint must be an http\(s\) URL/],
    [{ endpoint: undefined, clusterId: 'bad id' }, 'clusterId', /clusterId must be/],
    [{ endpoint: undefined }, 'clusterId', /give clusterId or endpoint/],
    [{ endpoint: undefined, clusterId: 'w1A2B3C4D', clusterHost: 'evil.example' }, 'clusterHost', /clusterHost must be api\.esales\.apptus\.cloud \(the default\) or elevate-api\.cloud, not "evil\.example"/],
    [{ clusterHost: 'elevate-api.cloud' }, 'clusterHost', /clusterHost goes with clusterId/]
  ])('%j', async (over, field, message) => {
    const p = payment(over as Partial<PaymentOptions>)
    const error = await rejection(p.send())
    expect(error.message).toMatch(/^esales-snippet\/server: sendPayment\(\)/)
    expect(error.message).toMatch(message)
    expect(error.message).toMatch(/nothing was sent$/)
    expect([error.field, error.status, error.attempts]).toEqual([field, 0, 0])
    expect(p.received()).toEqual([])
    expect(error.message).not.toContain(API_KEY)
  })

  it('never shows the API key, not even a malformed one', async () => {
    const error = await rejection(payment({ apiKey: 'secret-with\nnewline' }).send())
    expect(error.message).not.toContain('secret-with')
  })

  it('refuses an API key that a header cannot carry (beyond Latin-1, control characters, spaces at either end), naming apiKey and not the key', async () => {
    for (const apiKey of ['ключ-secret-1', 'secret-2-€', 'secret-3-\u0085', 'secret-4\ttab', ' secret-5', 'secret-6 ', 'secret-7-\u{1F511}']) {
      const p = payment({ apiKey })
      const error = await rejection(p.send())
      expect([apiKey, error.field, error.status, error.attempts]).toEqual([apiKey, 'apiKey', 0, 0])
      expect(error.message).toMatch(/^esales-snippet\/server: sendPayment\(\) refused: apiKey .*; nothing was sent$/)
      expect(error.message).not.toMatch(/secret|ключ/)
      expect(p.received()).toEqual([])
    }
    // Latin-1 beyond ASCII, and a space inside, a header carries.
    expect(await payment({ apiKey: API_KEY }).send()).toEqual({ status: 204, attempts: 1 })
  })

  it('takes cost: null and cost: undefined as no cost', async () => {
    const p = payment({ lines: [{ variantKey: 'V1', quantity: 1, sellingPrice: 10, cost: null }, { variantKey: 'V3', quantity: 2, sellingPrice: 5, cost: undefined }] })
    expect(await p.send()).toEqual({ status: 204, attempts: 1 })
    expect(p.received()[0]!.json).toEqual({ lines: [{ variantKey: 'V1', quantity: 1, sellingPrice: 10 }, { variantKey: 'V3', quantity: 2, sellingPrice: 5 }] })
  })

  it.each([
    [{ variantKey: 'V', quantity: '2', sellingPrice: 1 }, 'lines[0].quantity', 'lines[0]: quantity must be a whole number of at least 1, not "2" (a string)'],
    [{ variantKey: 'V', quantity: 1e21, sellingPrice: 1 }, 'lines[0].quantity', 'lines[0]: quantity must be a whole number of at least 1 and at most 9007199254740991, not 1e+21'],
    [{ variantKey: 'V', quantity: 2 ** 53, sellingPrice: 1 }, 'lines[0].quantity', 'lines[0]: quantity must be a whole number of at least 1 and at most 9007199254740991, not 9007199254740992'],
    [{ variantKey: 'V', quantity: null, sellingPrice: 1 }, 'lines[0].quantity', 'lines[0]: quantity must be a whole number of at least 1, not null'],
    [{ variantKey: 'V', quantity: 1, sellingPrice: '39.00' }, 'lines[0].sellingPrice', 'lines[0]: sellingPrice must be a number of at least 0, not "39.00" (a string)'],
    [{ variantKey: 'V', quantity: 1, sellingPrice: 10, cost: '5' }, 'lines[0].cost', 'lines[0]: cost must be a number above 0 and below sellingPrice (10), not "5" (a string)'],
    [{ variantKey: 'V', quantity: 1, sellingPrice: 10, cost: {} }, 'lines[0].cost', 'lines[0]: cost must be a number above 0 and below sellingPrice (10), not an object']
  ])('describes a line\'s amount as it was given: %j', async (line, field, message) => {
    const p = payment({ lines: [line] as never })
    const error = await rejection(p.send())
    expect([error.field, error.message]).toEqual([field, `esales-snippet/server: sendPayment() refused: ${message}; nothing was sent`])
    expect(p.received()).toEqual([])
  })
})
