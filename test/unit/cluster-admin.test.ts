// The local cluster's admin payment endpoint: the contract (admin.js), the endpoint as a server
// calls it, and `--api-key` on the command line. The Api-Key is never recorded or printed.
import { spawn } from 'node:child_process'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEFAULT_API_KEY, rightKey, validateAdminPayment } from '../../cluster/admin.js'
import { startCluster, type MockCluster } from '../../cluster/server.js'

const KEY = 'cluster-admin-test-key'
const Q = '?customerKey=c-1&market=UK&sessionKey=s-1'
const PAY = '/api/admin/v3/notifications/payment'
const JSON_TYPE = 'application/json;charset=utf-8'
const line = { variantKey: 'V1', quantity: 2, sellingPrice: 39, cost: 15.2 }

const check = (over: Partial<Parameters<typeof validateAdminPayment>[0]> = {}, knownKeys?: Set<string>) =>
  validateAdminPayment({ method: 'POST', url: PAY + Q, apiKeyHeader: KEY, contentType: JSON_TYPE, body: JSON.stringify({ lines: [line] }), ...over }, { apiKey: KEY, knownKeys })

describe('validateAdminPayment: the admin API payment contract', () => {
  it('takes a payment with the right key on v3 and v4, lines with variantKey or productKey, cost optional', () => {
    expect(check()).toMatchObject({ status: 204, reason: '', api: 'admin v3', taken: [line] })
    expect(check({ url: '/api/admin/v4/notifications/payment' + Q })).toMatchObject({ status: 204, api: 'admin v4' })
    expect(check({ body: '{"lines":[{"productKey":"P","quantity":1,"sellingPrice":0}]}' }).status).toBe(204)
  })

  it('answers 403 without the right Api-Key, before it looks at anything else', () => {
    expect(check({ apiKeyHeader: undefined })).toMatchObject({ status: 403, reason: 'no Api-Key header' })
    expect(check({ apiKeyHeader: 'wrong', body: 'not json' })).toMatchObject({ status: 403, reason: "the Api-Key is not this cluster's" })
    expect(check({ apiKeyHeader: KEY + 'x' }).status).toBe(403)
    expect(check({ apiKeyHeader: [KEY, KEY] }).status).toBe(403)
    expect(JSON.stringify(check({ apiKeyHeader: 'wrong-secret' }))).not.toContain('wrong-secret')
  })

  it.each([
    [{ body: '{"lines":[]}' }, '"lines" must be a non-empty array'],
    [{ body: '{}' }, '"lines" must be a non-empty array'],
    [{ body: '{"lines":[],"x":1}' }, 'body must be {"lines": [...]}'],
    [{ body: 'nope' }, 'body is not JSON'],
    [{ contentType: 'text/plain' }, 'content type "text/plain": use application/json'],
    [{ url: PAY + '?market=UK&sessionKey=s' }, 'missing query parameter customerKey'],
    [{ url: PAY + Q + '&market=SE' }, 'query parameter market given 2 times'],
    [{ body: '{"lines":[{"quantity":1,"sellingPrice":1}]}' }, 'line 0: "variantKey" (or "productKey") must be a non-empty string'],
    [{ body: '{"lines":[{"variantKey":"V","productKey":"P","quantity":1,"sellingPrice":1}]}' }, 'line 0: "variantKey" and "productKey" both given'],
    [{ body: '{"lines":[{"variantKey":"V","quantity":0,"sellingPrice":1}]}' }, 'line 0: "quantity" must be a positive integer'],
    [{ body: '{"lines":[{"variantKey":"V","quantity":1,"sellingPrice":-1}]}' }, 'line 0: "sellingPrice" must be a number >= 0'],
    [{ body: '{"lines":[{"variantKey":"V","quantity":1,"sellingPrice":10,"cost":0}]}' }, 'line 0: "cost" must be a non-zero number below "sellingPrice"'],
    [{ body: '{"lines":[{"variantKey":"V","quantity":1,"sellingPrice":10,"cost":10}]}' }, 'line 0: "cost" must be a non-zero number below "sellingPrice"'],
    [{ body: '{"lines":[{"variantKey":"V","quantity":1,"sellingPrice":1,"ticket":"t"}]}' }, 'line 0 has fields other than variantKey, productKey, quantity, sellingPrice, cost: ticket']
  ])('answers 400 for %j', (over, reason) => {
    expect(check(over)).toMatchObject({ status: 400, reason })
  })

  it('answers 400 for unknown variant keys, and takes the lines with known ones', () => {
    const body = JSON.stringify({ lines: [line, { variantKey: 'V9', quantity: 1, sellingPrice: 1 }, { productKey: 'P1', quantity: 1, sellingPrice: 2 }] })
    expect(check({ body }, new Set(['V1', 'P1']))).toMatchObject({
      status: 400, reason: 'unknown variant keys: line 1 ("V9"); the 2 other lines were taken', taken: [line, { productKey: 'P1', quantity: 1, sellingPrice: 2 }]
    })
  })

  it('answers 404 for another admin path and 405 for another method', () => {
    expect(check({ url: '/api/admin/v3/notifications/latest' + Q }).status).toBe(404)
    expect(check({ url: '/api/admin/v2/notifications/payment' + Q }).status).toBe(404)
    expect(check({ method: 'GET' }).status).toBe(405)
  })

  it('compares keys in full', () => {
    expect([rightKey(KEY, KEY), rightKey(KEY.slice(0, -1), KEY), rightKey('', KEY), rightKey(undefined, KEY)]).toEqual([true, false, false, false])
  })
})

describe('the admin payment endpoint of startCluster', () => {
  let cluster: MockCluster
  beforeAll(async () => { cluster = await startCluster({ apiKey: KEY }) })
  afterAll(() => cluster.close())
  const pay = (market: string, headers: Record<string, string>, body = JSON.stringify({ lines: [line] })) =>
    fetch(`${cluster.url}${PAY}?customerKey=c-1&market=${market}&sessionKey=s-1`, { method: 'POST', body, headers: { 'content-type': JSON_TYPE, ...headers } })

  it('records a payment as a server payment beside the browser notifications, without the key', async () => {
    const res = await pay('ADM', { 'api-key': KEY })
    expect(res.status).toBe(204)
    await fetch(`${cluster.url}/api/v2/notifications/click?customerKey=c-1&market=ADM&sessionKey=s-1`, { method: 'POST', body: '{"ticket":"T"}', headers: { 'content-type': 'text/plain;charset=UTF-8' } })
    expect(cluster.received({ market: 'ADM' }).map((r) => [r.type, r.api, r.source, r.verdict, r.customerKey, r.sessionKey])).toEqual([
      ['payment', 'admin v3', 'server', 'accepted', 'c-1', 's-1'],
      ['click', 'v2', 'browser', 'accepted', 'c-1', 's-1']
    ])
    expect(JSON.stringify(cluster.records)).not.toContain(KEY)
  })

  it('answers 403 without the key and 400 for no lines, and gives admin answers no CORS headers', async () => {
    const none = await pay('ADM403', { origin: 'http://localhost:3000' })
    expect([none.status, await none.text(), none.headers.get('access-control-allow-origin')]).toEqual([403, 'no Api-Key header', null])
    const wrong = await pay('ADM403', { 'api-key': 'the-wrong-one' })
    expect(wrong.status).toBe(403)
    const empty = await pay('ADM400', { 'api-key': KEY }, '{"lines":[]}')
    expect([empty.status, await empty.text()]).toEqual([400, '"lines" must be a non-empty array'])
    expect(cluster.received({ market: 'ADM403' }).map((r) => [r.verdict, r.status, r.reason])).toEqual([
      ['rejected', 403, 'no Api-Key header'], ['rejected', 403, "the Api-Key is not this cluster's"]
    ])
    expect(JSON.stringify(cluster.records)).not.toContain('the-wrong-one')
  })

  it("serves the fault switches to payments too, and a browser POST to /api/admin/ is no notification", async () => {
    cluster.addFault({ kind: '429', count: 1, retryAfter: 3, market: 'ADMF' })
    const res = await pay('ADMF', { 'api-key': KEY })
    expect([res.status, res.headers.get('retry-after')]).toEqual([429, '3'])
    expect((await pay('ADMF', { 'api-key': KEY })).status).toBe(204)
    const click = await fetch(`${cluster.url}/api/admin/v3/notifications/click?customerKey=c&market=ADMF&sessionKey=s`, { method: 'POST', body: '{"ticket":"T"}', headers: { 'api-key': KEY } })
    expect(click.status).toBe(404)
  })

  it('has a development key by default', async () => {
    const dev = await startCluster()
    try {
      const res = await fetch(`${dev.url}${PAY}${Q}`, { method: 'POST', body: JSON.stringify({ lines: [line] }), headers: { 'content-type': JSON_TYPE, 'api-key': DEFAULT_API_KEY } })
      expect(res.status).toBe(204)
    } finally {
      await dev.close()
    }
    await expect(startCluster({ apiKey: '' })).rejects.toThrow(/apiKey must be a non-empty string/)
  })
})

describe('esales-snippet-cluster --api-key', () => {
  it('takes payments with that key only, and never prints it', async () => {
    const secret = 'cli-secret-key-7f3a'
    const child = spawn(process.execPath, [new URL('../../cluster/cli.js', import.meta.url).pathname, '--port', '0', '--api-key', secret],
      { env: { ...process.env, ESALES_API_KEY: '' }, stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    child.stdout!.on('data', (c) => { out += c })
    child.stderr!.on('data', (c) => { out += c })
    const poll = async (re: RegExp) => {
      const deadline = Date.now() + 10_000
      while (!re.test(out)) {
        if (Date.now() > deadline) throw new Error(`no ${re} in: ${out}`)
        await new Promise((done) => setTimeout(done, 25))
      }
      return re.exec(out)!
    }
    try {
      const url = (await poll(/listening on (http:\/\/\S+)/))[1]!
      expect(out).toContain(`server payments: POST ${url}/api/admin/v3/notifications/payment`)
      expect(out).toContain('Api-Key: the --api-key value')
      const send = (key: string) => fetch(`${url}${PAY}?customerKey=c&market=CLIPAY&sessionKey=s`, { method: 'POST', body: JSON.stringify({ lines: [line] }), headers: { 'content-type': JSON_TYPE, 'api-key': key } })
      expect((await send(secret)).status).toBe(204)
      expect((await send(DEFAULT_API_KEY)).status).toBe(403)
      await poll(/accepted\s+payment \(admin v3\)\s+market=CLIPAY/)
      await poll(/rejected\s+payment \(admin v3\)\s+market=CLIPAY\s+the Api-Key is not this cluster's/)
      expect(out).not.toContain(secret)
    } finally {
      child.kill('SIGKILL')
    }
  })

  it('names the development key when none is given', async () => {
    const child = spawn(process.execPath, [new URL('../../cluster/cli.js', import.meta.url).pathname, '--port', '0'], { env: { ...process.env, ESALES_API_KEY: '' }, stdio: ['ignore', 'pipe', 'ignore'] })
    let out = ''
    child.stdout!.on('data', (c) => { out += c })
    try {
      const deadline = Date.now() + 10_000
      while (!out.includes('Ctrl-C')) {
        if (Date.now() > deadline) throw new Error(`no banner: ${out}`)
        await new Promise((done) => setTimeout(done, 25))
      }
      expect(out).toContain(`Api-Key: ${DEFAULT_API_KEY} (the development key; --api-key sets another)`)
    } finally {
      child.kill('SIGKILL')
    }
  })
})
