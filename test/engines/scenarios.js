// @ts-check
// The scenarios that run on every engine (Chromium, Firefox, WebKit), written once against the
// Driver interface. Each asserts what the mock cluster received, and that the page raised no
// uncaught error. The Chromium suite in test/e2e/ goes deeper; these are the ones whose
// behaviour differs between engines: delivery while the page goes away (links, new tabs, form
// submits, a shop's own location.assign), keepalive, cookie rules, what a label click dispatches.
// A scenario lists the capabilities it needs beyond a plain click (driver.d.ts); the runner
// reports it as not applicable where the engine lacks one.
import assert from 'node:assert/strict'
import { NO_BEACON_HTML } from '../support/page.js'

/** @typedef {import('./driver').Driver} Driver */
/** @typedef {import('./driver').Capability} Capability */
/** @typedef {import('../../cluster/server.js').MockCluster} MockCluster */
/** @typedef {import('../support/shop-server.js').Shop} Shop */
/**
 * @typedef {object} World
 * @property {MockCluster} cluster
 * @property {Shop} shop
 * @property {string} market this scenario's market
 * @property {(body: string, options?: { attrs?: Record<string, string | null>, head?: string, headers?: Record<string, string> }) => string} page
 *   serves a shop page with the snippet (and `headers` on its response), and returns its URL
 * @property {() => import('../../cluster/server.js').NotificationRecord[]} received
 * @property {() => Promise<Driver>} newPage
 */
/** @typedef {{ name: string, needs?: Capability[], run: (d: Driver, w: World) => Promise<void> }} Scenario */

// Before the snippet: record console errors and uncaught errors where any engine can read them.
export const WATCH = `<script>window.__errors=[];window.__pageErrors=[];
var __e=console.error;console.error=function(){__errors.push([].slice.call(arguments).join(' '));return __e.apply(console,arguments)};
addEventListener('error',function(e){__pageErrors.push(String(e.message))});
addEventListener('unhandledrejection',function(e){__pageErrors.push('unhandled: '+e.reason)})</script>`
// How many outbox entries the page's localStorage holds: the outbox itself and entries just appended (esales.outbox:{id}).
const OUTBOX_SIZE = `var n = JSON.parse(localStorage.getItem('esales.outbox') || '[]').length;
  for (var i = 0; i < localStorage.length; i++) if (localStorage.key(i).indexOf('esales.outbox:') == 0) n++;
  return n`
const tiles = '<div id="t" class="tile" data-esales-ticket="T">a <span id="child">child</span></div><div id="u" data-esales-ticket="U">other</div>'

/**
 * Polls until `check` holds, or fails with its last value after `ms`.
 * @template T
 * @param {() => T | Promise<T>} get
 * @param {(value: T) => boolean} check
 * @param {string} what
 */
export async function until(get, check, what, ms = 10_000) {
  const deadline = Date.now() + ms
  let value = await get()
  while (!check(value)) {
    if (Date.now() > deadline) assert.fail(`${what}: still ${JSON.stringify(value)} after ${ms} ms`)
    await new Promise((r) => setTimeout(r, 50))
    value = await get()
  }
  return value
}

/** @param {Driver} d */
const ready = (d) => until(() => d.run('return !!(window.esales && window.esales.loaded)'), (v) => v === true, 'window.esales loaded')
/** @param {World} w */
const tickets = (w) => w.received().map((n) => n.ticket)
/** @param {Driver} d */
const noPageErrors = async (d) => assert.deepEqual(await d.run('return window.__pageErrors || []'), [], 'uncaught errors in the page')
/** @param {number} ms */
const sleep = (ms) => new Promise((r) => setTimeout(r, ms))

// How long a scenario that counts notifications waits after the last one it expects: long
// enough for a duplicate (a second send on pagehide, a label's second click, a replay) to land.
const SETTLE_MS = 1000

/** @param {import('../../cluster/server.js').NotificationRecord} n */
const show = (n) => `${n.type} ${n.body} ${n.verdict}`
/** @param {string} ticket */
const clicked = (ticket) => `click ${JSON.stringify({ ticket })} accepted`

/**
 * Waits until as many notifications as `want` lists have arrived, then asserts that exactly
 * those did, in order, each as "type body verdict".
 * @param {World} w
 * @param {string[]} want
 */
async function exactly(w, want) {
  await until(() => w.received().map(show), (r) => r.length >= want.length, 'notifications')
  // Catch a late duplicate: an absence cannot be polled for.
  await sleep(SETTLE_MS)
  assert.deepEqual(w.received().map(show), want)
}

/**
 * Waits until the tab shows the shop's landing page at `url`.
 * @param {Driver} d
 * @param {string} url
 */
async function landed(d, url) {
  await until(() => d.url(), (u) => u == url, 'navigation')
  // The old document may still answer while the new one commits.
  await until(() => d.run(`return !!document.getElementById('landed')`).catch(() => false), (v) => v === true, 'the landing page')
}

/**
 * A real Ctrl+click or middle click on a link tile opens the link in a new tab; the notification
 * arrives once, and the page stays (neither followed the link nor reloaded).
 * @param {'ctrlClick' | 'middleClick'} how
 * @param {boolean} blank whether the link has target=_blank
 * @returns {Scenario}
 */
function newTab(how, blank) {
  const input = how == 'ctrlClick' ? 'Ctrl+click' : 'middle click'
  /** @type {Capability[]} */
  const needs = [how, 'tabs']
  // A target=_blank link opens a tab on any click; a plain one only where the browser makes
  // this click "open in a new tab".
  if (!blank) needs.push(how == 'ctrlClick' ? 'newTabOnCtrlClick' : 'newTabOnMiddleClick')
  return {
    name: `${input} on a ${blank ? 'target=_blank' : 'plain'} link tile: a new tab opens, the page stays, the notification arrives once`,
    needs,
    async run(d, w) {
      const ticket = `TAB-${how}-${blank ? 'BLANK' : 'PLAIN'}`
      const href = `${w.shop.url}/landing?tab=${ticket}`
      const url = w.page(`<a id="go" href="${href}"${blank ? ' target="_blank"' : ''} data-esales-ticket="${ticket}">product page</a>`)
      await d.open(url)
      await ready(d)
      // Lives in this document only: a reload or a navigation of this tab would lose it.
      await d.run('window.__stays = true')
      await /** @type {NonNullable<Driver[typeof how]>} */ (d[how])('#go')
      const tabs = /** @type {NonNullable<Driver['tabs']>} */ (d.tabs)
      await until(tabs, (t) => t.length == 2 && t[1] == href, 'tabs')
      await exactly(w, [clicked(ticket)])
      assert.equal(await d.url(), url)
      assert.equal(await d.run('return window.__stays === true'), true, 'the page was reloaded or replaced')
      await noPageErrors(d)
    }
  }
}

/** @type {Scenario[]} */
export const SCENARIOS = [
  {
    name: 'a click on a tile sends one click notification that meets the contract',
    async run(d, w) {
      await d.open(w.page(tiles))
      await ready(d)
      await d.click('#t')
      const [n] = await until(() => w.received(), (r) => r.length == 1, 'notifications')
      assert.equal(n?.verdict, 'accepted', n?.reason)
      assert.equal(n?.body, '{"ticket":"T"}')
      assert.match(n?.contentType || '', /^text\/plain;charset=utf-8$/i)
      assert.match(n?.customerKey || '', /^[0-9a-f-]{36}$/)
      assert.equal(w.cluster.preflights, 0)
      await noPageErrors(d)
    }
  },
  {
    name: 'a click on a child of a tile counts for the tile',
    async run(d, w) {
      await d.open(w.page(tiles))
      await ready(d)
      await d.click('#child')
      await until(() => tickets(w), (t) => t.join() == 'T', 'tickets')
      await noPageErrors(d)
    }
  },
  {
    name: 'a tile added after load counts',
    async run(d, w) {
      await d.open(w.page('<div id="list"></div>'))
      await ready(d)
      await d.run(`var el = document.createElement('div'); el.id = 'late'; el.setAttribute('data-esales-ticket', 'LATE'); el.textContent = 'late tile'; document.getElementById('list').appendChild(el)`)
      await d.click('#late')
      await until(() => tickets(w), (t) => t.join() == 'LATE', 'tickets')
      await noPageErrors(d)
    }
  },
  {
    name: 'a link tile that navigates to another page of the shop: the notification arrives',
    async run(d, w) {
      await d.open(w.page(`<a id="go" href="${w.shop.url}/landing" data-esales-ticket="NAV-SAME">product page</a>`))
      await ready(d)
      await d.click('#go')
      await landed(d, `${w.shop.url}/landing`)
      await exactly(w, [clicked('NAV-SAME')])
    }
  },
  {
    name: 'a link tile that navigates to another origin: the notification arrives',
    async run(d, w) {
      await d.open(w.page(`<a id="go" href="${w.shop.otherOrigin}/landing" data-esales-ticket="NAV-OTHER">partner</a>`))
      await ready(d)
      await d.click('#go')
      await landed(d, `${w.shop.otherOrigin}/landing`)
      await exactly(w, [clicked('NAV-OTHER')])
    }
  },
  newTab('ctrlClick', false),
  newTab('ctrlClick', true),
  newTab('middleClick', false),
  newTab('middleClick', true),
  {
    name: 'a ticketed submit button of a GET form to another page of the shop: the notification arrives once, the browser lands',
    async run(d, w) {
      await d.open(w.page(`<form action="${w.shop.url}/landing" method="get"><input name="q" value="shoes">
        <button id="go" type="submit" data-esales-ticket="FORM-GET">search</button></form>`))
      await ready(d)
      await d.click('#go')
      await landed(d, `${w.shop.url}/landing?q=shoes`)
      await exactly(w, [clicked('FORM-GET')])
    }
  },
  {
    name: 'a ticketed submit button of a POST form to another origin: the notification arrives once, the browser lands',
    async run(d, w) {
      await d.open(w.page(`<form action="${w.shop.otherOrigin}/landing" method="post"><input name="q" value="shoes">
        <button id="go" type="submit" data-esales-ticket="FORM-POST">buy</button></form>`))
      await ready(d)
      await d.click('#go')
      await landed(d, `${w.shop.otherOrigin}/landing`)
      await exactly(w, [clicked('FORM-POST')])
    }
  },
  {
    name: "a shop's click handler that calls location.assign at once: the notification arrives once, the browser lands",
    async run(d, w) {
      const to = `${w.shop.otherOrigin}/landing?from=assign`
      await d.open(w.page(`<div id="go" data-esales-ticket="ASSIGN">partner</div>
        <script>document.getElementById('go').addEventListener('click', function () { location.assign(${JSON.stringify(to)}) })</script>`))
      await ready(d)
      await d.click('#go')
      await landed(d, to)
      await exactly(w, [clicked('ASSIGN')])
    }
  },
  {
    name: 'keys are kept across a reload and are in the apptus.* cookies',
    async run(d, w) {
      const url = w.page(tiles)
      await d.open(url)
      await ready(d)
      await d.click('#t')
      const [first] = await until(() => w.received(), (r) => r.length == 1, 'notifications')
      const cookies = await d.run(`return document.cookie`)
      assert.match(String(cookies), new RegExp(`apptus\\.customerKey=${first?.customerKey}`))
      assert.match(String(cookies), new RegExp(`apptus\\.sessionKey=${first?.sessionKey}`))
      await d.open(url)
      await ready(d)
      await d.click('#u')
      const [, second] = await until(() => w.received(), (r) => r.length == 2, 'notifications')
      assert.deepEqual([second?.customerKey, second?.sessionKey], [first?.customerKey, first?.sessionKey])
      await noPageErrors(d)
    }
  },
  {
    name: 'without sendBeacon, ky delivers exactly once',
    async run(d, w) {
      await d.open(w.page(tiles, { head: NO_BEACON_HTML, attrs: { 'data-debug': '' } }))
      await ready(d)
      await d.click('#t')
      await until(() => w.received().map((n) => n.verdict), (v) => v.join() == 'accepted', 'notifications')
      // Done when the outbox is empty: nothing is left that could be sent again.
      await until(() => d.run(OUTBOX_SIZE), (n) => n === 0, 'outbox emptied')
      assert.deepEqual(tickets(w), ['T'])
      assert.equal(w.cluster.preflights, 0)
      await noPageErrors(d)
    }
  },
  {
    name: 'misconfiguration: one clear esales: error, nothing sent, no page error',
    async run(d, w) {
      await d.open(w.page(tiles, { attrs: { 'data-endpoint': 'javascript:alert(1)' } }))
      const errors = await until(() => d.run('return window.__errors'), (e) => Array.isArray(e) && e.length > 0, 'console errors')
      assert.equal(errors.length, 1)
      assert.match(String(errors[0]), /^esales: data-endpoint="javascript:alert\(1\)" is not valid: use an https: URL/)
      await d.click('#t')
      await d.run(`esales.click('BY-HAND')`)
      // Nothing can arrive: give a would-be beacon time to land before the absence is asserted.
      await new Promise((r) => setTimeout(r, 500))
      assert.deepEqual(w.received(), [])
      await noPageErrors(d)
    }
  },
  {
    name: 'a ticket with quotes, HTML and emoji arrives byte-exact',
    async run(d, w) {
      const ticket = `"quoted" & <b>'single'</b> 🛒👟 ÅÄÖ`
      await d.open(w.page('<div id="q">tile</div>'))
      await ready(d)
      await d.run(`document.getElementById('q').setAttribute('data-esales-ticket', ${JSON.stringify(ticket)})`)
      await d.click('#q')
      const [n] = await until(() => w.received(), (r) => r.length == 1, 'notifications')
      assert.equal(n?.ticket, ticket)
      assert.equal(n?.body, JSON.stringify({ ticket }))
      await noPageErrors(d)
    }
  },
  {
    name: 'add-to-cart and favorite attributes send their notifications',
    async run(d, w) {
      await d.open(w.page(`<div data-esales-ticket="TILE"><button id="cart" data-esales-add-to-cart="CART">add</button>
        <button id="fav" aria-pressed="false" data-esales-favorite="P1">fav</button></div>
        <script>document.getElementById('fav').addEventListener('click', function (e) {
          e.currentTarget.setAttribute('aria-pressed', String(e.currentTarget.getAttribute('aria-pressed') != 'true')) })</script>`))
      await ready(d)
      await d.click('#cart')
      await until(() => w.received().length, (n) => n == 1, 'add-to-cart')
      await d.click('#fav')
      const got = await until(() => w.received().map((n) => `${n.type} ${n.body} ${n.verdict}`), (t) => t.length == 2, 'favorite')
      assert.deepEqual(got, ['add-to-cart {"ticket":"CART"} accepted', 'add-favorite {"productKey":"P1"} accepted'])
      await noPageErrors(d)
    }
  },
  {
    name: 'consent pending: no cookie and no storage until consent(true)',
    async run(d, w) {
      await d.open(w.page(tiles, { attrs: { 'data-consent': 'pending' } }))
      await ready(d)
      await d.click('#t')
      assert.deepEqual(await d.run(`return [document.cookie, localStorage.length]`), ['', 0])
      await d.run(`esales.consent(true)`)
      await d.click('#u')
      await until(() => tickets(w), (t) => t.join() == 'U', 'tickets')
      assert.match(String(await d.run('return document.cookie')), /apptus\.customerKey=/)
      await noPageErrors(d)
    }
  },
  {
    name: 'consent anonymous (API v3): a click and an add-to-cart arrive with no keys (userContext=ANONYMOUS); no cookie, localStorage or sessionStorage entry',
    async run(d, w) {
      await d.open(w.page(`${tiles}<div data-esales-ticket="TILE"><button id="cart" data-esales-add-to-cart="CART">add</button></div>`, { attrs: { 'data-api': 'v3', 'data-consent': 'anonymous' } }))
      await ready(d)
      await d.click('#t')
      await d.click('#cart')
      const got = await until(() => w.received().map((n) => `${n.type} ${n.body} ${n.userContext} ${n.customerKey || '-'} ${n.sessionKey || '-'} ${n.verdict}`), (t) => t.length == 2, 'notifications')
      assert.deepEqual(got, ['click {"ticket":"T"} ANONYMOUS - - accepted', 'add-to-cart {"ticket":"CART"} ANONYMOUS - - accepted'])
      assert.deepEqual(await d.run(`return [document.cookie, localStorage.length, sessionStorage.length]`), ['', 0, 0])
      await noPageErrors(d)
    }
  },
  {
    name: 'a click on the text of a label around a checkbox in a tile sends one click notification',
    async run(d, w) {
      // The text in a span, so that the click lands on the text and not on the box.
      await d.open(w.page(`<div data-esales-ticket="TILE"><label id="lab"><input type="checkbox" id="cb"> <span id="text">compare</span></label></div>`))
      await ready(d)
      await d.click('#text')
      // The browser clicked the label's control as well: the case in question happened.
      await until(() => d.run(`return document.getElementById('cb').checked`), (v) => v === true, 'the checkbox checked')
      await exactly(w, [clicked('TILE')])
      await noPageErrors(d)
    }
  },
  {
    name: 'a click on a label for= a checkbox in the same tile sends one click notification',
    async run(d, w) {
      await d.open(w.page(`<div data-esales-ticket="TILE"><label id="lab" for="cb">compare</label> <input type="checkbox" id="cb"></div>`))
      await ready(d)
      await d.click('#lab')
      await until(() => d.run(`return document.getElementById('cb').checked`), (v) => v === true, 'the checkbox checked')
      await exactly(w, [clicked('TILE')])
      await noPageErrors(d)
    }
  },
  {
    name: 'a click on a label around a favorite checkbox sends add-favorite, a second one remove-favorite, and no click',
    async run(d, w) {
      await d.open(w.page(`<div data-esales-ticket="TILE"><label id="favlab"><input type="checkbox" id="fav" data-esales-favorite="P1"> <span id="heart">♥</span></label></div>`))
      await ready(d)
      const checked = () => d.run(`return document.getElementById('fav').checked`)
      await d.click('#heart')
      const first = Date.now()
      await until(checked, (v) => v === true, 'the checkbox checked')
      const add = 'add-favorite {"productKey":"P1"} accepted'
      await exactly(w, [add])
      // At least 600 ms after the first click, so that the browser does not count a double click.
      await sleep(first + 600 - Date.now())
      await d.click('#heart')
      await until(checked, (v) => v === false, 'the checkbox unchecked')
      await exactly(w, [add, 'remove-favorite {"productKey":"P1"} accepted'])
      await noPageErrors(d)
    }
  },
  {
    name: "a customer key cookie that the shop's server sets on a later page is the one sent, and is kept",
    async run(d, w) {
      await d.open(w.page(tiles))
      await ready(d)
      await d.click('#t')
      const [first] = await until(() => w.received(), (r) => r.length == 1, 'notifications')
      assert.match(first?.customerKey || '', /^[0-9a-f-]{36}$/)
      await d.open(w.page(tiles, { headers: { 'set-cookie': 'apptus.customerKey=SERVER-KEY-1; Path=/' } }))
      await ready(d)
      await d.click('#u')
      const [, second] = await until(() => w.received(), (r) => r.length == 2, 'notifications')
      assert.equal(second?.customerKey, 'SERVER-KEY-1', 'the key the server set on this page')
      const cookie = /(^|; )apptus\.customerKey=SERVER-KEY-1(;|$)/
      // The snippet did not write the older key back over the server's.
      assert.match(String(await d.run('return document.cookie')), cookie)
      await d.open(w.page(tiles))
      await ready(d)
      await d.click('#t')
      const [, , third] = await until(() => w.received(), (r) => r.length == 3, 'notifications')
      assert.equal(third?.customerKey, 'SERVER-KEY-1', 'the server\'s key on the next page')
      assert.match(String(await d.run('return document.cookie')), cookie)
      assert.deepEqual(w.received().map((n) => n.verdict), ['accepted', 'accepted', 'accepted'])
      await noPageErrors(d)
    }
  },
  {
    name: 'a sponsored item (data-esales-ad) in view for a second sends one ad-impression, not sooner; one out of view sends none',
    async run(d, w) {
      const opened = Date.now()
      await d.open(w.page(`<div id="ad" data-esales-ad data-esales-ticket="AD-SEEN" style="width:300px;height:250px">sponsored</div>
        <div style="height:3000px">more products</div>
        <div id="far" data-esales-ad data-esales-ticket="AD-FAR" style="width:300px;height:250px">sponsored, far below</div>`, { attrs: { 'data-api': 'v3' } }))
      await ready(d)
      await exactly(w, ['ad-impression {"ticket":"AD-SEEN"} accepted'])
      // The browser's own IntersectionObserver and a one-second timer: it cannot have arrived sooner.
      const [n] = w.received()
      assert.ok(Date.parse(n?.time || '') - opened >= 1000, `arrived ${Date.parse(n?.time || '') - opened} ms after the page was opened`)
      await noPageErrors(d)
    }
  },
  {
    name: 'opacity counts: a carousel slide under a transparent one counts, the next once it turns opaque; opacity 0 within the second starts it over',
    async run(d, w) {
      const slide = (/** @type {string} */ id, /** @type {number} */ opacity) => `<div id="${id}" data-esales-ad data-esales-ticket="SLIDE-${id}"
        style="position:absolute;left:0;top:0;width:200px;height:150px;background:#36c;opacity:${opacity}">${id}</div>`
      // Once the viewability chunk has loaded: the blinking item turns transparent for 600 ms
      // after 300 ms, and the carousel moves on (opacity alone) after 1.5 s.
      await d.open(w.page(`<div style="position:relative;height:160px">${slide('A', 1)}${slide('B', 0)}</div>
        <div id="C" data-esales-ad data-esales-ticket="BLINK" style="width:200px;height:150px;background:#c33">C</div>
        <div style="height:3000px">more products</div>
        <script>var poll = setInterval(function () {
          if (!performance.getEntriesByType('resource').some(function (e) { return e.name.indexOf('esales-ads.js') >= 0 })) return
          clearInterval(poll)
          setTimeout(function () { C.style.opacity = 0 }, 300)
          setTimeout(function () { C.style.opacity = 1; window.__on = Date.now() }, 900)
          setTimeout(function () { A.style.opacity = 0; B.style.opacity = 1; window.__moved = Date.now() }, 1500)
        }, 20)</script>`, { attrs: { 'data-api': 'v3' } }))
      await ready(d)
      await until(() => w.received(), (r) => r.length >= 3, 'impressions')
      await sleep(SETTLE_MS)
      assert.deepEqual(w.received().map(show).sort(), ['BLINK', 'SLIDE-A', 'SLIDE-B'].map((t) => `ad-impression {"ticket":"${t}"} accepted`))
      const [on, moved] = await d.run('return [window.__on, window.__moved]')
      const at = (/** @type {string} */ t) => Date.parse(w.received().find((n) => n.ticket == t)?.time || '')
      // The page's clock and the cluster's are this machine's; 50 ms for their granularity.
      assert.ok(at('BLINK') - on >= 950, `BLINK arrived ${at('BLINK') - on} ms after it was opaque again: not one continuous second`)
      assert.ok(at('SLIDE-B') - moved >= 950, `SLIDE-B arrived ${at('SLIDE-B') - moved} ms after it turned opaque`)
      await noPageErrors(d)
    }
  },
  {
    name: 'a soft navigation (history.pushState, back) is a new page view for ad impressions; replaceState and a #fragment are not',
    async run(d, w) {
      await d.open(w.page(`<div id="ad" data-esales-ad data-esales-ticket="AD-SPA" style="width:300px;height:250px">sponsored</div>
        <div style="height:3000px">more products</div>`, { attrs: { 'data-api': 'v3' } }))
      await ready(d)
      const count = (/** @type {number} */ n) => until(() => w.received().map(show), (r) => r.length >= n, `${n} impressions`)
      await count(1)
      // A filter, then a link to the reviews: one page view (the Navigation API or the wrapped history, whichever the engine has).
      await d.run(`history.replaceState(null, '', '?colour=red'); location.hash = 'reviews'`)
      await sleep(1500)
      assert.equal(w.received().length, 1, 'replaceState or a fragment counted the item again')
      await d.run(`history.pushState({}, '', '/p/next')`)
      await count(2)
      await d.run('history.back()')
      await count(3)
      await sleep(SETTLE_MS)
      assert.deepEqual(w.received().map(show), Array(3).fill('ad-impression {"ticket":"AD-SPA"} accepted'))
      await noPageErrors(d)
    }
  },
  {
    name: 'a middle click counts only where it opens a link: not on a tile\'s text, an add-to-cart button or a favorite toggle',
    needs: ['middleClick'],
    async run(d, w) {
      await d.open(w.page(`<div data-esales-ticket="T"><span id="text">text</span>
        <button id="cart" data-esales-add-to-cart="CART">add</button> <button id="fav" aria-pressed="false" data-esales-favorite="P1">fav</button></div>
        <a id="link" href="#middle" data-esales-ticket="LINK">link</a>`))
      await ready(d)
      const middle = /** @type {NonNullable<Driver['middleClick']>} */ (d.middleClick)
      for (const id of ['#text', '#cart', '#fav', '#link']) await middle(id)
      await exactly(w, [clicked('LINK')])
      await noPageErrors(d)
    }
  },
  {
    name: 'a drag across a tile (as on a carousel) is not a click; a plain click on it is',
    needs: ['drag'],
    async run(d, w) {
      await d.open(w.page('<div id="slide" data-esales-ticket="SLIDE" style="width:500px;height:80px">slide</div>'))
      await ready(d)
      await /** @type {NonNullable<Driver['drag']>} */ (d.drag)('#slide', 120)
      await d.click('#slide')
      await exactly(w, [clicked('SLIDE')])
      await noPageErrors(d)
    }
  },
  {
    name: "a click made by script counts only while a shopper's input is handled: a banner's timer clicks nothing, a handler's link.click() counts",
    async run(d, w) {
      await d.open(w.page(`<div data-esales-ticket="HERO"><button id="dot">dot</button></div><button id="go">go</button>
        <a id="link" href="#p" data-esales-ticket="LINK">link</a>
        <script>window.ticks = 0; setInterval(function () { ticks++; document.getElementById('dot').click() }, 100);
        document.getElementById('go').addEventListener('click', function () { document.getElementById('link').click() })</script>`))
      await ready(d)
      await until(() => d.run('return window.ticks'), (n) => n > 5, 'the banner timer')
      await d.click('#go')
      await exactly(w, [clicked('LINK')])
      await noPageErrors(d)
    }
  },
  {
    name: 'offline: the click waits in the outbox and arrives once after a reload online',
    needs: ['setOffline'],
    async run(d, w) {
      const url = w.page(tiles)
      await d.open(url)
      await ready(d)
      const setOffline = /** @type {NonNullable<Driver['setOffline']>} */ (d.setOffline)
      await setOffline(true)
      await d.click('#t')
      await until(() => d.run(OUTBOX_SIZE), (n) => n === 1, 'kept in the outbox')
      await setOffline(false)
      await d.open(url)
      await until(() => tickets(w), (t) => t.join() == 'T', 'tickets')
      await until(() => d.run(OUTBOX_SIZE), (n) => n === 0, 'outbox emptied')
      await noPageErrors(d)
    }
  }
]
