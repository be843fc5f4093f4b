// Issue #10, "Right keys, counted once, in real shops": the key cookies are the truth that a
// shop's server and its subdomains share, a session ends for the server too, one user action
// sends one notification, one tracker runs a page, and nothing said before consent is lost.
// Every assertion is on what the local cluster received, or on the browser's own cookie jar.
import type { BrowserContext, Page } from '@playwright/test'
import type { NotificationRecord } from '../../cluster/server.js'
import { consoleLine, exactly, expect, ready, SETTLE_MS, sleep, test, type Received } from './fixtures'

type Keys = { customerKey: string; sessionKey: string }

const tiles = '<div id="t" data-esales-ticket="T">tile</div><div id="u" data-esales-ticket="U">other tile</div>'
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/
const STUB = '<script>window.esales=window.esales||function(){(esales.q=esales.q||[]).push(arguments)}</script>'
const IMPORT_MAP = '<script type="importmap">{"imports":{"ky":"/node_modules/ky/distribution/index.js","nanoid":"/node_modules/nanoid/index.browser.js"}}</script>'
const clicked = (ticket: string) => `click ${JSON.stringify({ ticket })} accepted`
const keysOf = (n: NotificationRecord): Keys => ({ customerKey: n.customerKey, sessionKey: n.sessionKey })

/** Clicks `selector` for real and returns the keys of the one notification that it sent. */
async function clickAndGet(page: Page, received: Received, selector = '#t'): Promise<Keys> {
  const before = received().length
  await ready(page)
  await page.click(selector)
  await expect.poll(() => received().length, { message: `a notification for the click on ${selector}` }).toBe(before + 1)
  return keysOf(received()[before]!)
}

/**
 * Real clicks on two elements, one right after the other: the four mouse events go to the
 * browser at once, as a visitor's do while the page is busy, so the second click is in the
 * browser's input queue before the first one's handlers are done.
 */
async function twoClicks(page: Page, first: string, second: string): Promise<void> {
  const boxes = [(await page.locator(first).boundingBox())!, (await page.locator(second).boundingBox())!]
  const cdp = await page.context().newCDPSession(page)
  try {
    await Promise.all(boxes.flatMap((box) => (['mousePressed', 'mouseReleased'] as const).map((type) =>
      cdp.send('Input.dispatchMouseEvent', { type, x: box.x + box.width / 2, y: box.y + box.height / 2, button: 'left', clickCount: 1 }))))
  } finally {
    await cdp.detach()
  }
}

/** The browser's key cookies, by name, for the page's URL. */
async function keyCookies(context: BrowserContext, url: string) {
  const all = (await context.cookies(url)).filter((c) => c.name.startsWith('apptus.'))
  return { all, customer: all.filter((c) => c.name == 'apptus.customerKey'), session: all.filter((c) => c.name == 'apptus.sessionKey') }
}

const mirror = (page: Page) => page.evaluate(() => JSON.parse(localStorage.getItem('esales.keys') || 'null'))

/**
 * A sentinel click from a page of the same market on another origin (its own cookies and
 * storage, so it cannot send the page under test's outbox): once it arrived, what the page under
 * test would have sent had its chance to arrive too.
 */
async function sentinel(context: BrowserContext, shop: { page: (html: string) => string; url: string; otherOrigin: string }, html: (body: string) => string, received: Received, ticket = 'SENTINEL') {
  const other = await context.newPage()
  await other.goto(shop.page(html(tiles)).replace(shop.url, shop.otherOrigin))
  await ready(other)
  await other.evaluate((t) => (window as any).esales.click(t), ticket)
  await expect.poll(() => received().map((n) => n.ticket), { message: 'the sentinel' }).toContain(ticket)
}

/**
 * The event listeners on window and document, as "target type capture script:line:column": all
 * worlds, as DevTools lists them, so that a listener the snippet left behind shows.
 */
async function listeners(page: Page): Promise<string[]> {
  const cdp = await page.context().newCDPSession(page)
  try {
    const list: string[] = []
    for (const target of ['window', 'document']) {
      const { result } = await cdp.send('Runtime.evaluate', { expression: target })
      const { listeners } = await cdp.send('DOMDebugger.getEventListeners', { objectId: result.objectId! })
      for (const l of listeners) list.push(`${target} ${l.type} ${l.useCapture} ${l.scriptId}:${l.lineNumber}:${l.columnNumber}`)
    }
    return list.sort()
  } finally {
    await cdp.detach()
  }
}

test.describe('1. the key cookies are the shared truth', () => {
  test('www and checkout of one site (data-cookie-domain): setCustomerKey on checkout is what www sends next; one session throughout', async ({ page, html, shop, received, context }) => {
    const attrs = { 'data-cookie-domain': 'shop.test' }
    // Each page, and the script it loads, on its own host name of the site.
    const on = (host: string) => shop.page(html(tiles, { attrs }).replaceAll('//localhost:', `//${host}:`)).replace('//localhost:', `//${host}:`)
    const www = on('www.shop.test')
    const checkout = on('checkout.shop.test')

    await page.goto(www)
    const first = await clickAndGet(page, received)
    expect(first.customerKey).toMatch(UUID)
    const shared = await keyCookies(context, checkout)
    // The cookies are the site's: checkout sees exactly the keys that www wrote.
    expect(shared.all.map((c) => [c.name, c.value, c.domain])).toEqual(expect.arrayContaining([
      ['apptus.customerKey', first.customerKey, '.shop.test'], ['apptus.sessionKey', first.sessionKey, '.shop.test']]))
    expect(shared.all).toHaveLength(2)

    await page.goto(checkout)
    await ready(page)
    await page.evaluate(() => (window as any).esales.setCustomerKey('member-7'))
    expect(await clickAndGet(page, received)).toEqual({ customerKey: 'member-7', sessionKey: first.sessionKey })

    // Back on www, whose localStorage mirror still holds the key from before the sign-in.
    await page.goto(www)
    expect(await clickAndGet(page, received, '#u')).toEqual({ customerKey: 'member-7', sessionKey: first.sessionKey })
    const after = await keyCookies(context, www)
    expect(after.customer.map((c) => [c.value, c.domain])).toEqual([['member-7', '.shop.test']])
    expect(after.session.map((c) => [c.value, c.domain])).toEqual([[first.sessionKey, '.shop.test']])
    expect(received().map((n) => n.verdict)).toEqual(['accepted', 'accepted', 'accepted'])
  })

  test('one session across subdomains: active on checkout, away from www for 31 minutes, www keeps the session (its mirror is older than the shared cookie)', async ({ page, html, shop, received }) => {
    const attrs = { 'data-cookie-domain': 'shop.test' }
    const on = (host: string) => shop.page(html(tiles, { attrs }).replaceAll('//localhost:', `//${host}:`)).replace('//localhost:', `//${host}:`)
    await page.clock.install()
    await page.goto(on('www.shop.test'))
    const first = await clickAndGet(page, received)
    for (const minutes of ['10:00', '10:00', '09:00']) {
      await page.clock.fastForward(minutes)
      await page.goto(on('checkout.shop.test'))
      expect(await clickAndGet(page, received)).toEqual(first)
    }
    await page.clock.fastForward('02:00')
    await page.goto(on('www.shop.test'))
    expect(await clickAndGet(page, received, '#u')).toEqual(first)
  })

  test('a shop that turns data-cookie-domain on later: www moves its host-only keys to the site, checkout shares them, and setCustomerKey on checkout is what www sends next', async ({ page, html, shop, received, context }) => {
    const on = (host: string, attrs: Record<string, string> = {}) =>
      shop.page(html(tiles, { attrs }).replaceAll('//localhost:', `//${host}:`)).replace('//localhost:', `//${host}:`)
    const site = { 'data-cookie-domain': 'shop.test' }
    // Before: www without a cookie domain writes host-only cookies.
    await page.goto(on('www.shop.test'))
    const before = await clickAndGet(page, received)
    expect((await keyCookies(context, on('www.shop.test'))).all.map((c) => c.domain)).toEqual(['www.shop.test', 'www.shop.test'])

    // The shop sets the cookie domain: www's next page moves the keys to .shop.test.
    await page.goto(on('www.shop.test', site))
    expect(await clickAndGet(page, received, '#u')).toEqual(before)
    const moved = await keyCookies(context, on('www.shop.test'))
    expect(moved.all.map((c) => [c.name, c.value, c.domain]).sort()).toEqual([
      ['apptus.customerKey', before.customerKey, '.shop.test'], ['apptus.sessionKey', before.sessionKey, '.shop.test']])

    // checkout, on its first visit, shares them; its sign-in is what www sends next.
    await page.goto(on('checkout.shop.test', site))
    expect(await clickAndGet(page, received)).toEqual(before)
    await page.evaluate(() => (window as any).esales.setCustomerKey('user-42'))
    await page.goto(on('www.shop.test', site))
    expect(await clickAndGet(page, received)).toEqual({ customerKey: 'user-42', sessionKey: before.sessionKey })
  })

  test("a key cookie the server sets with Domain= beside the snippet's host-only one (no data-cookie-domain) wins on that very page", async ({ page, html, shop, received }) => {
    const on = (host: string, headers?: Record<string, string>) =>
      shop.page(html(tiles).replaceAll('//localhost:', `//${host}:`), headers).replace('//localhost:', `//${host}:`)
    await page.goto(on('www.shop.test'))
    const first = await clickAndGet(page, received)
    await page.goto(on('www.shop.test', { 'set-cookie': 'apptus.customerKey=server-user-8; Path=/; Domain=shop.test' }))
    expect(await clickAndGet(page, received, '#u')).toEqual({ customerKey: 'server-user-8', sessionKey: first.sessionKey })
    await page.goto(on('www.shop.test'))
    expect(await clickAndGet(page, received)).toEqual({ customerKey: 'server-user-8', sessionKey: first.sessionKey })
  })

  test("a stale key cookie on a deeper path does not beat the key that the server sets at sign-in on Path=/", async ({ page, html, shop, received, context }) => {
    await page.goto(shop.page(html(tiles)))
    const first = await clickAndGet(page, received)
    // Some old code left a customer key on /account.
    await context.addCookies([{ name: 'apptus.customerKey', value: 'stale-account-path', domain: 'localhost', path: '/account' }])
    // Signing in, on a page under /account: the server's Set-Cookie on that response.
    await page.goto(shop.page(html(tiles), { 'set-cookie': 'apptus.customerKey=server-user-7; Path=/' }, `/account/signed-in-${Date.now()}`))
    expect(await page.evaluate(() => document.cookie)).toMatch(/apptus\.customerKey=stale-account-path.*apptus\.customerKey=server-user-7/)
    expect(await clickAndGet(page, received, '#u')).toEqual({ customerKey: 'server-user-7', sessionKey: first.sessionKey })
  })

  test("a key cookie the server sets HttpOnly, with the keys rendered into the page: clicks carry them, and a click writes no cookie", async ({ page, html, shop, received }) => {
    await page.addInitScript(() => {
      // Counts the page's writes to document.cookie.
      const desc = Object.getOwnPropertyDescriptor(Document.prototype, 'cookie')!
      ;(window as any).cookieWrites = 0
      Object.defineProperty(Document.prototype, 'cookie', { configurable: true, get: desc.get, set(v) { (window as any).cookieWrites++; desc.set!.call(this, v) } })
    })
    const attrs = { 'data-customer-key': 'srv-c', 'data-session-key': 'srv-s' }
    await page.goto(shop.page(html(tiles, { attrs }), { 'set-cookie': 'apptus.customerKey=srv-c; Path=/; HttpOnly' }))
    expect(await clickAndGet(page, received)).toEqual({ customerKey: 'srv-c', sessionKey: 'srv-s' })
    const afterFirst = await page.evaluate(() => (window as any).cookieWrites as number)
    for (let i = 0; i < 3; i++) {
      expect(await clickAndGet(page, received, i % 2 ? '#t' : '#u')).toEqual({ customerKey: 'srv-c', sessionKey: 'srv-s' })
      await page.waitForTimeout(400)
    }
    expect(await page.evaluate(() => (window as any).cookieWrites)).toBe(afterFirst)
  })

  test("a key cookie the server percent-encoded (Express's default) is read as its key, adopted, and not overwritten", async ({ page, html, shop, received }) => {
    await page.goto(shop.page(html(tiles)))
    await clickAndGet(page, received)
    await page.goto(shop.page(html(tiles), { 'set-cookie': 'apptus.customerKey=user%3A42; Path=/' }))
    expect((await clickAndGet(page, received, '#u')).customerKey).toBe('user:42')
    await page.goto(shop.page(html(tiles)))
    expect((await clickAndGet(page, received)).customerKey).toBe('user:42')
  })

  for (const [name, cookie, other] of [
    ['customer', 'apptus.customerKey', 'sessionKey'],
    ['session', 'apptus.sessionKey', 'customerKey']
  ] as const) {
    test(`a ${name} key cookie that the shop's server sets is adopted on that very page, and never overwritten with an older value`, async ({ page, html, shop, received }) => {
      const field = cookie == 'apptus.customerKey' ? 'customerKey' : 'sessionKey'
      await page.goto(shop.page(html(tiles)))
      const first = await clickAndGet(page, received)
      expect(first[field]).toMatch(UUID)

      // The server signs the visitor in (or starts its own session) with a Set-Cookie on this response.
      await page.goto(shop.page(html(tiles), { 'set-cookie': `${cookie}=SERVER-1; Path=/` }))
      const second = await clickAndGet(page, received, '#u')
      expect(second[field]).toBe('SERVER-1')
      expect(second[other]).toBe(first[other])
      const jar = () => page.evaluate(() => document.cookie)
      expect(await jar()).toMatch(new RegExp(`(^|; )${cookie.replace('.', '\\.')}=SERVER-1(;|$)`))
      expect(await jar()).not.toContain(first[field])

      await page.goto(shop.page(html(tiles)))
      const third = await clickAndGet(page, received)
      expect(third).toEqual(second)
      expect(await jar()).toMatch(new RegExp(`(^|; )${cookie.replace('.', '\\.')}=SERVER-1(;|$)`))
      expect(await jar()).not.toContain(first[field])
      expect(received().map((n) => n.verdict)).toEqual(['accepted', 'accepted', 'accepted'])
    })
  }

  test('a key cookie that is there wins over the localStorage mirror; the mirror restores a key only when its cookie is gone', async ({ page, open, received, context, shop }) => {
    const url = await open(tiles)
    const first = await clickAndGet(page, received)
    expect(await mirror(page)).toMatchObject(first)

    // Someone else (another tab, the server, another subdomain) writes other keys into the same
    // cookies (name, host, path /), from a page of the shop without the snippet.
    await page.goto(shop.page('<p>no snippet here</p>'))
    await page.evaluate(() => {
      document.cookie = 'apptus.customerKey=COOKIE-C;path=/;max-age=3600'
      document.cookie = 'apptus.sessionKey=COOKIE-S;path=/;max-age=600'
    })
    const replaced = await keyCookies(context, url)
    expect([replaced.customer.map((c) => c.value), replaced.session.map((c) => c.value)]).toEqual([['COOKIE-C'], ['COOKIE-S']])
    // This origin's mirror still holds the first keys; the cookies must win.
    expect(await mirror(page)).toMatchObject(first)
    await page.goto(url)
    const second = await clickAndGet(page, received)
    expect(second).toEqual({ customerKey: 'COOKIE-C', sessionKey: 'COOKIE-S' })
    const cookies = await keyCookies(context, url)
    expect([cookies.customer.map((c) => c.value), cookies.session.map((c) => c.value)]).toEqual([['COOKIE-C'], ['COOKIE-S']])
    // The mirror follows the cookies.
    expect(await mirror(page)).toMatchObject(second)

    // The cookies are gone (Safari's cap, a cleared jar): the mirror brings both keys back.
    await context.clearCookies()
    await page.reload()
    expect(await clickAndGet(page, received, '#u')).toEqual(second)
    const restored = await keyCookies(context, url)
    expect([restored.customer.map((c) => c.value), restored.session.map((c) => c.value)]).toEqual([['COOKIE-C'], ['COOKIE-S']])
  })
})

test.describe('2. a session ends for the server too', () => {
  test('the session cookie lives 30 minutes and is renewed with activity, at most about once a minute', async ({ page, open, received, context }) => {
    // The page's clock: Date.now and timers run as usual until the test jumps ahead. The cookie
    // jar runs on real time, so each expiry is compared with the real time of its write.
    await page.clock.install()
    const url = await open(tiles)
    const session = async () => {
      const { session } = await keyCookies(context, url)
      expect(session).toHaveLength(1)
      return session[0]!
    }
    const first = await clickAndGet(page, received)
    const written = await session()
    expect(written.value).toBe(first.sessionKey)
    expect(written.expires - Date.now() / 1000).toBeGreaterThan(1800 - 60)
    expect(written.expires - Date.now() / 1000).toBeLessThanOrEqual(1800 + 1)
    const lastActive = (await mirror(page)).lastActive

    // Real time must pass for a rewrite to show in the expiry: this wait only makes one
    // observable; the assertions come after the next click.
    await sleep(1500)
    expect(await clickAndGet(page, received, '#u')).toEqual(first)
    expect((await session()).expires).toBe(written.expires)
    expect((await mirror(page)).lastActive).toBe(lastActive)

    await page.clock.fastForward('01:05')
    expect(await clickAndGet(page, received)).toEqual(first)
    const renewed = await session()
    expect(renewed.value).toBe(first.sessionKey)
    expect(renewed.expires).toBeGreaterThan(written.expires + 1)
    expect(renewed.expires - Date.now() / 1000).toBeGreaterThan(1800 - 60)
    expect(renewed.expires - Date.now() / 1000).toBeLessThanOrEqual(1800 + 1)
    expect((await mirror(page)).lastActive).toBeGreaterThanOrEqual(lastActive + 65_000)
  })

  test('after 30 idle minutes in a page left open, the next click carries a new session key', async ({ page, open, received, context }) => {
    await page.clock.install()
    const url = await open(tiles)
    const first = await clickAndGet(page, received)
    await page.clock.fastForward('31:00')
    // The browser's cookie jar runs on real time: the session cookie goes as its Max-Age would have taken it.
    await context.clearCookies({ name: 'apptus.sessionKey' })
    const second = await clickAndGet(page, received, '#u')
    expect(second.customerKey).toBe(first.customerKey)
    expect(second.sessionKey).toMatch(UUID)
    expect(second.sessionKey).not.toBe(first.sessionKey)
    // The server reads the new session key from the cookie.
    expect((await keyCookies(context, url)).session.map((c) => c.value)).toEqual([second.sessionKey])
  })

  test('end() after 30 idle minutes ends the old session for the server, and the next click carries new keys', async ({ page, open, received }) => {
    await page.clock.install()
    await open(tiles)
    const first = await clickAndGet(page, received)
    await page.clock.fastForward('31:00')
    await page.evaluate(() => (window as any).esales.end())
    await expect.poll(() => received({ type: 'end' }).length, { message: 'the end notification' }).toBe(1)
    const end = received({ type: 'end' })[0]!
    expect([end.verdict, end.body]).toEqual(['accepted', ''])
    expect(keysOf(end)).toEqual(first)
    const next = await clickAndGet(page, received, '#u')
    expect(next.customerKey).toMatch(UUID)
    expect(next.customerKey).not.toBe(first.customerKey)
    expect(next.sessionKey).toMatch(UUID)
    expect(next.sessionKey).not.toBe(first.sessionKey)
    expect(received().map((n) => n.type)).toEqual(['click', 'end', 'click'])
  })
})

test.describe('4. one user action, one notification', () => {
  test('a click on the text of a label around a checkbox in a tile sends one click', async ({ page, open, received }) => {
    await open('<div data-esales-ticket="TILE"><label><input type="checkbox" id="cb"> <span id="text">compare</span></label></div>')
    await ready(page)
    await page.click('#text')
    // The browser clicked the label's control too: the case in question happened.
    await expect.poll(() => page.evaluate(() => (document.getElementById('cb') as HTMLInputElement).checked)).toBe(true)
    await exactly(received, [clicked('TILE')])
  })

  test('a click on a label for= a checkbox in the same tile sends one click', async ({ page, open, received }) => {
    await open('<div data-esales-ticket="TILE"><label id="lab" for="cb">compare</label> <input type="checkbox" id="cb"></div>')
    await ready(page)
    await page.click('#lab')
    await expect.poll(() => page.evaluate(() => (document.getElementById('cb') as HTMLInputElement).checked)).toBe(true)
    await exactly(received, [clicked('TILE')])
  })

  test('a label around a favorite checkbox in a tile: add-favorite only, and a second click remove-favorite', async ({ page, open, received }) => {
    await open('<div data-esales-ticket="TILE"><label><input type="checkbox" id="fav" data-esales-favorite="P1"> <span id="heart">♥</span></label></div>')
    await ready(page)
    const checked = () => page.evaluate(() => (document.getElementById('fav') as HTMLInputElement).checked)
    await page.click('#heart')
    const firstAt = Date.now()
    await expect.poll(checked).toBe(true)
    const add = 'add-favorite {"productKey":"P1"} accepted'
    await exactly(received, [add])
    // At least 600 ms after the first click, so that the browser does not count a double click.
    await sleep(firstAt + 600 - Date.now())
    await page.click('#heart')
    await expect.poll(checked).toBe(false)
    await exactly(received, [add, 'remove-favorite {"productKey":"P1"} accepted'])
  })

  test('a label that itself carries data-esales-favorite around a checkbox: one notification a click, add then remove', async ({ page, open, received }) => {
    await open('<div data-esales-ticket="TILE"><label id="fav" data-esales-favorite="P9"><input type="checkbox" id="box"> <span id="heart">♥</span></label></div>')
    await ready(page)
    await page.click('#heart')
    await exactly(received, ['add-favorite {"productKey":"P9"} accepted'])
    expect(await page.isChecked('#box')).toBe(true)
    await page.waitForTimeout(600)
    await page.click('#heart')
    await exactly(received, ['add-favorite {"productKey":"P9"} accepted', 'remove-favorite {"productKey":"P9"} accepted'])
  })

  test('a page listener that stops propagation at the window, in the capture phase, hides no click', async ({ page, open, received }) => {
    await open(tiles + "<script>addEventListener('click', function (e) { e.stopPropagation() }, true); document.addEventListener('click', function (e) { e.stopPropagation() }, true)</script>")
    await ready(page)
    await page.click('#t')
    await exactly(received, [clicked('T')])
  })

  test("shop code whose click handler clicks another ticketed link in the tile: one click, the link's", async ({ page, open, received }) => {
    await open('<div data-esales-ticket="TILE"><span id="pic">picture</span> <a id="name" href="#p1" data-esales-ticket="LINK">name</a></div>' +
      '<script>document.getElementById("pic").addEventListener("click", () => document.getElementById("name").click())</script>')
    await ready(page)
    await page.click('#pic')
    // The shop's handler ran and followed the link.
    await expect.poll(() => page.evaluate(() => location.hash)).toBe('#p1')
    await exactly(received, [clicked('LINK')])
  })

  test('two label tiles clicked quickly still send two', async ({ page, open, received }) => {
    await open('<div data-esales-ticket="A"><label><input type="checkbox" id="ca"> <span id="a">compare A</span></label></div>' +
      '<div data-esales-ticket="B"><label><input type="checkbox" id="cb"> <span id="b">compare B</span></label></div>')
    await ready(page)
    await twoClicks(page, '#a', '#b')
    // Both actions happened, each with its label's second click.
    await expect.poll(() => page.evaluate(() => ['ca', 'cb'].map((id) => (document.getElementById(id) as HTMLInputElement).checked))).toEqual([true, true])
    await exactly(received, [clicked('A'), clicked('B')])
  })

  test("a shop whose click handler works 300 ms on one tile: a second tile clicked meanwhile still sends its own, and the first one's stays", async ({ page, open, received }) => {
    // A slow route change in the shop's own code, in the click's task.
    await open('<div data-esales-ticket="A"><span id="a">tile A</span></div><div data-esales-ticket="B"><span id="b">tile B</span></div>' +
      '<script>window.clicks = []; document.addEventListener("click", (e) => clicks.push([e.target.id, e.detail, Math.round(performance.now())]), true);' +
      'document.getElementById("a").addEventListener("click", () => { const end = performance.now() + 300; while (performance.now() < end); })</script>')
    await ready(page)
    await twoClicks(page, '#a', '#b')
    // Two separate clicks, at least 300 ms apart in the page: two user actions.
    await expect.poll(() => page.evaluate(() => (window as any).clicks.map(([id, detail]: [string, number]) => `${id} ${detail}`))).toEqual(['a 1', 'b 1'])
    const [[, , at], [, , bt]] = await page.evaluate(() => (window as any).clicks)
    expect(bt - at).toBeGreaterThanOrEqual(300)
    await exactly(received, [clicked('A'), clicked('B')])
  })
})

test.describe('5. one tracker a page', () => {
  const esmPage = (body: string, script: string) => `<!doctype html><html><head>${IMPORT_MAP}</head><body>${body}
    <script type="module">
      import { createTracker } from '/dist/index.js'
      window.createTracker = createTracker
      ${script}
      window.ready = true
    </script></body></html>`

  test('a second createTracker call returns the same live tracker and adds no listener: one click, one notification', async ({ page, shop, cluster, market, received }) => {
    await page.goto(shop.page(esmPage(tiles, `window.opts = { endpoint: '${cluster.url}', market: '${market}' }; window.first = createTracker(window.opts)`)))
    await page.waitForFunction(() => (window as any).ready)
    const once = await listeners(page)
    expect(await page.evaluate(() => (window as any).first === (window as any).createTracker((window as any).opts))).toBe(true)
    expect(await listeners(page)).toEqual(once)
    await page.click('#t')
    await exactly(received, [clicked('T')])
  })

  for (const order of ['script tag first', 'createTracker first'] as const) {
    test(`createTracker beside the script tag (${order}): one notification per click, and the debug line says a tracker runs already`, async ({ page, shop, cluster, market, received, consoleLines }) => {
      const tag = `<script src="${shop.url}/dist/esales.js" data-endpoint="${cluster.url}" data-market="${market}" data-debug></script>`
      const esm = `window.esm = createTracker({ endpoint: '${cluster.url}', market: '${market}', debug: true })`
      // The tag in the head runs before any module script; inserted by the module, it runs after createTracker.
      const html = order == 'script tag first'
        ? esmPage(tiles, esm).replace('</head>', `${tag}</head>`)
        : esmPage(tiles, `${esm}
            const s = document.createElement('script')
            s.src = '${shop.url}/dist/esales.js'
            Object.assign(s.dataset, { endpoint: '${cluster.url}', market: '${market}', debug: '' })
            document.head.append(s)`)
      await page.goto(shop.page(html))
      await page.waitForFunction(() => (window as any).ready && (window as any).esales?.loaded)
      await consoleLine(consoleLines, 'esales: a tracker runs already')
      expect(consoleLines.filter((l) => l.includes('a tracker runs already'))).toHaveLength(1)
      await page.click('#t')
      await exactly(received, [clicked('T')])
      await page.click('#u')
      await exactly(received, [clicked('T'), clicked('U')])
      // Both entry points act on the one tracker.
      expect(await page.evaluate(() => JSON.stringify((window as any).esm.keys()) == JSON.stringify((window as any).esales.keys()))).toBe(true)
    })
  }

  test('destroy() from one holder (an SPA unmounting) leaves the tracker to the others: the script tag keeps tracking', async ({ page, shop, cluster, market, received }) => {
    const tag = `<script src="${shop.url}/dist/esales.js" data-endpoint="${cluster.url}" data-market="${market}"></script>`
    await page.goto(shop.page(esmPage(tiles, `window.esm = createTracker({ endpoint: '${cluster.url}', market: '${market}' }); window.esm.destroy()`).replace('</head>', `${tag}</head>`)))
    await page.waitForFunction(() => (window as any).ready && (window as any).esales?.loaded)
    await page.click('#t')
    await page.evaluate(() => (window as any).esales('addToCart', 'VIA-GLOBAL'))
    await exactly(received, [clicked('T'), 'add-to-cart {"ticket":"VIA-GLOBAL"} accepted'])
  })

  test('destroy() removes every listener it added, online too; a new createTracker then makes a new live tracker that works', async ({ page, shop, cluster, market, received, html, context }) => {
    await page.goto(shop.page(esmPage(tiles, '')))
    await page.waitForFunction(() => (window as any).ready)
    const none = await listeners(page)
    await page.evaluate(({ endpoint, market }) => { (window as any).first = (window as any).createTracker({ endpoint, market }) }, { endpoint: cluster.url, market })
    const tracking = await listeners(page)
    // The check can fail: a running tracker listens for clicks, online and more.
    expect(tracking.filter((l) => !none.includes(l)).map((l) => l.split(' ').slice(0, 2).join(' '))).toEqual(expect.arrayContaining(['window click', 'window online']))
    await page.click('#t')
    await expect.poll(() => received().map((n) => n.ticket)).toEqual(['T'])

    await page.evaluate(() => (window as any).first.destroy())
    expect(await listeners(page)).toEqual(none)
    // An outbox entry waits; the online event comes; a click on a tile: none of it is sent.
    await page.evaluate(({ base, market }) => localStorage.setItem('esales.outbox', JSON.stringify([{
      url: `${base}/api/v2/notifications/click?customerKey=kept-c&market=${market}&sessionKey=kept-s`, body: '{"ticket":"KEPT"}', t: Date.now()
    }])), { base: cluster.url, market })
    await page.evaluate(() => window.dispatchEvent(new Event('online')))
    await page.click('#u')
    await sentinel(context, shop, html, received)
    expect(received().map((n) => n.ticket)).toEqual(['T', 'SENTINEL'])
    expect(await page.evaluate(() => JSON.parse(localStorage.getItem('esales.outbox') || '[]').length)).toBe(1)

    // A new tracker: not the old one, and live (it sends the outbox it found, and clicks).
    expect(await page.evaluate(({ endpoint, market }) => {
      const w = window as any
      w.second = w.createTracker({ endpoint, market })
      return w.second !== w.first && w.second === w.createTracker({ endpoint, market })
    }, { endpoint: cluster.url, market })).toBe(true)
    await page.click('#u')
    await expect.poll(() => received().map((n) => n.ticket).sort()).toEqual(['KEPT', 'SENTINEL', 'T', 'U'])
    await sleep(SETTLE_MS) // a late duplicate
    expect(received().map((n) => n.ticket).sort()).toEqual(['KEPT', 'SENTINEL', 'T', 'U'])
  })

  for (const consent of [null, 'pending']) {
    test(`after destroy(), consent(true) does not restart tracking (data-consent=${consent ?? 'absent'})`, async ({ page, open, received, context, shop, html }) => {
      await open(tiles, { attrs: { 'data-consent': consent } })
      await ready(page)
      if (!consent) await clickAndGet(page, received)
      const before = received().length
      await page.evaluate(() => { (window as any).esales.destroy(); (window as any).esales.consent(true) })
      await page.click('#t')
      await page.evaluate(() => (window as any).esales.click('BY-HAND'))
      expect(await page.evaluate(() => (window as any).esales.keys())).toEqual({})
      await sentinel(context, shop, html, received)
      expect(received().slice(before).map((n) => n.ticket)).toEqual(['SENTINEL'])
    })
  }
})

test.describe('6. nothing said before consent is lost', () => {
  const pending = { 'data-consent': 'pending' }

  for (const mode of ['called directly', 'queued through the stub'] as const) {
    // The calls before consent: on window.esales after load, or through the stub before it.
    const before = (calls: [string, ...string[]][]) => mode == 'called directly'
      ? { head: '', run: (page: Page) => page.evaluate((list) => { for (const [name, ...args] of list) (window as any).esales[name](...args) }, calls) }
      : { head: STUB + `<script>${calls.map((c) => `esales(${c.map((a) => JSON.stringify(a)).join(', ')})`).join(';')}</script>`, run: async () => {} }

    test(`setCustomerKey ${mode} while consent is pending takes effect at consent(true); earlier notifications stay unsent`, async ({ page, open, received }) => {
      const { head, run } = before([['click', 'EARLY'], ['setCustomerKey', 'member-9'], ['click', 'EARLY-2']])
      await open(tiles, { attrs: pending, head })
      await ready(page)
      await run(page)
      await page.click('#t')
      await page.evaluate(() => (window as any).esales.consent(true))
      // The sentinel: a click after consent. Once it is in, the earlier ones had their chance.
      await page.click('#u')
      await exactly(received, [clicked('U')])
      expect(received()[0]!.customerKey).toBe('member-9')
      expect(received()[0]!.sessionKey).toMatch(UUID)
      expect(await page.evaluate(() => (window as any).esales.keys().customerKey)).toBe('member-9')
    })

    for (const [order, calls] of [
      ['reset then setCustomerKey', [['reset'], ['setCustomerKey', 'member-9']]],
      ['setCustomerKey then reset', [['setCustomerKey', 'member-9'], ['reset']]]
    ] as [string, [string, ...string[]][]][]) {
      test(`${order}, ${mode} while consent is pending, take effect in order at consent(true); earlier notifications stay unsent`, async ({ page, open, received }) => {
        // A returning visitor: keys from an earlier visit with consent.
        await open(tiles)
        const seen = await clickAndGet(page, received)
        const { head, run } = before([['click', 'EARLY'], ...calls, ['click', 'EARLY-2']])
        await open(tiles, { attrs: pending, head })
        await ready(page)
        await run(page)
        await page.click('#t')
        await page.evaluate(() => (window as any).esales.consent(true))
        await page.click('#u')
        await exactly(received, [clicked('T'), clicked('U')])
        const after = keysOf(received()[1]!)
        expect(after.sessionKey).toMatch(UUID)
        expect(after.sessionKey).not.toBe(seen.sessionKey)
        if (order == 'reset then setCustomerKey') expect(after.customerKey).toBe('member-9')
        else {
          expect(after.customerKey).toMatch(UUID)
          expect(after.customerKey).not.toBe(seen.customerKey)
        }
      })
    }
  }
})

test.describe('7. API calls keep the keys of their moment', () => {
  test('destroy() right after an API call whose chunk is on its way: the call is still sent (destroy sends what waits)', async ({ page, open, received }) => {
    await open(tiles, { slowChunks: 1500 })
    const before = await clickAndGet(page, received)
    await page.evaluate(() => {
      const esales = (window as any).esales
      esales.addFavorite('P1')
      esales.destroy()
    })
    await expect.poll(() => received().map((n) => n.type)).toEqual(['click', 'add-favorite'])
    expect(keysOf(received()[1]!)).toEqual(before)
  })

  test('consent(false) right after an API call whose chunk is on its way: never sent, also after consent(true)', async ({ page, open, received }) => {
    await open(tiles, { slowChunks: 1500 })
    await clickAndGet(page, received)
    const chunk = page.waitForResponse('**/esales-fallback.js')
    await page.evaluate(() => {
      const esales = (window as any).esales
      esales.addFavorite('P1')
      esales.consent(false)
      esales.consent(true)
    })
    await chunk
    const after = await clickAndGet(page, received, '#u')
    await sleep(SETTLE_MS)
    expect(received().map((n) => n.type)).toEqual(['click', 'click'])
    expect(after.customerKey).not.toBe(keysOf(received()[0]!).customerKey)
  })


  for (const [method, arg, type] of [['removeRecentSearches', 'removeAll', 'remove-recent-searches'], ['addFavorite', 'P1', 'add-favorite']] as const) {
    test(`${method} right before a sign-in, while the chunk that builds it is on its way: sent with the keys from before`, async ({ page, open, received }) => {
      await open(tiles, { slowChunks: 1500 })
      const before = await clickAndGet(page, received)
      await page.evaluate(([method, arg]) => {
        const esales = (window as any).esales
        esales(method, arg)
        esales.setCustomerKey('user-9')
      }, [method, arg])
      await expect.poll(() => received().map((n) => n.type)).toEqual(['click', type])
      expect(keysOf(received()[1]!)).toEqual(before)
      expect(await clickAndGet(page, received, '#u')).toEqual({ ...before, customerKey: 'user-9' })
    })
  }
})
