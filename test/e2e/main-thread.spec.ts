// Issue #11: the click handler only decides and records; the beacon goes in a task after the
// event (after the next paint), and at once when the page is hidden or goes away. Start-up only
// reads the settings and adds the listeners: keys, cookies and the outbox wait for an idle task.
import { expect, NO_BEACON, ready, test } from './fixtures'

const tiles = '<div id="t" data-esales-ticket="T">tile</div><div id="u" data-esales-ticket="U">other tile</div>'

// Before the snippet: note each sendBeacon call, and whether a click event was being dispatched
// at that moment (a window capture listener runs first, a window bubble listener last; a
// microtask after the last one still belongs to the dispatch).
const WATCH_BEACONS = `<script>
  window.__beacons = []; var inClick = false
  addEventListener('click', function () { inClick = true }, true)
  addEventListener('click', function () { queueMicrotask(function () { inClick = false }) })
  var send = Navigator.prototype.sendBeacon
  Navigator.prototype.sendBeacon = function (url, body) { __beacons.push({ inClick: inClick, body: body }); return send.apply(this, arguments) }
</script>`

test('the click handler sends nothing itself: the beacon goes in a later task, and the notification arrives', async ({ page, open, received }) => {
  await open(tiles, { head: WATCH_BEACONS })
  await ready(page)
  await page.click('#t')
  await page.click('#u')
  await expect.poll(() => received().map((n) => n.ticket)).toEqual(['T', 'U'])
  const beacons = await page.evaluate(() => (window as any).__beacons)
  expect(beacons).toEqual([{ inClick: false, body: '{"ticket":"T"}' }, { inClick: false, body: '{"ticket":"U"}' }])
})

test('what waits is sent at once, with sendBeacon, when the page goes away (pagehide) or is hidden', async ({ page, open, received, shop }) => {
  await page.clock.install()
  await open(tiles + `<a id="away" href="${shop.otherOrigin}/landing">away</a>`, { head: WATCH_BEACONS })
  await ready(page)
  // The page's clock stops: the send waits for a paint and a timer that never come...
  await page.clock.pauseAt(Date.now() + 1000)
  await page.click('#t')
  await page.evaluate(() => (window as any).esales.click('BY-API'))
  expect(await page.evaluate(() => (window as any).__beacons.length)).toBe(0)
  // ...until the page goes away: pagehide sends both.
  await Promise.all([page.waitForURL(`${shop.otherOrigin}/landing`), page.click('#away')])
  await expect.poll(() => received().map((n) => n.ticket).sort()).toEqual(['BY-API', 'T'])
})

test('a page hidden before its send (a background tab) sends at once, on visibilitychange', async ({ page, open, received }) => {
  await page.clock.install()
  await open(tiles)
  await ready(page)
  await page.clock.pauseAt(Date.now() + 1000)
  await page.click('#t')
  // Headless Chromium cannot hide a page: it is told so as a browser would tell it.
  await page.evaluate(() => {
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' })
    document.dispatchEvent(new Event('visibilitychange'))
  })
  await expect.poll(() => received().map((n) => n.ticket)).toEqual(['T'])
})

// Playwright turns Chromium's back/forward cache off (microsoft/playwright#14996): going back
// loads the page again here, so this proves the pagehide flush and a clean second page, not a
// restore from the cache.
test('going back: what waits goes at pagehide, and after the page is back its clicks still count, once', async ({ page, open, received, shop, html }) => {
  const second = shop.page(html('<p>second page</p>'))
  const first = await open(tiles + `<a id="next" href="${second}">next</a>`)
  await ready(page)
  await page.click('#t')
  await Promise.all([page.waitForURL(second), page.click('#next')])
  await page.goBack()
  expect(page.url()).toBe(first)
  await page.click('#u')
  await expect.poll(() => received().map((n) => n.ticket)).toEqual(['T', 'U'])
  // A second listener after the restore would send U twice.
  await page.waitForTimeout(1000)
  expect(received().map((n) => n.ticket)).toEqual(['T', 'U'])
})

test('start-up reads the settings and adds the listeners, nothing more: keys, cookies and storage wait for an idle task', async ({ page, open, context }) => {
  // A script at the start of the body runs right after the snippet's (synchronous) tag.
  await open('<script>window.__sync = { cookie: document.cookie, storage: localStorage.length }</script>' + tiles)
  expect(await page.evaluate(() => (window as any).__sync)).toEqual({ cookie: '', storage: 0 })
  await expect.poll(async () => (await context.cookies()).map((c) => c.name).sort()).toEqual(['apptus.customerKey', 'apptus.sessionKey'])
  expect(JSON.parse((await page.evaluate(() => localStorage.getItem('esales.keys')))!)).toMatchObject({ customerKey: expect.any(String), sessionKey: expect.any(String) })
})

test('a click before the idle task has run makes the keys then, and its notification carries them', async ({ page, open, received, context }) => {
  // No idle moment (after the page clock's own requestIdleCallback, this one never calls back):
  // the click's own send is the first decision.
  await page.clock.install()
  await page.addInitScript(() => { (window as any).requestIdleCallback = () => 0 })
  await open(tiles)
  await ready(page)
  await page.clock.pauseAt(Date.now() + 1000)
  expect(await context.cookies()).toEqual([])
  await page.click('#t')
  await page.clock.runFor(300)
  await expect.poll(() => received().map((n) => n.ticket)).toEqual(['T'])
  const cookies = Object.fromEntries((await context.cookies()).map((c) => [c.name, c.value]))
  expect([received()[0]!.customerKey, received()[0]!.sessionKey]).toEqual([cookies['apptus.customerKey'], cookies['apptus.sessionKey']])
})

test('without sendBeacon, a link click that navigates at once still arrives (ky, or the outbox on the next page), once', async ({ page, open, received, shop, html }) => {
  await page.addInitScript(NO_BEACON)
  const next = shop.page(html('<p>next page with the snippet</p>'))
  await open(tiles + `<a id="go" href="${next}" data-esales-ticket="NAV-KY">product</a>`)
  await ready(page)
  await Promise.all([page.waitForURL(next), page.click('#go')])
  await expect.poll(() => received({ verdict: 'accepted' }).map((n) => n.ticket)).toEqual(['NAV-KY'])
  await page.waitForTimeout(1500)
  expect(received({ verdict: 'accepted' }).map((n) => n.ticket)).toEqual(['NAV-KY'])
})
