import { expect, ready, test } from './fixtures'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

const tiles = `
  <div class="tile" id="t1" data-esales-ticket="T1"><img alt="" width="40" height="40"><span id="t1-name">Shirt</span></div>
  <div class="tile" id="t2" data-esales-ticket="T2">Trousers</div>
  <div id="plain">no ticket</div>`

test('a click on a tile sends one click notification that meets the contract', async ({ open, page, received, cluster, market }) => {
  await open(tiles)
  await ready(page)
  await page.click('#t1')
  await expect.poll(() => received().length).toBe(1)
  const [n] = received()
  expect(n!.verdict).toBe('accepted')
  expect(n!.url.split('?')[0]).toBe('/api/v2/notifications/click')
  // A string beacon body: the Fetch standard types it text/plain;charset=UTF-8 (CORS-safelisted).
  expect(n!.contentType).toBe('text/plain;charset=UTF-8')
  expect(n!.body).toBe('{"ticket":"T1"}')
  expect(n!.market).toBe(market)
  expect(n!.customerKey).toMatch(UUID)
  expect(n!.sessionKey).toMatch(UUID)
  expect(n!.customerKey).not.toBe(n!.sessionKey)
  expect(new URL(n!.url, 'http://x').search).toBe(`?customerKey=${n!.customerKey}&market=${market}&sessionKey=${n!.sessionKey}`)
  expect(cluster.preflights).toBe(0)
})

test('a click on a child of a tile counts for the tile', async ({ open, page, received }) => {
  await open(tiles)
  await ready(page)
  await page.click('#t1-name')
  await expect.poll(() => received().map((n) => n.ticket)).toEqual(['T1'])
})

test('a tile added after load counts, with no per-element listener', async ({ open, page, received }) => {
  await open('<div id="list"></div>')
  await ready(page)
  await page.evaluate(() => {
    const tile = document.createElement('article')
    tile.id = 'late'
    tile.dataset.esalesTicket = 'LATE'
    tile.textContent = 'rendered by a framework'
    document.getElementById('list')!.append(tile)
  })
  await page.click('#late')
  await expect.poll(() => received().map((n) => n.ticket)).toEqual(['LATE'])
})

test('a tile inside an open shadow root counts', async ({ open, page, received }) => {
  await open(`<product-card id="host"></product-card>
    <script>
      customElements.define('product-card', class extends HTMLElement {
        connectedCallback() {
          const root = this.attachShadow({ mode: 'open' })
          root.innerHTML = '<a data-esales-ticket="SHADOW" href="#"><span id="inner">in the shadow</span></a>'
        }
      })
    </script>`)
  await ready(page)
  await page.locator('product-card').locator('#inner').click()
  await expect.poll(() => received().map((n) => n.ticket)).toEqual(['SHADOW'])
})

test('a middle click on a link tile counts; one on a tile that opens nothing, a right click and clicks outside tiles do not', async ({ open, page, received }) => {
  await open(tiles + '<a id="link" href="#middle" data-esales-ticket="LINK">opens in a new tab</a>')
  await ready(page)
  await page.click('#t1', { button: 'right' })
  await page.click('#plain')
  await page.click('#t1', { button: 'middle' })
  await page.click('#link', { button: 'middle' })
  // The last click is the sentinel: once it is in, the earlier ones had their chance.
  await page.click('#t2')
  await expect.poll(() => received().map((n) => n.ticket).sort()).toEqual(['LINK', 'T2'])
})

test('ctrl-, shift- and meta-clicks, and Enter on a link, each count once', async ({ open, page, received }) => {
  await open(`<a id="link" href="#here" data-esales-ticket="LINK">a product</a>
    <div id="t2" data-esales-ticket="T2">Trousers</div>`)
  await ready(page)
  await page.click('#link', { modifiers: ['Control'] })
  await page.click('#link', { modifiers: ['Shift'] })
  await page.click('#link', { modifiers: ['Meta'] })
  await page.focus('#link')
  await page.keyboard.press('Enter')
  await page.click('#t2')
  await expect.poll(() => received().map((n) => n.ticket).sort()).toEqual(['LINK', 'LINK', 'LINK', 'LINK', 'T2'])
})

test('clicks that the page stops or prevents still count once, and the snippet never prevents them', async ({ open, page, received }) => {
  await open(`<a id="spa" href="/router-route" data-esales-ticket="SPA">client-side route</a>
    <div id="stopped" data-esales-ticket="STOPPED"><button id="btn">quick view</button></div>
    <script>
      window.prevented = []
      document.getElementById('spa').addEventListener('click', (e) => e.preventDefault())
      document.getElementById('btn').addEventListener('click', (e) => e.stopPropagation())
      // Runs after every other listener: records whether anybody but the page prevented the default.
      window.addEventListener('click', (e) => window.prevented.push(e.target.id + ':' + e.defaultPrevented))
    </script>`)
  await ready(page)
  await page.click('#spa')
  await page.click('#btn')
  await expect.poll(() => received().map((n) => n.ticket).sort()).toEqual(['SPA', 'STOPPED'])
  expect(page.url()).not.toContain('router-route')
  // #spa was prevented by the page itself; #btn's click never reached window (stopped), so it is not listed.
  expect(await page.evaluate(() => (window as unknown as { prevented: string[] }).prevented)).toEqual(['spa:true'])
})

test('a tile without a usable ticket sends nothing', async ({ open, page, received }) => {
  await open(`<div id="empty" data-esales-ticket="">empty</div>
    <div id="blank" data-esales-ticket="   ">blank</div>
    <div data-esales-ticket="OUTER"><div id="inner-empty" data-esales-ticket="">nearest wins</div></div>
    <div id="ok" data-esales-ticket="OK">ok</div>`)
  await ready(page)
  await page.click('#empty')
  await page.click('#blank')
  await page.click('#inner-empty')
  await page.click('#ok')
  await expect.poll(() => received().map((n) => n.ticket)).toEqual(['OK'])
})

test('a link tile that navigates to another page of the shop: the notification arrives', async ({ open, page, received, shop }) => {
  await open(`<a id="go" href="${shop.url}/landing" data-esales-ticket="NAV-SAME">to the product page</a>`)
  await ready(page)
  await Promise.all([page.waitForURL('**/landing'), page.click('#go')])
  await expect(page.locator('#landed')).toBeVisible()
  await expect.poll(() => received().map((n) => [n.ticket, n.verdict])).toEqual([['NAV-SAME', 'accepted']])
})

test('a link tile that navigates to another origin: the notification arrives', async ({ open, page, received, shop }) => {
  await open(`<a id="go" href="${shop.otherOrigin}/landing" data-esales-ticket="NAV-OTHER">to a partner</a>`)
  await ready(page)
  await Promise.all([page.waitForURL(`${shop.otherOrigin}/landing`), page.click('#go')])
  await expect.poll(() => received().map((n) => [n.ticket, n.verdict])).toEqual([['NAV-OTHER', 'accepted']])
})

test('a link tile that opens a new tab: the notification arrives once', async ({ open, page, received, shop, context }) => {
  await open(`<a id="go" target="_blank" href="${shop.url}/landing" data-esales-ticket="NEW-TAB">new tab</a>`)
  await ready(page)
  const [tab] = await Promise.all([context.waitForEvent('page'), page.click('#go')])
  await tab.waitForLoadState()
  await expect.poll(() => received().map((n) => n.ticket)).toEqual(['NEW-TAB'])
})

test('tickets with quotes, control characters, ampersands, HTML, unicode and emoji arrive exact', async ({ open, page, received }) => {
  const tickets = ['a"b\'c', 'tab\there\nnew line \u0001\u001f\u007f control', 'x&y=z&market=EVIL', '<b>bold</b>', 'ÅÄÖ ü ñ 漢字', '🛒👟 emoji', 'Oy9mYXNoaW9uL0RFU0tUT1AvQ09OVEVOVF9TRUFSQ0hfUEFHRS9QUklNQVJZX0xJU1Q7Iztjb250ZW50X2tleTtkMDAxOyM7IzsjOyM7']
  await open('<div id="tiles"></div>')
  await ready(page)
  await page.evaluate((list) => {
    list.forEach((t, i) => {
      const el = document.createElement('div')
      el.id = `q${i}`
      el.setAttribute('data-esales-ticket', t)
      el.textContent = `tile ${i}`
      document.getElementById('tiles')!.append(el)
    })
  }, tickets)
  for (let i = 0; i < tickets.length; i++) {
    await page.click(`#q${i}`)
    // One at a time: beacons are not ordered among themselves.
    await expect.poll(() => received().length).toBe(i + 1)
  }
  const got = received()
  expect(got.map((n) => n.verdict)).toEqual(tickets.map(() => 'accepted'))
  expect(got.map((n) => n.ticket)).toEqual(tickets)
  // Byte for byte what JSON.stringify (and so the official client) writes, but for control
  // characters: \u000a where JSON.stringify writes \n, the same JSON.
  const printable = (t: string) => !/[\0-\x1f]/.test(t)
  expect(got.filter((n) => printable(n.ticket!)).map((n) => n.body)).toEqual(tickets.filter(printable).map((ticket) => JSON.stringify({ ticket })))
  expect(got.map((n) => n.body).filter((b) => !printable(JSON.parse(b).ticket))).toEqual(['{"ticket":"tab\\u0009here\\u000anew line \\u0001\\u001f\u007f control"}'])
})
