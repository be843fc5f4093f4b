// esales-snippet/server in Chromium, against the built dist/: a shop server whose pages go
// through keysMiddleware, whose /esales is createProxy to the local cluster (another origin), and
// whose checkout calls sendPayment with readKeys(request). The keys the server makes on the first
// page are the ones the snippet sends its click with, and the ones the payment carries.
import type { Page } from '@playwright/test'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { readFile } from 'node:fs/promises'
import type { AddressInfo } from 'node:net'
import { join, normalize } from 'node:path'
import { DEFAULT_API_KEY } from '../../cluster/server.js'
import { shopPage } from '../support/page.js'
import type { ConsentLevel, ConsentSetting, Keys } from '../../src/server/index.js'
import { expect, ready, test } from './fixtures'

const root = new URL('../..', import.meta.url).pathname
const C = 'apptus.customerKey'
const S = 'apptus.sessionKey'

type Server = typeof import('../../src/server/index.js')

interface ShopOptions {
  /** The consent callback of the shop's keysMiddleware; `granted` by default. */
  consent?: (req: IncomingMessage) => ConsentSetting | undefined
  /** createProxy's renewCookies. */
  renewCookies?: boolean
  /** Key cookies that the shop's own server sets (HttpOnly) and renders into the tag, instead of keysMiddleware's. */
  ownCookies?: { customerKey: string; sessionKey: string }
}

/**
 * A shop that uses the package's server entry as a shop installs it (dist/server/index.js).
 * @param clusterUrl - the local cluster
 * @param market - this test's market
 * @param options - its consent callback, the proxy's renewCookies, cookies of its own
 */
async function startShop(clusterUrl: string, market: string, options: ShopOptions = {}) {
  const server: Server = await import(join(root, 'dist/server/index.js'))
  const keys = server.keysMiddleware({ consent: options.consent ?? (() => 'granted') })
  const proxy = server.toNodeHandler(server.createProxy({ endpoint: clusterUrl, renewCookies: options.renewCookies }))
  const proxied: string[] = []
  const answered: string[] = []
  const html = (consent: ConsentLevel, preset: Partial<Keys> = {}) => shopPage({
    src: '/dist/esales.js',
    // A page for a shopper who has not agreed holds the snippet back too.
    attrs: { 'data-endpoint': '/esales', 'data-api': 'v3', 'data-market': market, 'data-consent': consent == 'granted' ? null : consent,
      'data-customer-key': preset.customerKey, 'data-session-key': preset.sessionKey },
    body: '<article id="tile" data-esales-ticket="TICKET-SERVER"><a href="#p">a product</a></article>'
  })
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url || '/').split('?')[0]!
    if (path.startsWith('/esales/')) {
      proxied.push(req.url!)
      await proxy(req, res)
      answered.push(req.url!)
      return
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
    if (path == '/' && options.ownCookies) {
      // The shop's own cookies, which script cannot read: the keys reach the snippet in the tag.
      const { customerKey, sessionKey } = options.ownCookies
      res.setHeader('set-cookie', [`${C}=${customerKey}; Max-Age=31536000; Path=/; SameSite=Lax; HttpOnly`, `${S}=${sessionKey}; Max-Age=1800; Path=/; SameSite=Lax; HttpOnly`])
      return void res.writeHead(200, { 'content-type': 'text/html;charset=utf-8', 'cache-control': 'no-store' }).end(html('granted', options.ownCookies))
    }
    if (path == '/') {
      const state = await keys(req, res)
      return void res.writeHead(200, { 'content-type': 'text/html;charset=utf-8', 'cache-control': 'no-store' }).end(html(state.consent))
    }
    res.writeHead(404).end()
  }
  const http = createServer((req, res) => { handle(req, res).catch(() => res.writeHead(500).end()) })
  await new Promise<void>((done) => http.listen(0, '127.0.0.1', done))
  return {
    url: `http://localhost:${(http.address() as AddressInfo).port}`,
    proxied,
    answered,
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
  const shop = await startShop(cluster.url, market, { consent: () => 'denied' })
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

/** The browser's key cookies for the shop: name, value and whether HttpOnly. */
const keyCookiesOf = async (page: Page, url: string) =>
  (await page.context().cookies(url)).filter((c) => c.name == C || c.name == S).map((c) => [c.name, c.value, c.httpOnly] as const)

test('a shop that sets HttpOnly key cookies itself keeps them HttpOnly through createProxy with renewCookies: false', async ({ page, cluster, market, received }) => {
  const own = { customerKey: 'c-own-httponly', sessionKey: 's-own-httponly' }
  const shop = await startShop(cluster.url, market, { ownCookies: own, renewCookies: false })
  try {
    await page.goto(shop.url + '/')
    await ready(page)
    await page.click('#tile a')
    await expect.poll(() => received({ type: 'click' }).map((r) => [r.verdict, r.customerKey, r.sessionKey])).toEqual([['accepted', own.customerKey, own.sessionKey]])
    await expect.poll(() => shop.answered.length).toBe(1)
    // The proxy's answer set no cookie: the shop's stay as its server wrote them, HttpOnly.
    expect((await keyCookiesOf(page, shop.url)).sort()).toEqual([[C, own.customerKey, true], [S, own.sessionKey, true]])
  } finally {
    await shop.close()
  }
})

test("a late proxy answer after the shopper declines: the next page, through keysMiddleware and the shop's consent callback, leaves no key cookie", async ({ page, cluster, market, received }) => {
  // The shop's consent manager keeps the choice in a cookie of its own, as the demo's does.
  const shop = await startShop(cluster.url, market, { consent: (req) => /(?:^|; )shop\.consent=denied(?:;|$)/.test(req.headers.cookie || '') ? 'denied' : 'granted' })
  try {
    await page.goto(shop.url + '/')
    await ready(page)
    expect((await keyCookiesOf(page, shop.url)).map(([name]) => name).sort()).toEqual([C, S])
    // The click waits at the cluster, with the proxy waiting for its answer, while the shopper declines.
    cluster.addFault({ kind: 'delay', ms: 3000, count: 1, market })
    await page.click('#tile a')
    await expect.poll(() => shop.proxied.length).toBe(1)
    await page.evaluate(() => {
      document.cookie = 'shop.consent=denied; Path=/; SameSite=Lax'
      ;(window as unknown as { esales: { consent(level: string): void } }).esales.consent('denied')
    })
    expect(await keyCookiesOf(page, shop.url)).toEqual([])
    expect(shop.answered).toEqual([])
    // The answer comes after the page moved: it may write back the cookies the click left with
    // (docs/server.md, "Late answers"). The next page decides again.
    await expect.poll(() => shop.answered.length, { timeout: 15_000 }).toBe(1)
    expect(received({ type: 'click' }).map((r) => r.verdict)).toEqual(['accepted'])
    await page.goto(shop.url + '/')
    await ready(page)
    expect(await keyCookiesOf(page, shop.url)).toEqual([])
  } finally {
    await shop.close()
  }
})
