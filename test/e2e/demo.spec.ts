import { spawn, type ChildProcess } from 'node:child_process'
import { ticket } from '../../demo/catalog.js'
import { expect, test } from './fixtures'

const SEARCH = '/demo/DESKTOP/SEARCH_PAGE/PRIMARY_LIST'

/** Starts the demo as `npm start` does, on free ports, and reads the two URLs it prints. */
async function startDemo(): Promise<{ child: ChildProcess; shop: string; log: string; output: () => string }> {
  const child = spawn('npm', ['start', '--silent'], { env: { ...process.env, SHOP_PORT: '0', CLUSTER_PORT: '0' }, stdio: ['ignore', 'pipe', 'pipe'], detached: true })
  let output = ''
  child.stdout!.on('data', (c) => { output += c })
  child.stderr!.on('data', (c) => { output += c })
  await expect.poll(() => /notification log:\s+(\S+)/.test(output), { timeout: 30_000, message: 'npm start prints its URLs' }).toBe(true)
  return {
    child,
    shop: /demo shop:\s+(\S+)/.exec(output)![1]!,
    log: /notification log:\s+(\S+)/.exec(output)![1]!,
    output: () => output
  }
}

test('npm start: clicks in the demo shop appear in the live log as accepted, with the right tickets, and the checkout\'s payment with their keys', async ({ page, context }, info) => {
  test.setTimeout(60_000)
  const demo = await startDemo()
  try {
    const log = await context.newPage()
    await log.goto(demo.log)
    await expect(log.locator('#status')).toHaveText('live')

    const row = (t: string) => log.locator(`tr[data-ticket="${t}"][data-verdict="accepted"]`)
    const shopHome = async () => {
      await page.goto(demo.shop)
      await page.waitForFunction(() => (window as any).esales?.loaded)
    }

    // The consent banner asks first: until the shopper answers, nothing is stored or sent.
    await shopHome()
    await page.click('#consent-granted')
    // A product tile that navigates to its product page.
    await Promise.all([page.waitForURL('**/product/P1001'), page.click('#tile-P1001 a')])
    await expect(row(ticket(SEARCH, 'product_key', 'P1001'))).toHaveCount(1)

    // The content item (a banner).
    await shopHome()
    await Promise.all([page.waitForURL('**/product/P1005'), page.click('#banner')])
    const content = ticket('/demo/DESKTOP/START_PAGE/CONTENT_LIST', 'content_key', 'winter-guide')
    await expect(row(content)).toHaveCount(1)
    await expect(row(content)).toContainText(';/demo/DESKTOP/START_PAGE/CONTENT_LIST;#;content_key;winter-guide;#;#;#;#;')

    // An autocomplete suggestion.
    await shopHome()
    await page.fill('#search', 'sh')
    const suggestion = ticket('/demo/DESKTOP/AUTOCOMPLETE/PRODUCT_SUGGESTIONS', 'product_key', 'P1001')
    await Promise.all([page.waitForURL('**/product/P1001'), page.click(`#suggestions li[data-esales-ticket="${suggestion}"]`)])
    await expect(row(suggestion)).toHaveCount(1)

    // The tile inside the web component's shadow root.
    await shopHome()
    await Promise.all([page.waitForURL('**/product/P1007'), page.locator('featured-product').locator('a').click()])
    await expect(row(ticket(SEARCH, 'product_key', 'P1007'))).toHaveCount(1)

    // The add-to-cart button and the favorite toggle on a tile.
    await shopHome()
    await page.click('#tile-P1002 .cart')
    await expect(log.locator('tr[data-verdict="accepted"]', { hasText: 'add-to-cart' })).toHaveCount(1)
    await page.click('#tile-P1002 .fav')
    await expect(log.locator('tr[data-verdict="accepted"]', { hasText: 'add-favorite' })).toContainText('{"productKey":"P1002"}')

    const clicks = log.locator('tr[data-verdict="accepted"]:not([data-type="ad-impression"])')
    await expect(clicks).toHaveCount(6)
    await expect(log.locator('#rejected')).toHaveText('0')

    // Sponsored products: those in view send an ad-impression after a second; those further down once scrolled to.
    await shopHome()
    const seen = (t: string) => log.locator(`tr[data-type="ad-impression"][data-ticket="${t}"][data-verdict="accepted"]`)
    await expect(seen(ticket('/demo/DESKTOP/SEARCH_PAGE/SPONSORED_PRODUCTS', 'product_key', 'P1004')).first()).toBeVisible()
    const below = ticket('/demo/DESKTOP/START_PAGE/SPONSORED_PRODUCTS', 'product_key', 'P2001')
    await expect(seen(below)).toHaveCount(0)
    // The recommendations arrive 600 ms after load and push the rows below them down: scroll
    // once they are in, or the item may end up less than half in view.
    await page.waitForSelector('#recommended .tile')
    await page.locator('#ad-P2001').scrollIntoViewIfNeeded()
    await expect(seen(below)).toHaveCount(1)
    await expect(log.locator('#impressions')).not.toHaveText('0')

    // The checkout: the shop's server sends the payment, with the keys of the clicks before it
    // (the pages got their key cookies from the server, and the clicks went through its /esales).
    await shopHome()
    await Promise.all([page.waitForURL('**/product/P1004'), page.click('#tile-P1004 a')])
    await Promise.all([page.waitForURL('**/thanks?**'), page.click('#buy')])
    await expect(page.locator('#outcome')).toHaveText('Payment sent to eSales: 204 after 1 attempt.')
    const payment = log.locator('tr[data-source="server"][data-type="payment"][data-verdict="accepted"]')
    await expect(payment).toHaveCount(1)
    await expect(payment).toContainText('"variantKey":"P1004-M"')
    const keys = await payment.getAttribute('data-keys')
    expect(keys).toMatch(/^[\w-]{36} \/ [\w-]{36}$/)
    const browserKeys = await log.locator('tr[data-source="browser"][data-verdict="accepted"]').evaluateAll((rows) => [...new Set(rows.map((r) => (r as HTMLElement).dataset.keys))])
    expect(browserKeys).toEqual([keys])
    await expect(log.locator('#payments')).toHaveText('1')

    // The banner's other choices: the log shows each notification's level and the keys it carried.
    for (const [choice, shown] of [['anonymous', /^anonymous: — \/ —$/], ['unpersonalized', /^unpersonalized: — \/ [\w-]{36}$/]] as const) {
      await shopHome()
      await page.click(`#consent-${choice}`)
      await page.click('#tile-P1003 .cart')
      const added = log.locator('tr[data-verdict="accepted"][data-type="add-to-cart"]').first()
      await expect(added.locator('td.mono', { hasText: /^(personalized|unpersonalized|anonymous): / })).toHaveText(shown)
    }

    await shopHome()
    await page.waitForSelector('#recommended .tile')
    await page.screenshot({ path: info.outputPath('shop.png'), fullPage: true })
    await log.screenshot({ path: info.outputPath('log.png') })
    await info.attach('shop', { path: info.outputPath('shop.png'), contentType: 'image/png' })
    await info.attach('log', { path: info.outputPath('log.png'), contentType: 'image/png' })
  } finally {
    process.kill(-demo.child.pid!, 'SIGINT')
  }
  // Ctrl-C reaches npm and the demo alike; the demo closes both servers and says so.
  await expect.poll(() => demo.output(), { message: 'Ctrl-C stops the demo cleanly' }).toContain('esales demo: stopped')
  await expect.poll(() => demo.child.exitCode ?? demo.child.signalCode).not.toBeNull()
})

test('npm start: where the consent choice allows no keys (anonymous statistics, statistics only, decline, no answer yet), the checkout says so plainly and sends no payment', async ({ page, context }) => {
  test.setTimeout(60_000)
  const demo = await startDemo()
  try {
    const log = await context.newPage()
    await log.goto(demo.log)
    await expect(log.locator('#status')).toHaveText('live')
    const buy = async (choice: string | undefined) => {
      await page.goto(demo.shop)
      await page.waitForFunction(() => (window as any).esales?.loaded)
      if (choice) await page.click(`#consent-${choice}`)
      await Promise.all([page.waitForURL('**/product/P1004'), page.click('#tile-P1004 a')])
      await Promise.all([page.waitForURL('**/thanks?**'), page.click('#buy')])
      return page.locator('#outcome').innerText()
    }
    const plain = /^No payment notification was sent to eSales: .+ allows no (keys|customer key), and eSales' payment notification carries both the customer key and the session key\.$/
    for (const choice of [undefined, 'anonymous', 'unpersonalized', 'denied']) {
      const outcome = await buy(choice)
      expect([choice, outcome]).toEqual([choice, expect.stringMatching(plain)])
      // No developer's words for the shopper.
      expect(outcome).not.toMatch(/esales-snippet|sendPayment|refused|keys\./)
    }
    // The server sent none: the log's payment count stays at 0, and so does the log's row count for payments.
    await expect(log.locator('#payments')).toHaveText('0')
    await expect(log.locator('tr[data-type="payment"]')).toHaveCount(0)
    // With Accept all, the next order's payment goes.
    expect(await buy('granted')).toBe('Payment sent to eSales: 204 after 1 attempt.')
    await expect(log.locator('#payments')).toHaveText('1')
  } finally {
    process.kill(-demo.child.pid!, 'SIGINT')
  }
  await expect.poll(() => demo.child.exitCode ?? demo.child.signalCode).not.toBeNull()
})

test('npm start with a taken port says which one and how to pick another', async ({ cluster }) => {
  const port = new URL(cluster.url).port
  const child = spawn('node', ['demo/start.js'], { env: { ...process.env, SHOP_PORT: '0', CLUSTER_PORT: port }, stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  child.stderr!.on('data', (c) => { output += c })
  const code = await new Promise((resolve) => child.on('exit', resolve))
  expect(code).toBe(1)
  expect(output).toContain(`esales demo: port ${port} for the local eSales cluster is taken`)
  expect(output).toContain('CLUSTER_PORT=')
})
