// Consent levels (Storefront v3 userContext): what the cluster receives at each level, what the
// page leaves in its cookies, localStorage and sessionStorage, moves between levels with
// notifications waiting (in memory, in the outbox, and between ky's retries), two tabs at
// different levels, and the refusal on API v2. The local cluster checks every query against the
// userContext rules, so an accepted notification is one whose keys fit its level.
import type { Page } from '@playwright/test'
import type { NotificationRecord } from '../../cluster/server.js'
import { consoleLine, expect, outbox, ready, REFUSING_BEACON, SETTLE_MS, sleep, test } from './fixtures'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/
const v3 = (consent?: string, more: Record<string, string> = {}) => ({ attrs: { 'data-api': 'v3', 'data-consent': consent ?? null, ...more } })
const shopBody = `<div id="t" data-esales-ticket="T">tile</div><div id="u" data-esales-ticket="U">other tile</div>
  <div data-esales-ticket="TILE"><button id="cart" data-esales-add-to-cart="CART">Add</button>
  <button id="fav" aria-pressed="false" data-esales-favorite="P1">♥</button></div>
  <script>document.getElementById('fav').addEventListener('click', (e) => e.currentTarget.setAttribute('aria-pressed', 'true'))</script>`
/** The same with a sponsored item in view: an ad impression a second after load. */
const adBody = shopBody + '<div id="ad" data-esales-ad data-esales-ticket="AD" style="width:300px;height:250px">sponsored</div>'
/** What the notification carried: its level, and which keys. */
const carried = (n: NotificationRecord) => `${n.type} ${n.userContext} ${n.customerKey ? 'C' : '-'}${n.sessionKey ? 'S' : '-'} ${n.verdict}`

/** Everything the page keeps of the snippet: the key cookies, localStorage and sessionStorage. */
const stored = (page: Page) => page.evaluate(() => ({
  cookie: document.cookie,
  local: Object.keys(localStorage).sort(),
  session: Object.keys(sessionStorage).sort(),
  mirror: JSON.parse(localStorage.getItem('esales.keys') || 'null') as Record<string, unknown> | null
}))

test.describe('at each level', () => {
  test('granted: both keys, no userContext; cookies and the mirror hold both', async ({ page, open, received }) => {
    await open(shopBody, v3('granted'))
    await ready(page)
    await page.click('#t')
    await expect.poll(() => received().map(carried)).toEqual(['click PERSONALIZED CS accepted'])
    expect(received()[0]!.url).not.toContain('userContext')
    const s = await stored(page)
    expect(s.cookie).toMatch(/apptus\.customerKey=/)
    expect(s.mirror).toMatchObject({ customerKey: received()[0]!.customerKey, sessionKey: received()[0]!.sessionKey })
  })

  test('unpersonalized: the session key only, userContext=UNPERSONALIZED, for clicks, add-to-cart, favorites and ad impressions; the session cookie, and no customer key anywhere', async ({ page, open, received, context, shop }) => {
    // A customer cookie and mirror from an earlier visit with consent: this level removes them.
    await page.goto(shop.url + '/landing')
    await page.evaluate(() => { localStorage.setItem('esales.keys', '{"customerKey":"old-customer","sessionKey":"old-session","lastActive":0,"renewed":0,"domain":""}') })
    await context.addCookies([{ name: 'apptus.customerKey', value: 'old-customer', url: shop.url + '/' }])
    await open(adBody, v3('unpersonalized'))
    await ready(page)
    await page.click('#t')
    await page.click('#cart')
    await page.click('#fav')
    await expect.poll(() => received().map(carried).sort()).toEqual([
      'ad-impression UNPERSONALIZED -S accepted', 'add-favorite UNPERSONALIZED -S accepted', 'add-to-cart UNPERSONALIZED -S accepted', 'click UNPERSONALIZED -S accepted'])
    const keys = new Set(received().map((n) => n.sessionKey))
    expect(keys.size).toBe(1)
    expect([...keys][0]).toMatch(UUID)
    const s = await stored(page)
    expect(s.cookie).toBe(`apptus.sessionKey=${[...keys][0]}`)
    expect(s.mirror).not.toHaveProperty('customerKey')
    expect(JSON.stringify(s)).not.toContain('old-customer')
    expect(await page.evaluate(() => (window as any).esales.keys())).toEqual({ sessionKey: [...keys][0] })
  })

  test('anonymous: no keys at all, userContext=ANONYMOUS, for every capture rule; nothing read from or written to cookies, localStorage or sessionStorage, also with the beacon refused (ky, no outbox)', async ({ page, open, received }) => {
    // Counts every touch of the three stores, from before the snippet loads.
    await page.addInitScript(() => {
      const w = window as any
      w.touched = []
      for (const [owner, name] of [[window, 'localStorage'], [window, 'sessionStorage'], [Document.prototype, 'cookie']] as const) {
        const d = Object.getOwnPropertyDescriptor(owner === window ? Window.prototype : owner, name) || Object.getOwnPropertyDescriptor(owner, name)!
        Object.defineProperty(owner, name, {
          configurable: true,
          get() { w.touched.push('get ' + name); return d.get!.call(this) },
          set(v) { w.touched.push('set ' + name); d.set!.call(this, v) }
        })
      }
    })
    for (const refuse of [false, true]) {
      if (refuse) await page.addInitScript(REFUSING_BEACON)
      await open(adBody, v3('anonymous'))
      await ready(page)
      const before = received().length
      await page.click('#t')
      await page.click('#cart')
      await page.click('#fav')
      await expect.poll(() => received().slice(before).map(carried).sort()).toEqual(
        (refuse ? ['add-favorite', 'add-to-cart', 'click'] : ['ad-impression', 'add-favorite', 'add-to-cart', 'click']).map((t) => `${t} ANONYMOUS -- accepted`))
      // The page was idle, sent, and took the ky path: still nothing touched, nothing stored.
      await sleep(SETTLE_MS)
      expect(await page.evaluate(() => (window as any).touched)).toEqual([])
      expect(await stored(page)).toEqual({ cookie: '', local: [], session: [], mirror: null })
      expect(await page.evaluate(() => (window as any).esales.keys())).toEqual({})
    }
  })

  test('denied and pending: nothing sent, nothing stored', async ({ page, open, received }) => {
    for (const consent of ['denied', 'pending']) {
      await open(shopBody, v3(consent))
      await ready(page)
      await page.click('#t')
      await page.click('#cart')
      await sleep(SETTLE_MS)
      expect(received()).toEqual([])
      expect(await stored(page)).toEqual({ cookie: '', local: [], session: [], mirror: null })
    }
  })
})

test.describe('moving between levels in one page', () => {
  test('a click waiting in memory when the shopper moves down to anonymous goes out without keys; cookies and mirror are gone', async ({ page, open, received }) => {
    await open(shopBody, v3('granted'))
    await ready(page)
    await page.click('#t')
    await expect.poll(() => received().length).toBe(1)
    await page.evaluate(() => { const e = (window as any).esales; e.click('WAITING'); e.consent('anonymous') })
    await expect.poll(() => received().map((n) => `${n.ticket} ${carried(n)}`)).toEqual(['T click PERSONALIZED CS accepted', 'WAITING click ANONYMOUS -- accepted'])
    expect(await stored(page)).toEqual({ cookie: '', local: [], session: [], mirror: null })
  })

  test('down to unpersonalized with a click waiting: it keeps its session key and loses the customer key; the customer cookie goes, the session cookie stays', async ({ page, open, received }) => {
    await open(shopBody, v3('granted'))
    await ready(page)
    await page.click('#t')
    await expect.poll(() => received().length).toBe(1)
    const [first] = received()
    await page.evaluate(() => { const e = (window as any).esales; e.click('WAITING'); e.consent('unpersonalized') })
    await expect.poll(() => received().length).toBe(2)
    expect(carried(received()[1]!)).toBe('click UNPERSONALIZED -S accepted')
    expect(received()[1]!.sessionKey).toBe(first!.sessionKey)
    const s = await stored(page)
    expect(s.cookie).toBe(`apptus.sessionKey=${first!.sessionKey}`)
    expect(s.mirror).not.toHaveProperty('customerKey')
  })

  test('down to unpersonalized with nothing waiting: the customer key leaves the mirror at once, not at the next click', async ({ page, open, received }) => {
    await open(shopBody, v3('granted'))
    await ready(page)
    await page.click('#t')
    await expect.poll(() => received().length).toBe(1)
    const mirror = await page.evaluate(() => { (window as any).esales.consent('unpersonalized'); return JSON.parse(localStorage.getItem('esales.keys')!) })
    expect(mirror).not.toHaveProperty('customerKey')
    expect(mirror.sessionKey).toBe(received()[0]!.sessionKey)
  })

  test('down to denied with a click waiting: it is dropped, and everything stored goes', async ({ page, open, received }) => {
    await open(shopBody, v3('granted'))
    await ready(page)
    await page.click('#t')
    await expect.poll(() => received().length).toBe(1)
    await page.evaluate(() => { const e = (window as any).esales; e.click('DROPPED'); e.consent('denied') })
    await sleep(SETTLE_MS)
    expect(received().map((n) => n.ticket)).toEqual(['T'])
    expect(await stored(page)).toEqual({ cookie: '', local: [], session: [], mirror: null })
  })

  for (const [to, want] of [['unpersonalized', 'click UNPERSONALIZED -S accepted'], ['anonymous', 'click ANONYMOUS -- accepted']] as const) {
    test(`offline, clicks wait in the outbox with both keys; down to ${to}, they arrive once online with only what ${to} allows${to == 'anonymous' ? ', and the outbox leaves localStorage at once' : ''}`, async ({ page, open, received, context }) => {
      await open(shopBody, v3('granted'))
      await ready(page)
      // A call that the fallback file builds: the page has that file from then on, also offline.
      await page.evaluate(() => (window as any).esales.addFavorite('P0'))
      await expect.poll(() => received().length).toBe(1)
      await context.setOffline(true)
      await page.click('#t')
      await page.evaluate(() => (window as any).esales.click('SECOND'))
      await expect.poll(async () => (await outbox(page)).length).toBe(2)
      expect((await outbox(page))[0]!.url).toContain('customerKey=')
      await page.evaluate((level) => (window as any).esales.consent(level), to)
      if (to == 'anonymous') expect(await stored(page)).toEqual({ cookie: '', local: [], session: [], mirror: null })
      else await expect.poll(async () => (await outbox(page)).map((e) => /customerKey=/.test(e.url))).toEqual([false, false])
      await context.setOffline(false)
      await expect.poll(() => received().slice(1).map(carried)).toEqual([want, want])
      await sleep(SETTLE_MS)
      expect(received().slice(1).map(carried)).toEqual([want, want])
    })
  }

  test('offline before the fallback file ever loaded, down to anonymous: the outbox goes at once, unsent (nothing may stay stored)', async ({ page, open, received, context }) => {
    await open(shopBody, v3('granted'))
    await ready(page)
    await context.setOffline(true)
    await page.click('#t')
    await expect.poll(async () => (await outbox(page)).length).toBe(1)
    await page.evaluate(() => (window as any).esales.consent('anonymous'))
    expect(await stored(page)).toEqual({ cookie: '', local: [], session: [], mirror: null })
    await context.setOffline(false)
    await page.evaluate(() => (window as any).esales.click('AFTER'))
    await expect.poll(() => received().map((n) => `${n.ticket} ${carried(n)}`)).toEqual(['AFTER click ANONYMOUS -- accepted'])
  })

  test('offline before the fallback file ever loaded, down to unpersonalized: the next page strips the outbox to its level before it sends', async ({ page, open, received, context, shop, html }) => {
    const url = shop.page(html(shopBody, v3('granted')))
    await page.goto(url)
    await ready(page)
    await context.setOffline(true)
    await page.click('#t')
    await expect.poll(async () => (await outbox(page)).length).toBe(1)
    await page.evaluate(() => (window as any).esales.consent('unpersonalized'))
    await context.setOffline(false)
    // The shop renders the level the shopper chose from now on.
    await page.goto(shop.page(html(shopBody, v3('unpersonalized'))))
    await expect.poll(() => received({ type: 'click' }).map(carried)).toEqual(['click UNPERSONALIZED -S accepted'])
    expect(await outbox(page)).toEqual([])
  })

  test('with the beacon refused and ky waiting for a retry (503, Retry-After): down to anonymous stops the retry, and the click arrives without keys', async ({ page, open, received, cluster, market }) => {
    await page.addInitScript(REFUSING_BEACON)
    await open(shopBody, v3('granted'))
    await ready(page)
    cluster.addFault({ kind: '503', count: 1, retryAfter: 3, market })
    await page.click('#t')
    await expect.poll(() => received().map((n) => n.verdict)).toEqual(['fault'])
    await page.evaluate(() => (window as any).esales.consent('anonymous'))
    const clicks = () => received({ verdict: 'accepted', type: 'click' }).map(carried)
    await expect.poll(clicks).toEqual(['click ANONYMOUS -- accepted'])
    // Past the Retry-After: the stopped retry never went with the keys.
    await sleep(3500)
    expect(clicks()).toEqual(['click ANONYMOUS -- accepted'])
    expect(await stored(page)).toEqual({ cookie: '', local: [], session: [], mirror: null })
  })

  test('declining while ky waits for a retry (503, Retry-After) stops the retry: nothing more arrives', async ({ page, open, received, cluster, market }) => {
    await page.addInitScript(REFUSING_BEACON)
    await open(shopBody, v3('granted'))
    await ready(page)
    cluster.addFault({ kind: '503', count: 1, retryAfter: 2, market })
    await page.click('#t')
    await expect.poll(() => received().map((n) => n.verdict)).toEqual(['fault'])
    await page.evaluate(() => (window as any).esales.consent('denied'))
    // Past the Retry-After: the retry never went.
    await sleep(3000)
    expect(received().map((n) => n.verdict)).toEqual(['fault'])
    expect(await stored(page)).toEqual({ cookie: '', local: [], session: [], mirror: null })
  })

  for (const [answer, want] of [['204', ['click PERSONALIZED CS accepted']], ['503', ['click PERSONALIZED CS fault', 'click UNPERSONALIZED -S accepted']]] as const) {
    test(`a request on the wire when the level goes down (answered ${answer}, slowly): ${answer == '204' ? 'it counts once, with no stripped copy' : 'its retry goes stripped, once'}`, async ({ page, open, received, cluster, market }) => {
      await page.addInitScript(REFUSING_BEACON)
      await open(shopBody, v3('granted'))
      await ready(page)
      cluster.addFault(answer == '204' ? { kind: 'delay', ms: 1500, count: 1, market } : { kind: '503', ms: 1500, count: 1, market })
      await page.click('#t')
      // The request is on the wire (the cluster took the fault switch and holds it): the shopper lowers consent.
      await expect.poll(async () => (await (await fetch(`${cluster.url}/faults`)).json()).length, { intervals: [50] }).toBe(0)
      await page.evaluate(() => (window as any).esales.consent('unpersonalized'))
      await expect.poll(() => received().map(carried)).toEqual(want)
      await sleep(2000)
      expect(received().map(carried)).toEqual(want)
    })
  }

  test('down and back up on a page that has the fallback file: a later click offline waits in localStorage and goes with both keys', async ({ page, open, received, context }) => {
    await open(shopBody, v3('granted'))
    await ready(page)
    await page.evaluate(() => (window as any).esales.addFavorite('P0'))
    await expect.poll(() => received().length).toBe(1)
    await page.evaluate(() => { const e = (window as any).esales; e.consent('anonymous'); e.consent('granted') })
    await context.setOffline(true)
    await page.click('#t')
    // Kept where it outlives the page: in localStorage again.
    await expect.poll(async () => (await page.evaluate(() => Object.keys(localStorage))).some((k) => k.startsWith('esales.outbox'))).toBe(true)
    await context.setOffline(false)
    await expect.poll(() => received().slice(1).map(carried)).toEqual(['click PERSONALIZED CS accepted'])
  })

  test('up from anonymous to granted: keys are made then, a click that waited keeps its level, later clicks carry both keys', async ({ page, open, received }) => {
    await open(shopBody, v3('anonymous'))
    await ready(page)
    await page.evaluate(() => { const e = (window as any).esales; e.click('BEFORE'); e.consent('granted') })
    await page.click('#t')
    await expect.poll(() => received().map((n) => `${n.ticket} ${carried(n)}`)).toEqual(['BEFORE click ANONYMOUS -- accepted', 'T click PERSONALIZED CS accepted'])
    const s = await stored(page)
    expect(s.cookie).toContain(`apptus.customerKey=${received()[1]!.customerKey}`)
  })

  test('up from unpersonalized to granted adopts the session, adds a customer key; down again removes it', async ({ page, open, received }) => {
    await open(shopBody, v3('unpersonalized'))
    await ready(page)
    await page.click('#t')
    await expect.poll(() => received().length).toBe(1)
    await page.evaluate(() => (window as any).esales.consent(true))
    await page.evaluate(() => (window as any).esales.click('GRANTED'))
    await expect.poll(() => received().length).toBe(2)
    const [a, b] = received()
    expect([carried(a!), carried(b!)]).toEqual(['click UNPERSONALIZED -S accepted', 'click PERSONALIZED CS accepted'])
    expect(b!.sessionKey).toBe(a!.sessionKey)
    await page.evaluate(() => (window as any).esales.consent('unpersonalized'))
    expect((await stored(page)).cookie).toBe(`apptus.sessionKey=${a!.sessionKey}`)
  })
})

test('two tabs at different levels do not leak keys to each other: the unpersonalized tab never sends a customer key, also of the granted tab\'s outbox; the anonymous tab reads and writes nothing', async ({ context, shop, html, received, cluster, market }) => {
  const tab = async (consent: string, init?: () => void) => {
    const p = await context.newPage()
    if (init) await p.addInitScript(init)
    await p.goto(shop.page(html(shopBody, v3(consent))))
    await ready(p)
    return p
  }
  // The granted tab's click waits in the outbox: the beacon refused, and the cluster in trouble for
  // all three of the page's tries (ky's), after which the entry waits for the next page.
  cluster.addFault({ kind: '503', count: 3, market })
  const granted = await tab('granted', REFUSING_BEACON)
  await granted.click('#t')
  await expect.poll(() => received({ verdict: 'fault' }).length).toBe(3)
  await expect.poll(async () => (await outbox(granted)).map((e) => !e.claim && e.tries)).toEqual([3])
  const { customerKey } = await granted.evaluate(() => (window as any).esales.keys())
  expect(customerKey).toMatch(UUID)
  // The unpersonalized tab's first read of the outbox strips the customer key from it, then sends
  // it; the cluster holds that request for a while, so that the stripped entry can be seen.
  cluster.addFault({ kind: 'delay', ms: 2000, count: 1, market })
  const unpersonalized = await tab('unpersonalized')
  await expect.poll(async () => (await outbox(unpersonalized)).map((e) => e.url.includes(customerKey)), { intervals: [50] }).toEqual([false])
  await unpersonalized.click('#u')
  await expect.poll(() => received({ verdict: 'accepted' }).map((n) => n.ticket).sort()).toEqual(['T', 'U'])
  await sleep(SETTLE_MS)
  // The granted tab's click arrived once (by either tab: the granted one may still send its own
  // with both keys), and nothing sent without the customer key's level had it.
  const accepted = received({ verdict: 'accepted' })
  expect(accepted.map((n) => n.ticket).sort()).toEqual(['T', 'U'])
  expect(accepted.find((n) => n.ticket == 'U')!.userContext).toBe('UNPERSONALIZED')
  expect(received().filter((n) => n.userContext != 'PERSONALIZED' && n.url.includes(customerKey))).toEqual([])
  // An anonymous tab changes nothing of what the others stored, and sends no key.
  const before = await stored(granted)
  const anonymous = await tab('anonymous')
  await anonymous.click('#t')
  await expect.poll(() => received({ verdict: 'accepted' }).filter((n) => n.userContext == 'ANONYMOUS').length).toBe(1)
  expect(await stored(granted)).toEqual(before)
})

test.describe('API v2 has no userContext', () => {
  test('data-consent="unpersonalized" or "anonymous" on v2: one esales: error, nothing sent; a later consent("granted") tracks', async ({ page, open, received, consoleLines }) => {
    for (const consent of ['unpersonalized', 'anonymous']) {
      consoleLines.length = 0
      await open(shopBody, { attrs: { 'data-consent': consent } })
      await ready(page)
      await page.click('#t')
      const line = await consoleLine(consoleLines, 'refused')
      expect(line).toContain(`consent("${consent}") refused: API v2 has no userContext`)
      expect(consoleLines.filter((l) => l.startsWith('error:'))).toHaveLength(1)
    }
    await sleep(SETTLE_MS)
    expect(received()).toEqual([])
    await page.evaluate(() => (window as any).esales.consent('granted'))
    await page.click('#u')
    await expect.poll(() => received().map(carried)).toEqual(['click PERSONALIZED CS accepted'])
  })

  test('consent("anonymous") at run time on v2: one esales: error; nothing is sent from then on, and what was stored goes', async ({ page, open, received, consoleLines }) => {
    await open(shopBody)
    await ready(page)
    await page.click('#t')
    await expect.poll(() => received().length).toBe(1)
    await page.evaluate(() => { const e = (window as any).esales; e.click('WAITING'); e.consent('anonymous') })
    await page.click('#t')
    const line = await consoleLine(consoleLines, 'consent(')
    expect(line).toMatch(/^error: esales: consent\("anonymous"\) refused: /)
    await sleep(SETTLE_MS)
    expect(received().map((n) => n.ticket)).toEqual(['T'])
    expect(await stored(page)).toEqual({ cookie: '', local: [], session: [], mirror: null })
  })
})

test.describe('what a review of real shops found', () => {
  test('a consent manager that says "pending" while it loads, then "granted": the keys stay, page after page', async ({ page, shop, html, received }) => {
    const url = shop.page(html(shopBody + '<script>esales("consent", "pending"); setTimeout(() => esales("consent", "granted"), 50)</script>', v3()))
    const keys = []
    for (let i = 0; i < 3; i++) {
      await page.goto(url)
      await ready(page)
      await page.waitForTimeout(100)
      await page.click('#t')
      await expect.poll(() => received().length).toBe(i + 1)
      keys.push(received()[i]!.customerKey)
    }
    expect(new Set(keys).size).toBe(1)
  })

  test('a tab at unpersonalized beside a tab at granted with a signed-in shopper: the granted tab keeps its customer key click after click', async ({ context, shop, html, received }) => {
    const open = async (consent: string) => {
      const p = await context.newPage()
      await p.goto(shop.page(html(shopBody, v3(consent))))
      await ready(p)
      return p
    }
    const unpersonalized = await open('unpersonalized')
    await unpersonalized.click('#t')
    const granted = await open('granted')
    await granted.evaluate(() => (window as any).esales.setCustomerKey('user-7'))
    for (let i = 0; i < 3; i++) {
      await granted.click('#t')
      await unpersonalized.click('#u')
    }
    await expect.poll(() => received().length).toBe(7)
    expect(received().filter((n) => n.userContext == 'PERSONALIZED').map((n) => n.customerKey)).toEqual(['user-7', 'user-7', 'user-7'])
  })

  test('setCustomerKey below granted waits for it: no customer key meanwhile, and the signed-in key at granted', async ({ page, open, received }) => {
    await open(shopBody, v3('unpersonalized'))
    await ready(page)
    await page.evaluate(() => (window as any).esales.setCustomerKey('user-9'))
    await page.click('#t')
    await expect.poll(() => received().map(carried)).toEqual(['click UNPERSONALIZED -S accepted'])
    await page.evaluate(() => (window as any).esales.consent('granted'))
    await page.click('#u')
    await expect.poll(() => received().length).toBe(2)
    expect(received()[1]!.customerKey).toBe('user-9')
  })

  test('with storage blocked, granted to unpersonalized keeps the session key; end() at anonymous sends nothing', async ({ page, open, received }) => {
    await page.addInitScript(() => { Object.defineProperty(window, 'localStorage', { get() { throw new DOMException('denied', 'SecurityError') } }) })
    await open(shopBody, v3('granted'))
    await ready(page)
    await page.click('#t')
    await expect.poll(() => received().length).toBe(1)
    await page.evaluate(() => (window as any).esales.consent('unpersonalized'))
    await page.click('#u')
    await expect.poll(() => received().length).toBe(2)
    expect(received()[1]!.sessionKey).toBe(received()[0]!.sessionKey)
    await page.evaluate(() => { const e = (window as any).esales; e.consent('anonymous'); e.end(); e.click('SENTINEL') })
    await expect.poll(() => received().map((n) => n.ticket ?? n.type)).toContain('SENTINEL')
    await sleep(SETTLE_MS)
    expect(received().map((n) => n.type)).not.toContain('end')
  })

  test('declining in one tab stops a tab still at granted: it writes the keys back no more, and sends nothing', async ({ context, shop, html, received }) => {
    const open = async () => {
      const p = await context.newPage()
      await p.goto(shop.page(html(shopBody, v3('granted'))))
      await ready(p)
      return p
    }
    const a = await open()
    const b = await open()
    await b.click('#t')
    await expect.poll(() => received().length).toBe(1)
    await a.evaluate(() => (window as any).esales.consent('denied'))
    // The decline reaches the other tab through the storage event.
    await expect.poll(() => b.evaluate(() => document.cookie)).toBe('')
    await b.click('#u')
    await b.evaluate(() => (window as any).esales.click('API'))
    await sleep(SETTLE_MS)
    expect(received().length).toBe(1)
    expect(await b.evaluate(() => [document.cookie, localStorage.getItem('esales.keys')])).toEqual(['', null])
  })
})
