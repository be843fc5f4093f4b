import { consoleLine, expect, NO_BEACON, ready, REFUSING_BEACON, test } from './fixtures'

const tile = '<div id="t" data-esales-ticket="T-KY">tile</div>'
const debug = { attrs: { 'data-debug': '' } }

test('without sendBeacon, ky delivers exactly once, as a simple (unpreflighted) request', async ({ page, open, received, consoleLines, cluster }) => {
  await page.addInitScript(NO_BEACON)
  await open(tile, debug)
  await ready(page)
  await page.click('#t')
  await consoleLine(consoleLines, 'sent with fetch 204')
  expect(received().map((n) => [n.ticket, n.verdict])).toEqual([['T-KY', 'accepted']])
  expect(received()[0]!.contentType!.toLowerCase()).toBe('text/plain;charset=utf-8')
  expect(received()[0]!.body).toBe('{"ticket":"T-KY"}')
  expect(cluster.preflights).toBe(0)
})

test('without sendBeacon, the ky chunk is loaded at start-up, before the first click', async ({ page, open, shop }) => {
  await page.addInitScript(NO_BEACON)
  const chunk = page.waitForRequest(`${shop.url}/dist/esales-fallback.js`)
  await open(tile)
  await chunk
})

test('with sendBeacon, the ky chunk is not loaded at all', async ({ page, open, received }) => {
  const loaded: string[] = []
  page.on('request', (r) => { if (r.url().includes('esales-fallback')) loaded.push(r.url()) })
  await open(tile)
  await ready(page)
  await page.click('#t')
  await expect.poll(() => received().length).toBe(1)
  expect(loaded).toEqual([])
})

test('when sendBeacon returns false, ky delivers exactly once', async ({ page, open, received, consoleLines }) => {
  await page.addInitScript(REFUSING_BEACON)
  await open(tile, debug)
  await ready(page)
  await page.click('#t')
  await consoleLine(consoleLines, 'sent with fetch 204')
  expect(received().map((n) => [n.ticket, n.verdict])).toEqual([['T-KY', 'accepted']])
})

test('5xx and dropped connections are retried until the notification arrives once', async ({ page, open, received, consoleLines, cluster, market }) => {
  await page.addInitScript(NO_BEACON)
  cluster.addFault({ kind: '500', count: 1, market })
  cluster.addFault({ kind: 'drop', count: 1, market })
  cluster.addFault({ kind: '500', count: 1, market })
  await open(tile, debug)
  await ready(page)
  await page.click('#t')
  await consoleLine(consoleLines, 'sent with fetch 204')
  expect(received().map((n) => n.status)).toEqual([500, 0, 500, 204])
  expect(received({ verdict: 'accepted' })).toHaveLength(1)
})

test('tickets with quotes, ampersands and emoji arrive byte-exact through ky too', async ({ page, open, received, consoleLines }) => {
  await page.addInitScript(NO_BEACON)
  await open('<div id="q" data-esales-ticket="&quot;quoted&quot; &amp; 🛒 ÅÄÖ">tile</div>', debug)
  await ready(page)
  await page.click('#q')
  await consoleLine(consoleLines, 'sent with fetch 204')
  expect(received().map((n) => [n.ticket, n.body])).toEqual([['"quoted" & 🛒 ÅÄÖ', '{"ticket":"\\"quoted\\" & 🛒 ÅÄÖ"}']])
})

test('a ticket too large for a beacon (over 64 KiB) still arrives, through ky', async ({ page, open, received, consoleLines }) => {
  await open('<div id="big">tile</div>', debug)
  await ready(page)
  const ticket = 'B'.repeat(70_000) + '🛒'
  await page.evaluate((t) => document.getElementById('big')!.setAttribute('data-esales-ticket', t), ticket)
  await page.click('#big')
  await consoleLine(consoleLines, 'sent with fetch 204')
  expect(received().map((n) => [n.verdict, n.ticket === ticket])).toEqual([['accepted', true]])
})

test('data-api="v3" sends to the Storefront v3 path with the same parameters and body', async ({ page, open, received, market }) => {
  await open(tile, { attrs: { 'data-api': 'v3' } })
  await ready(page)
  await page.click('#t')
  await expect.poll(() => received().length).toBe(1)
  const [n] = received()
  expect([n!.verdict, n!.api, n!.url.split('?')[0], n!.body, n!.market]).toEqual(['accepted', 'v3', '/api/storefront/v3/notifications/click', '{"ticket":"T-KY"}', market])
})

test('data-endpoint may be a same-origin path (a first-party proxy), on the beacon and the ky path', async ({ page, shop, html, cluster, received }) => {
  shop.proxy(cluster.url)
  await page.goto(shop.page(html(tile, { attrs: { 'data-endpoint': '/esales' } })))
  await ready(page)
  await page.click('#t')
  await expect.poll(() => received().map((n) => [n.ticket, n.verdict, n.url.split('?')[0]])).toEqual([['T-KY', 'accepted', '/api/v2/notifications/click']])
  await page.evaluate(NO_BEACON)
  await page.evaluate(() => (window as any).esales.click('VIA-KY'))
  await expect.poll(() => received().map((n) => n.ticket)).toEqual(['T-KY', 'VIA-KY'])
})

test('data-cluster-id sends to https://{id}.api.esales.apptus.cloud', async ({ page, html, shop, context, market }) => {
  const seen: string[] = []
  // The real cluster is out of reach here; the route answers as eSales would.
  await context.route('https://w1a2b3c4.api.esales.apptus.cloud/**', async (route) => {
    seen.push(`${route.request().method()} ${route.request().url()} ${route.request().postData()}`)
    await route.fulfill({ status: 204, headers: { 'access-control-allow-origin': '*' } })
  })
  await page.addInitScript(NO_BEACON)
  await page.goto(shop.page(html(tile, { attrs: { 'data-endpoint': null, 'data-cluster-id': 'w1a2b3c4' } })))
  await ready(page)
  await page.click('#t')
  await expect.poll(() => seen.length).toBe(1)
  expect(seen[0]).toMatch(new RegExp(`^POST https://w1a2b3c4\\.api\\.esales\\.apptus\\.cloud/api/v2/notifications/click\\?customerKey=[0-9a-f-]{36}&market=${market}&sessionKey=[0-9a-f-]{36} \\{"ticket":"T-KY"\\}$`))
})
