// esales-snippet/server in Chromium, against the built dist/: a shop server whose pages go
// through keysMiddleware, whose /esales is createProxy to the local cluster (another origin), and
// whose checkout calls sendPayment with readKeys(request). The keys the server makes on the first
// page are the ones the snippet sends its click with, and the ones the payment carries.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { readFile } from 'node:fs/promises'
import type { AddressInfo } from 'node:net'
import { join, normalize } from 'node:path'
import { DEFAULT_API_KEY } from '../../cluster/server.js'
import { shopPage } from '../support/page.js'
import { expect, ready, test } from './fixtures'

const root = new URL('../..', import.meta.url).pathname
const C = 'apptus.customerKey'
const S = 'apptus.sessionKey'

type Server = typeof import('../../src/server/index.js')

/**
 * A shop that uses the package's server entry as a shop installs it (dist/server/index.js).
 * @param clusterUrl - the local cluster
 * @param market - this test's market
 * @param consent - the consent level its pages are served with
 */
async function startShop(clusterUrl: string, market: string, consent: 'granted' | 'denied' = 'granted') {
  const server: Server = await import(join(root, 'dist/server/index.js'))
  const keys = server.keysMiddleware({ consent: () => consent })
  const proxy = server.toNodeHandler(server.createProxy({ endpoint: clusterUrl }))
  const proxied: string[] = []
  const html = shopPage({
    src: '/dist/esales.js',
    // A page for a shopper who has not agreed holds the snippet back too.
    attrs: { 'data-endpoint': '/esales', 'data-api': 'v3', 'data-market': market, 'data-consent': consent == 'granted' ? null : 'pending' },
    body: '<article id="tile" data-esales-ticket="TICKET-SERVER"><a href="#p">a product</a></article>'
  })
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url || '/').split('?')[0]!
    if (path.startsWith('/esales/')) {
      proxied.push(req.url!)
      return proxy(req, res)
    }
    if (path == '/checkout' && req.method == 'POST') {
      let body = ''
      for await (const chunk of req) body += chunk
      const result = await server.sendPayment({ endpoint: clusterUrl, apiKey: DEFAULT_API_KEY, market, keys: server.readKeys(req), lines: JSON.parse(body) })
        .catch((error: Error & { status: number }) => ({ error: error.message, status: error.status }))
      return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(result))
    }
    if (path.startsWith('/dist/')) {
      const file = normalize(join(root, path))
      if (!file.startsWith(join(root, 'dist'))) return void res.writeHead(403).end()
      return void res.writeHead(200, { 'content-type': 'text/javascript;charset=utf-8', 'cache-control': 'no-store' }).end(await readFile(file))
    }
    if (path == '/') {
      await keys(req, res)
      return void res.writeHead(200, { 'content-type': 'text/html;charset=utf-8', 'cache-control': 'no-store' }).end(html)
    }
    res.writeHead(404).end()
  }
  const http = createServer((req, res) => { handle(req, res).catch(() => res.writeHead(500).end()) })
  await new Promise<void>((done) => http.listen(0, '127.0.0.1', done))
  return {
    url: `http://localhost:${(http.address() as AddressInfo).port}`,
    proxied,
    close: async () => {
      http.closeAllConnections()
      await new Promise((done) => http.close(done))
    }
  }
}

/** The key values of Set-Cookie lines. */
const cookieValues = (lines: string[]) => Object.fromEntries(lines.map((l) => l.split(';')[0]!.split('=') as [string, string]))

test('the server sets the keys on the first page, the snippet adopts them, a click goes through createProxy, and the payment carries the same keys', async ({ page, cluster, market, received }) => {
  const shop = await startShop(cluster.url, market)
  try {
    const response = await page.goto(shop.url + '/')
    const setCookie = (await response!.headersArray()).filter((h) => h.name.toLowerCase() == 'set-cookie').map((h) => h.value)
    const fromServer = cookieValues(setCookie)
    expect(Object.keys(fromServer).sort()).toEqual([C, S])
    expect(setCookie.join('\n')).not.toMatch(/httponly/i)
    const keys = { customerKey: fromServer[C]!, sessionKey: fromServer[S]! }

    // The snippet adopts the server's keys: it makes none of its own.
    await ready(page)
    expect(await page.evaluate(() => (window as unknown as { esales: { keys(): unknown } }).esales.keys())).toEqual(keys)

    // A click goes to /esales on the shop's own origin, and from there to the cluster.
    await page.click('#tile a')
    await expect.poll(() => received({ type: 'click' }).map((r) => [r.ticket, r.verdict, r.customerKey, r.sessionKey])).toEqual([['TICKET-SERVER', 'accepted', keys.customerKey, keys.sessionKey]])
    const [click] = received({ type: 'click' })
    expect(click!.api).toBe('v3')
    // The cluster saw the shop's server, not the page: no Origin, so no CORS at all.
    expect(click!.origin).toBeUndefined()
    expect(shop.proxied.filter((u) => u.startsWith('/esales/api/storefront/v3/notifications/click?'))).toHaveLength(1)
    const cookies = await page.context().cookies(shop.url)
    expect(cookies.filter((c) => c.name == C || c.name == S).map((c) => [c.name, c.value, c.httpOnly])).toEqual(expect.arrayContaining([[C, keys.customerKey, false], [S, keys.sessionKey, false]]))

    // The checkout: the server's payment carries the keys of the click before it.
    const result = await page.evaluate(() => fetch('/checkout', { method: 'POST', body: JSON.stringify([{ variantKey: 'V-SERVER', quantity: 1, sellingPrice: 49.5, cost: 20 }]) }).then((r) => r.json()))
    expect(result).toEqual({ status: 204, attempts: 1 })
    const payments = received({ type: 'payment' })
    expect(payments.map((r) => [r.source, r.api, r.verdict, r.customerKey, r.sessionKey])).toEqual([['server', 'admin v3', 'accepted', keys.customerKey, keys.sessionKey]])
    expect(payments[0]!.json).toEqual({ lines: [{ variantKey: 'V-SERVER', quantity: 1, sellingPrice: 49.5, cost: 20 }] })
  } finally {
    await shop.close()
  }
})

test('a shopper who has not consented gets no key cookie from the server, and the proxy creates none', async ({ page, cluster, market, received }) => {
  const shop = await startShop(cluster.url, market, 'denied')
  try {
    const response = await page.goto(shop.url + '/')
    expect((await response!.headersArray()).filter((h) => h.name.toLowerCase() == 'set-cookie')).toEqual([])
    await ready(page)
    // A notification without key cookies (as a page whose own consent stops the snippet would
    // have none): the proxy forwards it and sets no cookie.
    const res = await page.evaluate((m) => fetch(`/esales/api/storefront/v3/notifications/click?market=${m}&userContext=ANONYMOUS`, {
      method: 'POST', body: '{"ticket":"T-ANON"}', headers: { 'content-type': 'text/plain;charset=UTF-8' }
    }).then((r) => ({ status: r.status })), market)
    // The cluster's answer, whatever it is, comes back as it is.
    await expect.poll(() => received().map((r) => r.url)).toEqual([`/api/storefront/v3/notifications/click?market=${market}&userContext=ANONYMOUS`])
    expect(res.status).toBe(received()[0]!.status)
    const cookies = await page.context().cookies(shop.url)
    expect(cookies.filter((c) => c.name == C || c.name == S)).toEqual([])
  } finally {
    await shop.close()
  }
})
