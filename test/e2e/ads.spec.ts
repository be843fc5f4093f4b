// Sponsored items (data-esales-ad beside data-esales-ticket): one ad-impression per ticket and
// page view once the item has been viewable by the IAB/MRC display rule, and the Storefront v3
// notifications that the official client 3.5.1 sends. The page's clock is paused after load
// and moved by hand, so that "for one continuous second" is exact and the 200 ms samples fall
// where the test says; the item's intersection and what is on top of it are the browser's own
// (IntersectionObserver, hit testing), and the debug log says when they changed.
import type { Page } from '@playwright/test'
import { consoleLine, expect, ready, test } from './fixtures'

const v3 = { attrs: { 'data-api': 'v3', 'data-debug': '' } }
/** A block of the given height, to push content below the fold. */
const spacer = (px: number) => `<div style="height:${px}px">spacer</div>`
const ad = (id: string, ticket: string, style = 'width:300px;height:250px') =>
  `<div id="${id}" data-esales-ad data-esales-ticket="${ticket}" style="${style}">sponsored ${ticket}</div>`
type Received = (f?: { type?: string }) => { ticket?: string; verdict: string; type?: string; body: string }[]
const impressions = (received: Received) => received({ type: 'ad-impression' }).map((n) => `${n.ticket} ${n.verdict}`)

/**
 * Stops the page's clock, then loads the page: its timers (and idle callbacks) run only when the
 * test moves the clock, so that "one continuous second" is counted from when the item was seen,
 * however long a busy machine takes to load the page.
 */
async function openPaused(page: Page, open: (body: string, o?: object) => Promise<string>, body: string, options: object = v3) {
  await page.setViewportSize({ width: 800, height: 600 })
  const t = Date.now()
  await page.clock.install({ time: t })
  // A second ahead of the clock just installed (pausing cannot go back); no page runs yet.
  await page.clock.pauseAt(t + 1000)
  await open(body, options)
  await ready(page)
  // The snippet's idle task, which looks for sponsored items.
  await page.clock.runFor(100)
}

/** Waits until the debug log has said `text` `times` times (the IntersectionObserver ran, or a timer fired). */
async function seen(lines: string[], text: string, times = 1) {
  await expect.poll(() => lines.filter((l) => l.includes(text)).length, { message: `console line "${text}" ${times}×` }).toBeGreaterThanOrEqual(times)
}

/** Headless Chromium has no way to hide a page (a minimised window or a background tab stays visible there), so the page is told it is hidden as a browser would: visibilityState and the event. */
const setVisibility = (page: Page, state: 'hidden' | 'visible') => page.evaluate((s) => {
  Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => s })
  Object.defineProperty(document, 'hidden', { configurable: true, get: () => s == 'hidden' })
  document.dispatchEvent(new Event('visibilitychange'))
}, state)

test('an ad 50 % or more in view for 1 s sends one ad-impression, not before; a click on it still sends its click', async ({ page, open, received, consoleLines }) => {
  await openPaused(page, open, spacer(400) + ad('a1', 'AD-1') + spacer(2000))
  await seen(consoleLines, 'ad viewable: AD-1')
  await page.clock.runFor(900)
  await page.clock.runFor(300)
  // 0.9 s in view: the timer had not fired, so nothing could be sent before 1 s.
  expect(consoleLines.filter((l) => l.includes('impression: AD-1'))).toHaveLength(1)
  await expect.poll(() => impressions(received)).toEqual(['AD-1 accepted'])
  const [n] = received({ type: 'ad-impression' })
  expect([n!.body, n!.type]).toEqual(['{"ticket":"AD-1"}', 'ad-impression'])
  await page.clock.resume()
  await page.click('#a1')
  await expect.poll(() => received().map((r) => `${r.type} ${r.ticket}`)).toEqual(['ad-impression AD-1', 'click AD-1'])
})

test('an ad scrolled away before 1 s sends nothing; the second starts over when it comes back', async ({ page, open, received, consoleLines }) => {
  await openPaused(page, open, spacer(700) + ad('a1', 'AD-SCROLL') + spacer(2000))
  await page.evaluate(() => window.scrollTo(0, 600))
  await seen(consoleLines, 'ad viewable: AD-SCROLL')
  await page.clock.runFor(600)
  await page.evaluate(() => window.scrollTo(0, 0))
  await seen(consoleLines, 'ad no longer viewable: AD-SCROLL')
  await page.clock.runFor(3000)
  expect(consoleLines.filter((l) => l.includes('impression:'))).toEqual([])
  await page.evaluate(() => window.scrollTo(0, 600))
  await seen(consoleLines, 'ad viewable: AD-SCROLL', 2)
  await page.clock.runFor(600)
  expect(consoleLines.filter((l) => l.includes('impression:'))).toEqual([])
  await page.clock.runFor(700)
  await expect.poll(() => impressions(received)).toEqual(['AD-SCROLL accepted'])
})

test('no impression while the page is hidden; the second counts only while it is visible', async ({ page, open, received, consoleLines }) => {
  await openPaused(page, open, ad('a1', 'AD-HIDDEN') + spacer(2000))
  await seen(consoleLines, 'ad viewable: AD-HIDDEN')
  await page.clock.runFor(700)
  await setVisibility(page, 'hidden')
  await page.clock.runFor(5000)
  expect(consoleLines.filter((l) => l.includes('impression:'))).toEqual([])
  await setVisibility(page, 'visible')
  await page.clock.runFor(700)
  // 0.7 s before and 0.7 s after the hidden spell: not one continuous second.
  expect(consoleLines.filter((l) => l.includes('impression:'))).toEqual([])
  await page.clock.runFor(400)
  await expect.poll(() => impressions(received)).toEqual(['AD-HIDDEN accepted'])
})

test('once per ticket and page view: coming back, or a re-rendered element with the same ticket, does not count again; a new ticket does', async ({ page, open, received, consoleLines }) => {
  await openPaused(page, open, '<div id="slot">' + ad('a1', 'AD-ONCE') + '</div>' + spacer(2000))
  await seen(consoleLines, 'ad viewable: AD-ONCE')
  await page.clock.runFor(1100)
  await expect.poll(() => impressions(received)).toEqual(['AD-ONCE accepted'])
  // A counted item is no longer sampled: the log says only when it enters and leaves the view.
  await page.evaluate(() => window.scrollTo(0, 1500))
  await seen(consoleLines, 'ad out of view: AD-ONCE')
  await page.evaluate(() => window.scrollTo(0, 0))
  await seen(consoleLines, 'ad in view: AD-ONCE', 2)
  await page.clock.runFor(1100)
  // The framework renders the slot again: a new element, the same ticket.
  await page.evaluate(() => { document.getElementById('slot')!.innerHTML = '<div data-esales-ad data-esales-ticket="AD-ONCE" style="width:300px;height:250px">again</div>' })
  await seen(consoleLines, 'ad in view: AD-ONCE', 3)
  await page.clock.runFor(1100)
  // A new ticket on the same element counts.
  await page.evaluate(() => document.querySelector('#slot [data-esales-ad]')!.setAttribute('data-esales-ticket', 'AD-NEXT'))
  await page.clock.runFor(1100)
  await expect.poll(() => impressions(received)).toEqual(['AD-ONCE accepted', 'AD-NEXT accepted'])
  await page.clock.runFor(3000)
  expect(impressions(received)).toEqual(['AD-ONCE accepted', 'AD-NEXT accepted'])
})

test('an item over 242,500 px² counts at 30 % in view; a smaller one at 30 % does not', async ({ page, open, received, consoleLines }) => {
  // 700 × 400 = 280,000 px², and 300 × 250 = 75,000 px²; each has 35 % of its height in view, all of its width.
  const big = ad('big', 'AD-BIG', 'width:700px;height:400px')
  const small = ad('small', 'AD-SMALL', 'width:300px;height:250px')
  await openPaused(page, open, `<div style="position:absolute;left:0;top:${600 - 140}px">${big}</div><div style="position:absolute;left:750px;top:${600 - 87.5}px">${small}</div>` + spacer(3000))
  await page.setViewportSize({ width: 1200, height: 600 })
  await seen(consoleLines, 'ad viewable: AD-BIG')
  await page.clock.runFor(1100)
  await expect.poll(() => impressions(received)).toEqual(['AD-BIG accepted'])
  await page.clock.runFor(3000)
  expect(impressions(received)).toEqual(['AD-BIG accepted'])
  expect(consoleLines.filter((l) => l.includes('AD-SMALL'))).toEqual([])
})

test('the 970 × 250 billboard (exactly 242,500 px²) counts at 40 % in view for 3.5 s; a 969 × 250 item at 40 % does not', async ({ page, open, received, consoleLines }) => {
  // 100 px of each 250 px high item in view at the bottom of a 600 px viewport: 40 %.
  const billboard = ad('bb', 'AD-BILLBOARD', 'width:970px;height:250px')
  const narrower = ad('nb', 'AD-969', 'width:969px;height:250px')
  await openPaused(page, open, `${at(0, 500, billboard)}${at(1000, 500, narrower)}` + spacer(3000))
  await page.setViewportSize({ width: 2000, height: 600 })
  await seen(consoleLines, 'ad viewable: AD-BILLBOARD')
  await page.clock.runFor(3500)
  await expect.poll(() => impressions(received)).toEqual(['AD-BILLBOARD accepted'])
  expect(consoleLines.filter((l) => l.includes('viewable: AD-969'))).toEqual([])
})

test('items added later count, also on a page that had none at first; a page without items loads no viewability code', async ({ page, open, received, consoleLines, shop }) => {
  const chunks: string[] = []
  page.on('request', (r) => { if (r.url().includes('esales-ads')) chunks.push(r.url()) })
  await openPaused(page, open, '<div id="list"></div>' + spacer(2000))
  await page.clock.runFor(3000)
  expect(chunks).toEqual([])
  await page.evaluate(() => { document.getElementById('list')!.innerHTML = '<div data-esales-ad data-esales-ticket="AD-LATE" style="width:300px;height:250px">late</div>' })
  // The main script checks for items at most every 250 ms after a change.
  await page.clock.runFor(300)
  await seen(consoleLines, 'ad viewable: AD-LATE')
  await page.clock.runFor(1100)
  await expect.poll(() => impressions(received)).toEqual(['AD-LATE accepted'])
  expect(chunks).toEqual([`${shop.url}/dist/esales-ads.js`])
})

test('a soft navigation (history.pushState) starts a new page view: the same ticket counts again', async ({ page, open, received, consoleLines }) => {
  await openPaused(page, open, ad('a1', 'AD-SPA') + spacer(2000))
  await seen(consoleLines, 'ad viewable: AD-SPA')
  await page.clock.runFor(1100)
  await expect.poll(() => impressions(received)).toEqual(['AD-SPA accepted'])
  // The app routes to another view and renders the same sponsored item there.
  await page.evaluate(() => { history.pushState({}, '', '/p/other-view'); document.body.append(document.createElement('p')) })
  await seen(consoleLines, 'ad viewable: AD-SPA', 2)
  await page.clock.runFor(1100)
  await expect.poll(() => impressions(received)).toEqual(['AD-SPA accepted', 'AD-SPA accepted'])
  // A hash change is the same page view.
  await page.evaluate(() => { location.hash = 'reviews'; document.body.append(document.createElement('p')) })
  await page.clock.runFor(3000)
  expect(impressions(received)).toEqual(['AD-SPA accepted', 'AD-SPA accepted'])
})

test('an impression waiting to be sent goes out when the page goes away', async ({ page, open, received, consoleLines, shop }) => {
  await openPaused(page, open, ad('a1', 'AD-LEAVE') + `<a id="away" href="${shop.otherOrigin}/landing">away</a>` + spacer(2000))
  await seen(consoleLines, 'ad viewable: AD-LEAVE')
  // The impression is recorded at 1 s; its send waits for a paint and a timer that this paused clock never runs.
  await page.clock.runFor(1000)
  await seen(consoleLines, 'impression: AD-LEAVE')
  await page.goto(`${shop.otherOrigin}/landing`)
  await expect.poll(() => impressions(received)).toEqual(['AD-LEAVE accepted'])
})

test('data-ad-impressions="manual": no automatic impressions; adImpression(ticket) sends one', async ({ page, open, received, consoleLines }) => {
  const requests: string[] = []
  page.on('request', (r) => { if (r.url().includes('esales-ads')) requests.push(r.url()) })
  await openPaused(page, open, ad('a1', 'AD-MANUAL') + spacer(2000), { attrs: { 'data-api': 'v3', 'data-ad-impressions': 'manual', 'data-debug': '' } })
  await page.clock.runFor(3000)
  expect(consoleLines.filter((l) => l.includes('AD-MANUAL'))).toEqual([])
  // adImpression is built in the fallback chunk, which loads in real time: let the clock run.
  await page.clock.resume()
  await page.evaluate(() => (window as any).esales.adImpression('BY-HAND'))
  await expect.poll(() => impressions(received)).toEqual(['BY-HAND accepted'])
  expect(requests).toEqual([])
})

test('the Storefront v3 calls send the official client\'s bodies byte for byte, by method and by command', async ({ page, open, received }) => {
  const stub = '<script>window.esales=window.esales||function(){(esales.q=esales.q||[]).push(arguments)}</script>' +
    "<script>esales('removeRecentSearches', ['queued'])</script>"
  await open('<p>shop</p>', { attrs: { 'data-api': 'v3' }, head: stub })
  await ready(page)
  await page.evaluate(() => {
    const esales = (window as any).esales
    esales.removeRecentSearches(['dress', 'jacket "denim"'])
    esales.removeRecentSearches('removeAll')
    esales.removeRecentlyViewed(['pk_123456'])
    esales('removeRecentlyViewed', 'removeAll')
    esales.adImpression('OzE7cHJ')
  })
  const expected = [
    'remove-recent-searches {"phrases":["queued"]}',
    'remove-recent-searches {"phrases":["dress","jacket \\"denim\\""]}',
    'remove-recent-searches {"removeAll":true}',
    'remove-recently-viewed {"productKeys":["pk_123456"]}',
    'remove-recently-viewed {"removeAll":true}',
    'ad-impression {"ticket":"OzE7cHJ"}'
  ]
  await expect.poll(() => received().map((n) => `${n.type} ${n.body}`).sort()).toEqual([...expected].sort())
  expect(received().map((n) => [n.verdict, n.api])).toEqual(expected.map(() => ['accepted', 'v3']))
  // The same bodies as the official client builds with JSON.stringify.
  expect(received().map((n) => n.body).sort()).toEqual([
    JSON.stringify({ phrases: ['queued'] }), JSON.stringify({ phrases: ['dress', 'jacket "denim"'] }), JSON.stringify({ removeAll: true }),
    JSON.stringify({ productKeys: ['pk_123456'] }), JSON.stringify({ removeAll: true }), JSON.stringify({ ticket: 'OzE7cHJ' })
  ].sort())
})

test('bad arguments get an esales: error and send nothing', async ({ page, open, received, consoleLines }) => {
  await open('<p>shop</p>', { attrs: { 'data-api': 'v3' } })
  await ready(page)
  const bad: [string, RegExp][] = [
    [`esales.removeRecentSearches([])`, /^error: esales: removeRecentSearches\(\[\]\) refused: pass a non-empty array of search phrases/],
    [`esales.removeRecentSearches(['ok', 3])`, /^error: esales: removeRecentSearches\(\["ok",3\]\) refused/],
    [`esales.removeRecentSearches('all')`, /^error: esales: removeRecentSearches\("all"\) refused/],
    [`esales.removeRecentlyViewed([' '])`, /^error: esales: removeRecentlyViewed\(\[" "\]\) refused: pass a non-empty array of product keys/],
    [`esales.adImpression('')`, /^error: esales: adImpression\(""\) refused: pass the sponsored item's ticket/],
    [`esales.adImpression({ ticket: 'T' })`, /^error: esales: adImpression\(\{"ticket":"T"\}\) refused/]
  ]
  for (const [call, message] of bad) {
    const before = consoleLines.length
    await page.evaluate(call)
    await expect.poll(() => consoleLines.slice(before).filter((l) => l.startsWith('error:'))).toHaveLength(1)
    expect(consoleLines.slice(before).find((l) => l.startsWith('error:'))).toMatch(message)
  }
  await page.evaluate(() => (window as any).esales.click('SENTINEL'))
  await expect.poll(() => received().map((n) => n.ticket)).toEqual(['SENTINEL'])

})

test('on API v2: removeRecentlyViewed, adImpression and sponsored items are refused with an esales: error; removeRecentSearches is sent', async ({ page, open, received, consoleLines }) => {
  await open(ad('a1', 'AD-V2') + spacer(2000))
  await ready(page)
  await page.evaluate(() => {
    const esales = (window as any).esales
    esales.removeRecentlyViewed(['pk_1'])
    esales.adImpression('AD-V2')
    esales.removeRecentSearches(['dress'])
  })
  await expect.poll(() => consoleLines.filter((l) => l.startsWith('error:')).sort()).toEqual([
    'error: esales: adImpression() refused: API v2 has no ad-impression notification: it is Storefront API v3 only (data-api="v3").',
    'error: esales: ads refused: sponsored items (data-esales-ad) need Storefront API v3 (data-api="v3"), which has the ad-impression notification; no impressions are sent.',
    'error: esales: removeRecentlyViewed() refused: API v2 has no remove-recently-viewed notification: it is Storefront API v3 only (data-api="v3").'
  ])
  await expect.poll(() => received().map((n) => `${n.api} ${n.type} ${n.body} ${n.verdict}`)).toEqual(['v2 remove-recent-searches {"phrases":["dress"]} accepted'])
})

test('an item the shopper cannot see sends nothing: opacity 0 (a fading carousel), visibility hidden, no height, or covered by a fixed banner', async ({ page, open, received, consoleLines }) => {
  const at = (left: number, top: number, html: string) => `<div style="position:absolute;left:${left}px;top:${top}px">${html}</div>`
  await openPaused(page, open,
    at(0, 0, ad('faded', 'AD-FADED', 'width:190px;height:150px;opacity:0')) +
    at(200, 0, ad('hidden', 'AD-HIDDEN-CSS', 'width:190px;height:150px;visibility:hidden')) +
    at(400, 0, ad('flat', 'AD-FLAT', 'width:190px;height:0;overflow:hidden')) +
    at(600, 0, ad('seen', 'AD-SEEN', 'width:190px;height:150px')) +
    // A cookie banner over the bottom of the viewport, and an item under it: hit testing finds the banner.
    '<div style="position:fixed;left:0;top:400px;width:800px;height:200px;background:#333;z-index:1">cookie banner</div>' +
    at(0, 420, ad('under', 'AD-UNDER', 'width:190px;height:150px')) + spacer(3000))
  await seen(consoleLines, 'ad viewable: AD-SEEN')
  await page.clock.runFor(3000)
  await expect.poll(() => impressions(received)).toEqual(['AD-SEEN accepted'])
  expect(consoleLines.filter((l) => l.includes('impression:'))).toEqual(['log: esales: ad viewable for 1 s, impression: AD-SEEN'])
})

test('history.replaceState (a filter, infinite scroll) is the same page view: the item does not count again', async ({ page, open, received, consoleLines }) => {
  await openPaused(page, open, ad('a1', 'AD-REPLACE') + '<div id="rows"></div>' + spacer(2000))
  await seen(consoleLines, 'ad viewable: AD-REPLACE')
  await page.clock.runFor(1100)
  await expect.poll(() => impressions(received)).toEqual(['AD-REPLACE accepted'])
  for (const n of [2, 3, 4]) {
    await page.evaluate((i) => { history.replaceState(null, '', '?page=' + i); document.getElementById('rows')!.append(document.createElement('p')) }, n)
    await page.clock.runFor(1100)
  }
  expect(impressions(received)).toEqual(['AD-REPLACE accepted'])
})

test('an item that grows past 242,500 px² while 40 % in view counts: 30 % is enough now', async ({ page, open, received, consoleLines }) => {
  // 40 % of its height in view, at the bottom of a 600 px viewport: 300 × 300 needs 50 %, 800 × 300 (240,000 px²)
  // too, 900 × 300 (270,000 px²) only 30 %.
  await openPaused(page, open, `<div style="position:absolute;left:0;top:${600 - 120}px">${ad('grow', 'AD-GROW', 'width:300px;height:300px')}</div>` + spacer(3000))
  await page.setViewportSize({ width: 1000, height: 600 })
  await page.clock.runFor(3000)
  expect(impressions(received)).toEqual([])
  await page.evaluate(() => { document.getElementById('grow')!.style.width = '900px' })
  await seen(consoleLines, 'ad viewable: AD-GROW')
  await page.clock.runFor(1100)
  await expect.poll(() => impressions(received)).toEqual(['AD-GROW accepted'])
})

// ─── What the shopper sees: hit testing on a grid, sampled 5 times a second ───────────────

/** An element placed at a point of the page. */
const at = (left: number, top: number, html: string) => `<div style="position:absolute;left:${left}px;top:${top}px">${html}</div>`

test('an item in full view counts with a small badge over a corner, a drop-shadow filter, a 2° rotation or opacity .95; one fully covered does not', async ({ page, open, received, consoleLines }) => {
  await openPaused(page, open,
    at(20, 20, ad('badged', 'AD-BADGE')) +
    // A 30 × 30 chat bubble over the tile's corner: 98.8 % of the tile is still seen.
    '<div style="position:fixed;left:20px;top:20px;width:30px;height:30px;background:#000;z-index:9"></div>' +
    at(340, 20, ad('shadowed', 'AD-FILTER', 'width:300px;height:250px;filter:drop-shadow(0 2px 4px rgba(0,0,0,.3))')) +
    at(660, 20, ad('rotated', 'AD-ROTATE', 'width:300px;height:250px;transform:rotate(2deg)')) +
    at(980, 20, ad('faint', 'AD-OPACITY', 'width:300px;height:250px;opacity:.95')) +
    at(20, 320, ad('covered', 'AD-COVERED')) +
    '<div style="position:fixed;left:10px;top:310px;width:320px;height:270px;background:#333;z-index:9">a dialog</div>' + spacer(3000))
  await page.setViewportSize({ width: 1300, height: 600 })
  for (const ticket of ['AD-BADGE', 'AD-FILTER', 'AD-ROTATE', 'AD-OPACITY']) await seen(consoleLines, `ad viewable: ${ticket}`)
  await seen(consoleLines, 'ad in view: AD-COVERED')
  await page.clock.runFor(1300)
  await expect.poll(() => impressions(received).sort()).toEqual(['AD-BADGE accepted', 'AD-FILTER accepted', 'AD-OPACITY accepted', 'AD-ROTATE accepted'])
  await page.clock.runFor(3000)
  expect(impressions(received)).toHaveLength(4)
  expect(consoleLines.filter((l) => l.includes('AD-COVERED'))).toEqual(['log: esales: ad in view: AD-COVERED'])
})

test('an item 60 % seen inside a scrolled box counts, one 40 % seen does not: the box\'s clipping is counted once', async ({ page, open, received, consoleLines }) => {
  // Each box shows 300 px of its content; its item starts 150 px (60 % of 250 px seen) or 200 px (40 %) down.
  const box = (top: number, id: string, ticket: string) =>
    `<div style="height:300px;width:320px;overflow:auto">${spacer(top)}${ad(id, ticket)}${spacer(600)}</div>`
  await openPaused(page, open, at(0, 0, box(150, 'sixty', 'AD-BOX-60')) + at(400, 0, box(200, 'forty', 'AD-BOX-40')) + spacer(3000))
  await seen(consoleLines, 'ad viewable: AD-BOX-60')
  await page.clock.runFor(1100)
  await expect.poll(() => impressions(received)).toEqual(['AD-BOX-60 accepted'])
  await page.clock.runFor(3000)
  expect(impressions(received)).toEqual(['AD-BOX-60 accepted'])
})

test('a fading carousel: the slide under a transparent one counts, and the next slide counts once it becomes opaque', async ({ page, open, received, consoleLines }) => {
  // Two slides stacked in one place; the second, on top, is transparent until the carousel moves on.
  const slide = (id: string, opacity: number) => ad(id, `SLIDE-${id}`, `position:absolute;left:0;top:0;width:300px;height:250px;background:#36c;opacity:${opacity}`)
  await openPaused(page, open, `<div style="position:relative;height:300px">${slide('A', 1)}${slide('B', 0)}</div>` + spacer(3000))
  await seen(consoleLines, 'ad viewable: SLIDE-A')
  await page.clock.runFor(1100)
  await expect.poll(() => impressions(received)).toEqual(['SLIDE-A accepted'])
  await page.clock.runFor(1400)
  expect(impressions(received)).toEqual(['SLIDE-A accepted'])
  // The carousel moves on: opacity alone changes, no layout.
  await page.evaluate(() => { document.getElementById('A')!.style.opacity = '0'; document.getElementById('B')!.style.opacity = '1' })
  await page.clock.runFor(1300)
  await expect.poll(() => impressions(received)).toEqual(['SLIDE-A accepted', 'SLIDE-B accepted'])
})

test('opacity 0 in the middle of the second starts it over', async ({ page, open, received, consoleLines }) => {
  await openPaused(page, open, ad('blink', 'AD-BLINK') + spacer(3000))
  await seen(consoleLines, 'ad viewable: AD-BLINK')
  await page.clock.runFor(400)
  await page.evaluate(() => { document.getElementById('blink')!.style.opacity = '0' })
  await page.clock.runFor(400)
  await seen(consoleLines, 'ad no longer viewable: AD-BLINK')
  await page.evaluate(() => { document.getElementById('blink')!.style.opacity = '1' })
  // 400 ms seen, 400 ms transparent, then 600 ms seen: not one continuous second.
  await page.clock.runFor(600)
  expect(impressions(received)).toEqual([])
  expect(consoleLines.filter((l) => l.includes('impression:'))).toEqual([])
  // A second after the first sample that saw it again; the send then waits for a paint and a timer.
  await page.clock.runFor(700)
  await expect.poll(() => impressions(received)).toEqual(['AD-BLINK accepted'])
})

// ─── Page views: the Navigation API, and history.pushState wrapped where there is none ───

/** Hides the Navigation API, as browsers without it do (Firefox before 147, Safari before 26.2): the snippet then wraps history.pushState. */
const NO_NAVIGATION_API = () => { delete (window as { navigation?: unknown }).navigation }

for (const [mode, init] of [['Navigation API', undefined], ['no Navigation API, history.pushState wrapped', NO_NAVIGATION_API]] as const) {
  test.describe(`page views (${mode})`, () => {
    test.beforeEach(async ({ page }) => {
      if (init) await page.addInitScript(init)
    })

    /** Opens a page with one item in view, and waits until it has counted once. */
    async function countedOnce(page: Page, open: Parameters<typeof openPaused>[1], received: Received, consoleLines: string[], ticket: string) {
      await openPaused(page, open, '<h1>a</h1>' + ad('a1', ticket) + '<div id="rows"></div>' + spacer(2000))
      expect(await page.evaluate(() => 'navigation' in window), 'the Navigation API is there or not').toBe(!init)
      await seen(consoleLines, `ad viewable: ${ticket}`)
      await page.clock.runFor(1100)
      await expect.poll(() => impressions(received)).toEqual([`${ticket} accepted`])
    }
    /** Runs the clock past a second, and expects `n` impressions of `ticket` in all. */
    async function counted(page: Page, received: Received, ticket: string, n: number) {
      await page.clock.runFor(1100)
      await expect.poll(() => impressions(received)).toEqual(Array(n).fill(`${ticket} accepted`))
    }

    test('pushState after going back (history.length does not grow) is a new page view; so is going back', async ({ page, open, received, consoleLines }) => {
      await countedOnce(page, open, received, consoleLines, 'AD-BACK')
      // The app renders each view, as a router does.
      await page.evaluate(() => { history.pushState({}, '', '/b'); document.querySelector('h1')!.textContent = 'b' })
      await counted(page, received, 'AD-BACK', 2)
      const length = await page.evaluate(() => history.length)
      await page.evaluate(() => history.back())
      await expect.poll(() => page.evaluate(() => location.pathname)).not.toBe('/b')
      await counted(page, received, 'AD-BACK', 3)
      await page.evaluate(() => { history.pushState({}, '', '/c'); document.querySelector('h1')!.textContent = 'c' })
      expect(await page.evaluate(() => history.length)).toBe(length)
      await counted(page, received, 'AD-BACK', 4)
      await page.clock.runFor(3000)
      expect(impressions(received)).toHaveLength(4)
    })

    test('pushState after 50 history entries (where Chromium stops growing history.length) is a new page view', async ({ page, open, received, consoleLines }) => {
      await countedOnce(page, open, received, consoleLines, 'AD-FIFTY')
      await page.evaluate(() => {
        for (let i = 0; i < 52; i++) {
          history.pushState({}, '', '/r' + i)
          document.querySelector('h1')!.textContent = 'r' + i
        }
      })
      await counted(page, received, 'AD-FIFTY', 2)
      await page.evaluate(() => { history.pushState({}, '', '/last'); document.querySelector('h1')!.textContent = 'last' })
      await counted(page, received, 'AD-FIFTY', 3)
    })

    test('pushState with no DOM change is a new page view', async ({ page, open, received, consoleLines }) => {
      await countedOnce(page, open, received, consoleLines, 'AD-QUIET')
      await page.evaluate(() => history.pushState({}, '', '/other?page=2'))
      await counted(page, received, 'AD-QUIET', 2)
    })

    test('replaceState (a filter), then a link to a #fragment, back over it, and pushState of a fragment are the same page view; a new path is not', async ({ page, open, received, consoleLines }) => {
      await countedOnce(page, open, received, consoleLines, 'AD-SAME')
      await page.evaluate(() => history.replaceState(null, '', '?colour=red'))
      await page.clock.runFor(1100)
      await page.evaluate(() => { location.hash = 'reviews' })
      await page.clock.runFor(1100)
      await page.evaluate(() => history.back())
      await expect.poll(() => page.evaluate(() => location.hash)).toBe('')
      await page.clock.runFor(1100)
      await page.evaluate(() => history.pushState({}, '', '#specs'))
      await page.clock.runFor(1100)
      expect(impressions(received)).toEqual(['AD-SAME accepted'])
      await page.evaluate(() => history.pushState({}, '', '/next'))
      await counted(page, received, 'AD-SAME', 2)
    })
  })
}

// ─── One page view, whatever the trackers do ──────────────────────────────────────────────

test('destroy() and a new createTracker on the same page view do not count an item again; a pushState after them does', async ({ page, shop, cluster, market, received, consoleLines }) => {
  const IMPORT_MAP = '<script type="importmap">{"imports":{"ky":"/node_modules/ky/distribution/index.js","nanoid":"/node_modules/nanoid/index.browser.js"}}</script>'
  const html = `<!doctype html><html><head>${IMPORT_MAP}</head><body>${ad('a1', 'AD-REMOUNT')}${spacer(2000)}
    <script type="module">
      import { createTracker } from '/dist/index.js'
      const options = { endpoint: '${cluster.url}', market: '${market}', api: 'v3', debug: true }
      window.mount = () => { window.tracker = createTracker(options) }
      window.mount()
      window.ready = true
    </script></body></html>`
  await page.setViewportSize({ width: 800, height: 600 })
  const t = Date.now()
  await page.clock.install({ time: t })
  await page.clock.pauseAt(t + 1000)
  await page.goto(shop.page(html))
  await page.waitForFunction(() => (window as any).ready)
  // The tracker's idle task, which looks for sponsored items.
  await page.clock.runFor(100)
  await seen(consoleLines, 'ad viewable: AD-REMOUNT')
  await page.clock.runFor(1100)
  await expect.poll(() => impressions(received)).toEqual(['AD-REMOUNT accepted'])
  // The app unmounts and mounts again (hot reload, a sign-out flow): a new tracker, the same page view.
  await page.evaluate(() => { (window as any).tracker.destroy(); (window as any).mount() })
  await page.clock.runFor(100)
  await seen(consoleLines, 'ad in view: AD-REMOUNT', 2)
  await page.clock.runFor(3000)
  expect(impressions(received)).toEqual(['AD-REMOUNT accepted'])
  // The new tracker is live: a new page view counts the item again.
  await page.evaluate(() => history.pushState({}, '', '/next'))
  await page.clock.runFor(1100)
  await expect.poll(() => impressions(received)).toEqual(['AD-REMOUNT accepted', 'AD-REMOUNT accepted'])
})
