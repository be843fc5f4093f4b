import { expect, NO_BEACON, test } from './fixtures'

const IMPORT_MAP = '<script type="importmap">{"imports":{"ky":"/node_modules/ky/distribution/index.js","nanoid":"/node_modules/nanoid/index.browser.js"}}</script>'

test('the ESM build: createTracker tracks clicks, and destroy() removes its listeners', async ({ page, shop, cluster, market, received }) => {
  const html = `<!doctype html><html><head>${IMPORT_MAP}</head><body>
    <div id="t" data-esales-ticket="ESM">tile</div>
    <script type="module">
      import { createTracker } from '/dist/index.js'
      window.first = createTracker({ endpoint: '${cluster.url}', market: '${market}' })
      window.createTracker = createTracker
      window.ready = true
    </script></body></html>`
  await page.goto(shop.page(html))
  await page.waitForFunction(() => (window as any).ready)
  await page.click('#t')
  await expect.poll(() => received().map((n) => n.ticket)).toEqual(['ESM'])
  expect(await page.evaluate(() => (window as any).first.keys())).toEqual({ customerKey: received()[0]!.customerKey, sessionKey: received()[0]!.sessionKey })

  await page.evaluate(() => (window as any).first.destroy())
  await page.click('#t')
  await page.evaluate(({ endpoint, market }) => (window as any).createTracker({ endpoint, market }).click('SENTINEL'), { endpoint: cluster.url, market })
  await expect.poll(() => received().map((n) => n.ticket)).toEqual(['ESM', 'SENTINEL'])
})

test('the ESM build without sendBeacon loads its ky chunk and delivers once', async ({ page, shop, cluster, market, received, consoleLines }) => {
  await page.addInitScript(NO_BEACON)
  const html = `<!doctype html><html><head>${IMPORT_MAP}</head><body>
    <script type="module">
      import { createTracker } from '/dist/index.js'
      createTracker({ endpoint: '${cluster.url}', market: '${market}', debug: true }).click('ESM-KY')
    </script></body></html>`
  await page.goto(shop.page(html))
  await expect.poll(() => consoleLines.find((l) => l.includes('sent with fetch 204'))).toBeTruthy()
  expect(received().map((n) => [n.ticket, n.verdict])).toEqual([['ESM-KY', 'accepted']])
})

test('the ESM build with bad options logs one esales: error and returns a tracker that does nothing', async ({ page, shop, consoleLines }) => {
  const html = `<!doctype html><html><head>${IMPORT_MAP}</head><body>
    <script type="module">
      import { createTracker } from '/dist/index.js'
      const t = createTracker({ clusterId: 'bad id' })
      t.click('X'); t.reset(); t.setCustomerKey('y'); t.destroy()
      window.keys = t.keys()
    </script></body></html>`
  await page.goto(shop.page(html))
  await page.waitForFunction(() => (window as any).keys)
  await expect.poll(() => consoleLines.filter((l) => l.startsWith('error:'))).toEqual(['error: esales: data-market is missing: your market id, as in the data feed (1 to 100 characters of well-formed text, no space at either end), is required.'])
})
