import type { Page } from '@playwright/test'
import { BREAK_ARRAYS, consoleLine, expect, FREEZE_PROTOTYPES, LATE_JSON, NO_BEACON, outbox, ready, seedMalformedCookies, test } from './fixtures'

const tiles = '<div id="t" data-esales-ticket="T">tile</div><div id="u" data-esales-ticket="U">other tile</div>'
const debug = { attrs: { 'data-debug': '' } }

test('offline: a click is kept, and arrives once after a reload online', async ({ page, open, received, context }) => {
  await open(tiles, debug)
  await ready(page)
  await context.setOffline(true)
  await page.click('#t')
  await expect.poll(() => outbox(page)).toHaveLength(1)
  expect(received()).toEqual([])
  await context.setOffline(false)
  await page.reload()
  await expect.poll(() => received().map((n) => [n.ticket, n.verdict])).toEqual([['T', 'accepted']])
  await expect.poll(() => outbox(page)).toEqual([])
  // Once the outbox is empty nothing can send it again; a second page load proves it.
  await page.reload()
  await ready(page)
  await page.click('#u')
  await expect.poll(() => received().map((n) => n.ticket)).toEqual(['T', 'U'])
})

test('offline with the chunk already loaded: the click waits for the online event, then arrives once', async ({ page, open, received, context, consoleLines }) => {
  await page.addInitScript(NO_BEACON)
  await open(tiles, debug)
  await ready(page)
  await page.click('#u')
  await consoleLine(consoleLines, 'sent with fetch 204')
  await context.setOffline(true)
  await page.click('#t')
  await consoleLine(consoleLines, 'offline: kept in the outbox')
  await context.setOffline(false)
  await expect.poll(() => received().map((n) => n.ticket)).toEqual(['U', 'T'])
  await expect.poll(() => outbox(page)).toEqual([])
})

test('500 twice, then the notification arrives once (ky retries with backoff)', async ({ page, open, received, cluster, market, consoleLines }) => {
  await page.addInitScript(NO_BEACON)
  cluster.addFault({ kind: '500', count: 2, market })
  await open(tiles, debug)
  await ready(page)
  await page.click('#t')
  await consoleLine(consoleLines, 'sent with fetch 204')
  expect(received().map((n) => n.status)).toEqual([500, 500, 204])
  await expect.poll(() => outbox(page)).toEqual([])
})

test('a 503 with Retry-After: the retry waits as long as the server asked', async ({ page, open, received, cluster, market, consoleLines }) => {
  await page.addInitScript(NO_BEACON)
  cluster.addFault({ kind: '503', count: 1, market, retryAfter: 2 })
  await open(tiles, debug)
  await ready(page)
  await page.click('#t')
  await consoleLine(consoleLines, 'sent with fetch 204')
  const [first, second] = received()
  expect([first!.status, second!.status]).toEqual([503, 204])
  expect(Date.parse(second!.time) - Date.parse(first!.time)).toBeGreaterThanOrEqual(1900)
})

test('when every retry fails, the notification stays in the outbox and arrives once on the next page', async ({ page, open, received, cluster, market, consoleLines }) => {
  await page.addInitScript(NO_BEACON)
  cluster.addFault({ kind: 'drop', count: 3, market })
  await open(tiles, debug)
  await ready(page)
  await page.click('#t')
  await consoleLine(consoleLines, 'not delivered, kept in the outbox')
  expect(received().map((n) => n.status)).toEqual([0, 0, 0])
  const kept = await outbox(page)
  expect(kept.map((e) => [typeof e.id, e.body])).toEqual([['string', '{"ticket":"T"}']])
  await page.reload()
  await expect.poll(() => received({ verdict: 'accepted' }).map((n) => n.ticket)).toEqual(['T'])
  await expect.poll(() => outbox(page)).toEqual([])
  // The replay keeps the keys and market it was first built with.
  expect(received()[3]!.url).toBe(received()[0]!.url)
})

test('two tabs flushing one outbox send each entry once', async ({ context, page, shop, html, cluster, market, received }) => {
  const url = shop.page(html(tiles))
  await page.goto(url)
  const entries = Array.from({ length: 30 }, (_, i) => ({
    url: `${cluster.url}/api/v2/notifications/click?customerKey=c-${i}&market=${market}&sessionKey=s-${i}`,
    body: JSON.stringify({ ticket: `KEPT-${i}` }),
    t: Date.now()
  }))
  // Stop this tab from flushing before the two tabs under test start.
  await page.goto(shop.page('<p>blank</p>'))
  await page.evaluate((list) => localStorage.setItem('esales.outbox', JSON.stringify(list)), entries)
  const [a, b] = [await context.newPage(), await context.newPage()]
  await Promise.all([a.goto(url), b.goto(url)])
  await expect.poll(() => received().length).toBe(30)
  await expect.poll(() => outbox(a)).toEqual([])
  expect(received().map((n) => n.ticket).sort()).toEqual(entries.map((e) => JSON.parse(e.body).ticket).sort())
  expect(received().map((n) => n.verdict)).toEqual(Array(30).fill('accepted'))
})

test('the outbox keeps at most 100 entries, drops the oldest and those over 24 hours old, and says so', async ({ page, shop, html, cluster, market, received, consoleLines }) => {
  const url = shop.page(html(tiles, debug))
  await page.goto(shop.page('<p>blank</p>'))
  await page.evaluate(({ base, market }) => {
    const entry = (i: number, t: number) => ({ url: `${base}/api/v2/notifications/click?customerKey=c&market=${market}&sessionKey=s`, body: JSON.stringify({ ticket: `E-${i}` }), t })
    const list = [entry(-1, Date.now() - 25 * 3600_000)]
    for (let i = 0; i < 105; i++) list.push(entry(i, Date.now()))
    localStorage.setItem('esales.outbox', JSON.stringify(list))
  }, { base: cluster.url, market })
  await page.goto(url)
  await consoleLine(consoleLines, 'outbox: dropped 1 entries over 24 hours old')
  await consoleLine(consoleLines, 'outbox full: dropped the 5 oldest')
  await expect.poll(() => received().length).toBe(100)
  expect(received().map((n) => n.ticket).sort()).toEqual(Array.from({ length: 100 }, (_, i) => `E-${i + 5}`).sort())
})

test('a double click or a burst on one tile sends one notification; two tiles clicked quickly send two', async ({ page, open, received }) => {
  await open(tiles)
  await ready(page)
  await page.dblclick('#t')
  await page.click('#t', { clickCount: 3 })
  await page.click('#u')
  await page.click('#t')
  await expect.poll(() => received().map((n) => n.ticket).sort()).toEqual(['T', 'T', 'T', 'U'])
})

for (const [name, breakStorage] of [
  ['localStorage getter throws', () => { Object.defineProperty(window, 'localStorage', { get() { throw new DOMException('denied', 'SecurityError') } }) }],
  ['setItem throws (quota)', () => { Storage.prototype.setItem = () => { throw new DOMException('full', 'QuotaExceededError') } }],
  ['cookies blocked', () => {
    Object.defineProperty(Document.prototype, 'cookie', { get() { throw new DOMException('blocked', 'SecurityError') }, set() { throw new DOMException('blocked', 'SecurityError') } })
  }]
] as [string, () => void][]) {
  test(`storage trouble, ${name}: no page error, clicks are still sent with stable keys`, async ({ page, open, received }) => {
    await page.addInitScript(breakStorage)
    await open(tiles)
    await ready(page)
    await page.click('#t')
    await page.click('#u')
    await expect.poll(() => received().map((n) => n.ticket).sort()).toEqual(['T', 'U'])
    const [a, b] = received()
    expect([a!.verdict, b!.verdict]).toEqual(['accepted', 'accepted'])
    expect(b!.customerKey).toBe(a!.customerKey)
  })
}

test('storage trouble, a data: URL document (opaque origin, storage throws): no page error, clicks are still sent', async ({ page, open, html, received }) => {
  // A data: URL in a frame of the shop: a top-level data: page may not load from loopback at all
  // in Chromium (Private Network Access), which says nothing about the snippet.
  await open(`<iframe id="f" src="data:text/html,${encodeURIComponent(html(tiles))}"></iframe>`)
  const frame = page.frames().find((f) => f.url().startsWith('data:'))!
  await frame.waitForFunction(() => (window as any).esales?.loaded === true)
  expect(await frame.evaluate(() => { try { return String(localStorage.length) } catch (e) { return (e as Error).name } })).toBe('SecurityError')
  await page.frameLocator('#f').locator('#t').click()
  await expect.poll(() => received().map((n) => [n.ticket, n.verdict])).toEqual([['T', 'accepted']])
})

test('malformed cookies: the snippet reads what it can and never throws', async ({ page, shop, html, received, context }) => {
  const url = shop.page(html(tiles))
  await seedMalformedCookies(page, shop.url)
  await page.goto(url)
  await ready(page)
  await page.click('#t')
  await expect.poll(() => received().map((n) => [n.ticket, n.customerKey, n.verdict])).toEqual([['T', 'good-customer', 'accepted']])
  expect(received()[0]!.sessionKey).toMatch(/^[0-9a-f-]{36}$/)
})

test('consent pending: no cookie, no storage, nothing sent; consent(true) starts, consent(false) removes and stops', async ({ page, open, received, context, shop, html }) => {
  await open(tiles, { attrs: { 'data-consent': 'pending' } })
  await ready(page)
  const stored = async () => ({
    cookies: (await context.cookies()).map((c) => c.name).filter((n) => n.startsWith('apptus.')),
    storage: await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('esales.') || k.startsWith('apptus.')))
  })
  await page.click('#t')
  expect(await page.evaluate(() => (window as any).esales.keys())).toEqual({})
  await page.evaluate(() => (window as any).esales.consent(true))
  await page.click('#u')
  await expect.poll(() => received().map((n) => n.ticket)).toEqual(['U'])
  expect(await stored()).toEqual({ cookies: ['apptus.customerKey', 'apptus.sessionKey'], storage: ['esales.keys'] })
  await page.evaluate(() => (window as any).esales.consent(false))
  expect(await stored()).toEqual({ cookies: [], storage: [] })
  await page.click('#t')
  await page.evaluate(() => (window as any).esales.click('BY-HAND'))
  expect(await stored()).toEqual({ cookies: [], storage: [] })
  // A sentinel from a page with consent: once it is in, the clicks above had their chance.
  const other = await context.newPage()
  await other.goto(shop.page(html(tiles)))
  await other.waitForFunction(() => (window as any).esales?.loaded)
  await other.evaluate(() => (window as any).esales.click('SENTINEL'))
  await expect.poll(() => received().map((n) => n.ticket)).toEqual(['U', 'SENTINEL'])
})

test('consent pending: before consent(true), a page writes no cookie and no storage entry at all', async ({ page, open, context }) => {
  await open(tiles, { attrs: { 'data-consent': 'pending' } })
  await ready(page)
  await page.click('#t')
  expect((await context.cookies()).length).toBe(0)
  expect(await page.evaluate(() => localStorage.length)).toBe(0)
})

test('a page that breaks JSON.stringify, Array.prototype, fetch and freezes prototypes: clicks still arrive', async ({ page, open, received }) => {
  await page.addInitScript(BREAK_ARRAYS)
  await page.addInitScript(() => { window.fetch = () => Promise.reject(new Error('broken fetch')) })
  await page.addInitScript(FREEZE_PROTOTYPES)
  await open(tiles + LATE_JSON)
  // Playwright's own waitForFunction needs the Array methods this page broke: wait for load instead
  // (the snippet's tag is a classic script in the head, so it has run by then).
  await page.waitForLoadState('load')
  await page.click('#t')
  await expect.poll(() => received().map((n) => [n.ticket, n.body, n.verdict])).toEqual([['T', '{"ticket":"T"}', 'accepted']])
})

test('a page whose sendBeacon throws and whose fetch is broken: quiet, and the click is kept for a healthier page', async ({ page, open, received, html, shop, consoleLines }) => {
  await page.addInitScript(() => {
    Navigator.prototype.sendBeacon = () => { throw new TypeError('broken beacon') }
    window.fetch = () => Promise.reject(new TypeError('broken fetch'))
  })
  await open(tiles, debug)
  await ready(page)
  await page.click('#t')
  await consoleLine(consoleLines, 'not delivered, kept in the outbox')
  expect(await outbox(page)).toHaveLength(1)
  expect(received()).toEqual([])
  const healthy = await page.context().newPage()
  await healthy.goto(shop.page(html('<p>healthy</p>')))
  await expect.poll(() => received().map((n) => [n.ticket, n.verdict])).toEqual([['T', 'accepted']])
})

test('a strict Content-Security-Policy (no unsafe-inline, no unsafe-eval; the chunk allowed by self)', async ({ page, open, received, cluster, consoleLines }) => {
  const csp = `default-src 'none'; script-src 'self'; connect-src ${cluster.url}`
  await open(tiles, { headers: { 'content-security-policy': csp }, attrs: { 'data-debug': '' } })
  await ready(page)
  await page.click('#t')
  await expect.poll(() => received().map((n) => n.ticket)).toEqual(['T'])
  // The ky path under the same policy: the chunk loads from 'self', fetch goes to connect-src.
  await page.evaluate(NO_BEACON)
  await page.click('#u')
  await consoleLine(consoleLines, 'sent with fetch 204')
  expect(received().map((n) => n.ticket)).toEqual(['T', 'U'])
  expect(consoleLines.filter((l) => /Content Security Policy|Refused/.test(l))).toEqual([])
})

test('consent(false) on a page with nothing kept loads no chunk: a visitor who declines pays for nothing', async ({ page, open, received }) => {
  const chunks: string[] = []
  page.on('request', (r) => { if (r.url().includes('esales-')) chunks.push(r.url()) })
  await open(tiles)
  await ready(page)
  await page.click('#t')
  await expect.poll(() => received().map((n) => n.ticket)).toEqual(['T'])
  await page.evaluate(() => (window as any).esales.consent(false))
  expect(await page.evaluate(() => [document.cookie, localStorage.length])).toEqual(['', 0])
  // Nothing the page did can still load it: a sentinel request to the shop comes after.
  await page.evaluate(() => fetch('/favicon.ico'))
  expect(chunks).toEqual([])
})

test('values that throw when shown, and a page without MutationObserver: no error reaches the page', async ({ page, open, consoleLines }) => {
  // In the page's head, before the tag (an init script would take it from Playwright's own helpers too).
  await open(tiles, { attrs: { 'data-api': 'v3' }, head: '<script>window.MutationObserver = undefined</script>' })
  await page.waitForLoadState('load')
  await page.evaluate(() => (window as any).esales.click(new Proxy({}, { get() { throw new Error('proxy trap') } })))
  await consoleLine(consoleLines, 'esales: click(a value that cannot be shown) refused')
  await page.click('#t')
  // The pageErrors fixture fails the test on any uncaught error, the idle task's included.
  await page.waitForTimeout(300)
})
