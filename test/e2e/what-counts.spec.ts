// What counts is what a shopper did, with the widgets shops use: carousels that a shopper drags
// (Swiper, Embla), clicks that page code makes with and without a shopper behind them, middle
// clicks, one click that presses several buttons, suggestions chosen by keyboard in ARIA
// comboboxes (GitHub's combobox-nav, and one built as the WAI-ARIA pattern describes), and the
// sponsored flag as React 19 and Vue 3 render it. Real input through Playwright; every assertion
// is on what the local cluster received.
import type { Page } from '@playwright/test'
import { consoleLine, exactly, expect, ready, SETTLE_MS, sleep, test } from './fixtures'

const clicked = (ticket: string) => `click ${JSON.stringify({ ticket })} accepted`
const carted = (ticket: string) => `add-to-cart ${JSON.stringify({ ticket })} accepted`

/** Drags with the mouse from the centre of `selector` by dx px, in small steps, as a shopper does. */
async function drag(page: Page, selector: string, dx: number) {
  const box = (await page.locator(selector).boundingBox())!
  const x = box.x + box.width / 2
  const y = box.y + box.height / 2
  await page.mouse.move(x, y)
  await page.mouse.down()
  await page.mouse.move(x + dx, y, { steps: Math.max(2, Math.round(Math.abs(dx) / 4)) })
  await page.mouse.up()
}

const slides = (n = 4) => Array.from({ length: n }, (_, i) =>
  `<a class="slide swiper-slide" id="s${i}" href="#product-${i}" data-esales-ticket="REC-${i}" style="display:block;height:120px;background:#eee">recommended ${i}</a>`).join('')

test.describe('a drag is not a click', () => {
  test('Swiper: dragging a recommendation carousel with the mouse sends nothing; a plain click on a slide sends its click', async ({ page, open, received, shop }) => {
    await open(`<link rel="stylesheet" href="${shop.url}/node_modules/swiper/swiper-bundle.min.css">
      <div class="swiper" id="carousel" style="width:600px"><div class="swiper-wrapper">${slides()}</div></div>
      <script src="${shop.url}/widgets/swiper.js"></script>
      <script>window.swiper = new Swiper('#carousel', { slidesPerView: 2 })</script>`)
    await ready(page)
    await drag(page, '#s1', -220)
    // Swiper moved on: the drag was real, and Swiper cancelled the click that ended it.
    await expect.poll(() => page.evaluate(() => (window as any).swiper.activeIndex)).toBeGreaterThan(0)
    expect(await page.evaluate(() => location.hash)).toBe('')
    await drag(page, '#s2', 60)
    await page.click('#s2')
    await expect.poll(() => page.evaluate(() => location.hash)).toBe('#product-2')
    await exactly(received, [clicked('REC-2')])
  })

  test('Embla: a drag sends nothing, a drag within a few pixels still lets the click count, and a plain click counts', async ({ page, open, received, shop }) => {
    await open(`<div id="embla" style="overflow:hidden;width:600px"><div style="display:flex">
      ${slides().replace(/style="display:block;/g, 'style="flex:0 0 50%;display:block;')}</div></div>
      <script src="${shop.url}/widgets/embla.js"></script>
      <script>window.embla = EmblaCarousel(document.getElementById('embla'))</script>`)
    await ready(page)
    await drag(page, '#s1', -250)
    await expect.poll(() => page.evaluate(() => (window as any).embla.selectedScrollSnap())).toBeGreaterThan(0)
    expect(await page.evaluate(() => location.hash)).toBe('')
    await page.evaluate(() => { (window as any).embla.scrollTo(0, true) })
    // A shaky hand: 4 px is a click for Embla (its threshold is 10 px) and for the snippet.
    await drag(page, '#s0', 4)
    await expect.poll(() => page.evaluate(() => location.hash)).toBe('#product-0')
    await page.click('#s1')
    await expect.poll(() => page.evaluate(() => location.hash)).toBe('#product-1')
    await exactly(received, [clicked('REC-0'), clicked('REC-1')])
  })

  test('a tap on a touch screen counts', async ({ browser, shop, html, received }) => {
    const context = await browser.newContext({ hasTouch: true })
    const page = await context.newPage()
    await page.goto(shop.page(html('<div id="t" data-esales-ticket="TAPPED" style="height:80px">tile</div>')))
    await ready(page)
    await page.tap('#t')
    await exactly(received, [clicked('TAPPED')])
    await context.close()
  })
})

test.describe("a click counts when a shopper made it", () => {
  test("a hero banner whose timer clicks its dots counts nothing; the shopper's own click on it counts once, while the timer goes on", async ({ page, open, received }) => {
    await open(`<div id="hero" data-esales-ticket="HERO" style="height:100px">
        <button class="dot" id="d0">1</button><button class="dot" id="d1">2</button><span id="slogan">Sale</span></div>
      <div id="t" data-esales-ticket="TILE">tile</div>
      <script>
        window.ticks = 0
        setInterval(() => { document.getElementById('d' + (ticks++ % 2)).click() }, 100)
      </script>`)
    await ready(page)
    await expect.poll(() => page.evaluate(() => (window as any).ticks)).toBeGreaterThan(10)
    await page.click('#slogan')
    const ticks = await page.evaluate(() => (window as any).ticks)
    // The timer keeps clicking in the seconds after the shopper's click.
    await expect.poll(() => page.evaluate(() => (window as any).ticks), { timeout: 5000 }).toBeGreaterThan(ticks + 15)
    await exactly(received, [clicked('HERO')])
  })

  test('start-up code that selects each tile\'s default swatch with .click() counts nothing; a MutationObserver that clicks neither', async ({ page, open, received }) => {
    await open(`<div id="list">${[1, 2, 3].map((i) => `<div data-esales-ticket="P${i}"><button class="swatch">red</button></div>`).join('')}</div>
      <script>
        addEventListener('load', () => setTimeout(() => { for (const b of document.querySelectorAll('.swatch')) b.click(); window.started = true }, 300))
        new MutationObserver(() => document.querySelector('#late .swatch')?.click()).observe(document.body, { childList: true, subtree: true })
      </script>`)
    await ready(page)
    await page.waitForFunction(() => (window as any).started)
    await page.evaluate(() => document.getElementById('list')!.insertAdjacentHTML('beforeend', '<div id="late" data-esales-ticket="LATE"><button class="swatch">blue</button></div>'))
    await page.click('#late .swatch')
    await exactly(received, [clicked('LATE')])
  })

  test("a shop's handler that calls link.click() synchronously counts; one that clicks after a timer does not", async ({ page, open, received }) => {
    await open(`<button id="now">open now</button><button id="later">open later</button>
      <a id="link" href="#p1" data-esales-ticket="LINK">product</a>
      <script>
        document.getElementById('now').addEventListener('click', () => document.getElementById('link').click())
        document.getElementById('later').addEventListener('click', () => setTimeout(() => document.getElementById('link').click(), 50))
      </script>`)
    await ready(page)
    await page.click('#later')
    await expect.poll(() => page.evaluate(() => location.hash)).toBe('#p1')
    await page.evaluate(() => { location.hash = '' })
    await page.click('#now')
    await expect.poll(() => page.evaluate(() => location.hash)).toBe('#p1')
    await exactly(received, [clicked('LINK')])
  })

  test('the API counts what the shop says, with or without a shopper', async ({ page, open, received }) => {
    await open('<div id="t" data-esales-ticket="T">tile</div>')
    await ready(page)
    await page.evaluate(() => setTimeout(() => (window as any).esales.click('FROM-CODE'), 10))
    await exactly(received, [clicked('FROM-CODE')])
  })
})

test.describe('a middle click counts only where it opens something', () => {
  test('on an add-to-cart button, a favorite toggle or a tile\'s plain text: nothing; on a link tile: its click, and a new tab', async ({ page, open, received, context, shop }) => {
    await open(`<div data-esales-ticket="TILE"><span id="text">Linen shirt</span>
        <button id="cart" data-esales-add-to-cart="CART">Add to cart</button>
        <button id="fav" aria-pressed="false" data-esales-favorite="P1">♥</button></div>
      <a id="link" href="${shop.url}/landing" data-esales-ticket="LINK">Linen shirt</a>`)
    await ready(page)
    for (const id of ['#text', '#cart', '#fav']) await page.click(id, { button: 'middle' })
    const [tab] = await Promise.all([context.waitForEvent('page'), page.click('#link', { button: 'middle' })])
    await tab.waitForLoadState()
    await exactly(received, [clicked('LINK')])
  })

  test('Ctrl- and Shift-clicks on links keep counting', async ({ page, open, received, context, shop }) => {
    await open(`<a id="link" href="${shop.url}/landing" data-esales-ticket="LINK">Linen shirt</a>`)
    await ready(page)
    for (const modifier of ['Control', 'Shift'] as const) {
      const [tab] = await Promise.all([context.waitForEvent('page'), page.click('#link', { modifiers: [modifier] })])
      await tab.close()
    }
    await exactly(received, [clicked('LINK'), clicked('LINK')])
  })
})

test('one click, several actions: a "buy the whole look" button whose handler presses three add-to-cart buttons sends all three', async ({ page, open, received }) => {
  await open(`<section data-esales-ticket="LOOK"><button id="look">Buy the whole look</button></section>
    ${['A', 'B', 'C'].map((p) => `<div data-esales-ticket="T-${p}"><button class="cart" data-esales-add-to-cart="CART-${p}">Add</button></div>`).join('')}
    <script>
      window.cart = []
      for (const b of document.querySelectorAll('.cart')) b.addEventListener('click', () => cart.push(b.dataset.esalesAddToCart))
      document.getElementById('look').addEventListener('click', () => { for (const b of document.querySelectorAll('.cart')) b.click() })
    </script>`)
  await ready(page)
  await page.click('#look')
  expect(await page.evaluate(() => (window as any).cart)).toEqual(['CART-A', 'CART-B', 'CART-C'])
  await expect.poll(() => received().length).toBe(4)
  await sleep(SETTLE_MS)
  expect(received().map((n) => `${n.type} ${n.body} ${n.verdict}`).sort()).toEqual([clicked('LOOK'), carted('CART-A'), carted('CART-B'), carted('CART-C')].sort())
})

/** The WAI-ARIA Authoring Practices' combobox with a list popup: focus stays in the input, the arrow keys move aria-activedescendant, Enter picks. */
const apgCombobox = (onEnter: string) => `
  <label for="q">Search</label>
  <input id="q" role="combobox" aria-autocomplete="list" aria-expanded="true" aria-controls="list" autocomplete="off">
  <ul id="list" role="listbox">
    <li id="o0" role="option" data-esales-ticket="SUG-0" data-href="#shirts">shirts</li>
    <li id="o1" role="option"><span data-esales-ticket="SUG-1" data-href="#shorts">shorts</span></li>
    <li id="o2" role="option" data-href="#socks">socks (a phrase suggestion: no ticket)</li>
  </ul>
  <div data-esales-ticket="SUG-3"><div id="o3" role="option" data-href="#shoes">shoes, in a ticketed item</div></div>
  <script>
    const input = document.getElementById('q')
    const options = [...document.querySelectorAll('[role=option]')]
    let active = -1
    input.addEventListener('keydown', (e) => {
      if (e.key == 'ArrowDown' || e.key == 'ArrowUp') {
        active = (active + (e.key == 'ArrowDown' ? 1 : options.length - 1)) % options.length
        input.setAttribute('aria-activedescendant', options[active].id)
        e.preventDefault()
      } else if (e.key == 'Escape') {
        active = -1
        input.removeAttribute('aria-activedescendant')
      } else if (e.key == 'Enter' && active >= 0) {
        const option = options[active]
        const href = (option.querySelector('[data-href]') || option).dataset.href
        ${onEnter}
      }
    })
  </script>`

test.describe('a suggestion chosen by keyboard counts', () => {
  test('WAI-ARIA pattern: arrow keys and Enter count the active option\'s click once: a ticketed option, one that holds a ticketed element, one inside a ticketed element; a phrase without a ticket and Enter with no active option count nothing', async ({ page, open, received }) => {
    await open(apgCombobox('window.picked = (window.picked || []).concat(href)'))
    await ready(page)
    await page.focus('#q')
    await page.keyboard.type('sh')
    // Enter with no active option.
    await page.keyboard.press('Enter')
    await page.keyboard.press('ArrowDown')
    await page.keyboard.press('Enter')
    await page.keyboard.press('ArrowDown')
    await page.keyboard.press('Enter')
    await page.keyboard.press('ArrowDown')
    await page.keyboard.press('Enter')
    await page.keyboard.press('ArrowDown')
    await page.keyboard.press('Enter')
    expect(await page.evaluate(() => (window as any).picked)).toEqual(['#shirts', '#shorts', '#socks', '#shoes'])
    await exactly(received, [clicked('SUG-0'), clicked('SUG-1'), clicked('SUG-3')])
  })

  test('a widget that navigates in its keydown handler: the suggestion\'s click arrives, and the browser lands', async ({ page, open, received, shop }) => {
    await open(apgCombobox(`location.href = '${shop.url}/landing?q=' + href.slice(1)`))
    await ready(page)
    await page.focus('#q')
    await page.keyboard.press('ArrowDown')
    await Promise.all([page.waitForURL('**/landing?q=shirts'), page.keyboard.press('Enter')])
    await exactly(received, [clicked('SUG-0')])
  })

  test('a widget that then clicks the option itself (GitHub\'s combobox-nav) is still one action', async ({ page, open, received, shop }) => {
    await open(`<input id="q" aria-controls="list" aria-expanded="true">
      <ul id="list" role="listbox">
        <li id="a" role="option" data-esales-ticket="SUG-A">jackets</li>
        <li id="b" role="option" data-esales-ticket="SUG-B">jeans</li>
      </ul>
      <script src="${shop.url}/widgets/combobox.js"></script>
      <script>
        window.commits = []
        const combobox = new Combobox(document.getElementById('q'), document.getElementById('list'))
        combobox.start()
        document.getElementById('list').addEventListener('combobox-commit', (e) => commits.push(e.target.id))
      </script>`)
    await ready(page)
    await page.focus('#q')
    await page.keyboard.press('ArrowDown')
    await page.keyboard.press('ArrowDown')
    expect(await page.getAttribute('#q', 'aria-activedescendant')).toBe('b')
    await page.keyboard.press('Enter')
    // combobox-nav committed the option by clicking it.
    await expect.poll(() => page.evaluate(() => (window as any).commits)).toEqual(['b'])
    await exactly(received, [clicked('SUG-B')])
  })
})

/** Serves a page, and the script it loads, on www.shop.co.uk (a name under the public suffix co.uk, mapped to this machine). */
const onCoUk = (shop: { page: (html: string) => string }, page: string) =>
  shop.page(page.replaceAll('//localhost:', '//www.shop.co.uk:')).replace('//localhost:', '//www.shop.co.uk:')

test.describe('a cookie domain that does not hold is reported', () => {
  test('data-cookie-domain="co.uk" on www.shop.co.uk: one esales: error that names the attribute and the host; clicks carry the same keys from the mirror', async ({ page, shop, html, received, consoleLines, context }) => {
    const url = onCoUk(shop, html('<div id="t" data-esales-ticket="T">tile</div>', { attrs: { 'data-cookie-domain': 'co.uk' } }))
    await page.goto(url)
    await ready(page)
    const line = await consoleLine(consoleLines, 'data-cookie-domain')
    expect(line).toMatch(/^error: esales: data-cookie-domain="co\.uk" does not hold on www\.shop\.co\.uk: /)
    expect((await context.cookies(url)).filter((c) => c.name.startsWith('apptus.'))).toEqual([])
    await page.click('#t')
    await page.reload()
    await ready(page)
    await page.click('#t')
    await expect.poll(() => received().length).toBe(2)
    const [a, b] = received()
    expect([b!.customerKey, b!.sessionKey]).toEqual([a!.customerKey, a!.sessionKey])
    expect(consoleLines.filter((l) => l.startsWith('error:'))).toHaveLength(2)
  })

  test('data-cookie-domain="shop.co.uk" there holds: the cookies are written, and nothing is logged', async ({ page, shop, html, received, consoleLines, context }) => {
    const url = onCoUk(shop, html('<div id="t" data-esales-ticket="T">tile</div>', { attrs: { 'data-cookie-domain': 'shop.co.uk' } }))
    await page.goto(url)
    await ready(page)
    await page.click('#t')
    await expect.poll(() => received().length).toBe(1)
    const cookies = (await context.cookies(url)).filter((c) => c.name.startsWith('apptus.'))
    expect(cookies.map((c) => [c.name, c.domain]).sort()).toEqual([['apptus.customerKey', '.shop.co.uk'], ['apptus.sessionKey', '.shop.co.uk']])
    await sleep(SETTLE_MS)
    expect(consoleLines.filter((l) => l.startsWith('error:'))).toEqual([])
  })
})

test.describe('data-esales-ad="false" is not sponsored: the bindings of React 19 and Vue 3', () => {
  const items = [1, 2, 3, 4, 5, 6].map((i) => ({ ticket: `ITEM-${i}`, name: `item ${i}`, sponsored: i % 2 == 1 }))
  const sponsored = items.filter((i) => i.sponsored).map((i) => `${i.ticket} accepted`)
  const attrs = { 'data-api': 'v3' }

  test('React 19: data-esales-ad={item.sponsored} renders "false" on organic tiles; only the 3 sponsored ones send an impression', async ({ page, open, received, shop }) => {
    await open(`<div id="app"></div><script>window.ITEMS = ${JSON.stringify(items)}</script><script src="${shop.url}/widgets/react-ads.js"></script>`, { attrs })
    await ready(page)
    await expect.poll(() => page.locator('.tile').evaluateAll((els) => els.map((e) => e.getAttribute('data-esales-ad')))).toEqual(['true', 'false', 'true', 'false', 'true', 'false'])
    await expect.poll(() => received({ type: 'ad-impression' }).map((n) => `${n.ticket} ${n.verdict}`).sort()).toEqual(sponsored)
    await sleep(SETTLE_MS + 1000)
    expect(received({ type: 'ad-impression' })).toHaveLength(3)
  })

  test('Vue 3: :data-esales-ad="item.sponsored" renders "false" on organic tiles; only the 3 sponsored ones send an impression', async ({ page, open, received, shop }) => {
    await open(`<div id="app"><div class="tile" v-for="item in items" :key="item.ticket" :data-esales-ticket="item.ticket" :data-esales-ad="item.sponsored">{{ item.name }}</div></div>
      <script src="${shop.url}/node_modules/vue/dist/vue.global.prod.js"></script>
      <script>Vue.createApp({ data: () => ({ items: ${JSON.stringify(items)} }) }).mount('#app')</script>`, { attrs })
    await ready(page)
    await expect.poll(() => page.locator('.tile').evaluateAll((els) => els.map((e) => e.getAttribute('data-esales-ad')))).toEqual(['true', 'false', 'true', 'false', 'true', 'false'])
    await expect.poll(() => received({ type: 'ad-impression' }).map((n) => `${n.ticket} ${n.verdict}`).sort()).toEqual(sponsored)
    await sleep(SETTLE_MS + 1000)
    expect(received({ type: 'ad-impression' })).toHaveLength(3)
  })
})

test.describe('what a review of real shops found', () => {
  test('a "Show more" button whose new tiles select their default swatch from a MutationObserver, or from React-like effects during the click: nothing', async ({ page, open, received }) => {
    await open(`<button id="more">Show more</button><div id="list"></div><div id="t" data-esales-ticket="SENTINEL">tile</div>
      <script>
        new MutationObserver(() => { for (const b of document.querySelectorAll('#list .swatch:not(.picked)')) { b.classList.add('picked'); b.click() } })
          .observe(document.getElementById('list'), { childList: true })
        document.getElementById('more').addEventListener('click', () => {
          for (const i of [1, 2, 3]) document.getElementById('list').insertAdjacentHTML('beforeend', '<div data-esales-ticket="NEW-' + i + '"><button class="swatch">red</button></div>')
          // An effect that runs before the click's dispatch ends, as React 19 flushes a discrete event's.
          queueMicrotask(() => document.querySelector('#list .swatch').click())
        })
      </script>`)
    await ready(page)
    await page.click('#more')
    await page.click('#t')
    await exactly(received, [clicked('SENTINEL')])
  })

  test('"buy the whole look" whose add-to-cart handlers open a mini-cart drawer with checkbox.click(): all three add-to-carts', async ({ page, open, received }) => {
    await open(`<button id="look">Buy the whole look</button><input type="checkbox" id="drawer" hidden>
      ${['A', 'B', 'C'].map((p) => `<button class="cart" data-esales-add-to-cart="CART-${p}">Add</button>`).join('')}
      <script>
        for (const b of document.querySelectorAll('.cart')) b.addEventListener('click', () => { const d = document.getElementById('drawer'); d.checked || d.click() })
        document.getElementById('look').addEventListener('click', () => { for (const b of document.querySelectorAll('.cart')) b.click() })
      </script>`)
    await ready(page)
    await page.click('#look')
    await expect.poll(() => received().length).toBe(3)
    await sleep(SETTLE_MS)
    expect(received().map((n) => n.body).sort()).toEqual(['CART-A', 'CART-B', 'CART-C'].map((t) => JSON.stringify({ ticket: t })))
  })

  test('"buy the whole look" inside the look\'s own ticketed section: the look\'s click and each add-to-cart', async ({ page, open, received }) => {
    await open(`<section data-esales-ticket="LOOK"><button id="look">Buy the whole look</button>
      ${['A', 'B'].map((p) => `<button class="cart" data-esales-add-to-cart="CART-${p}">Add</button>`).join('')}</section>
      <script>document.getElementById('look').addEventListener('click', () => { for (const b of document.querySelectorAll('.cart')) b.click() })</script>`)
    await ready(page)
    await page.click('#look')
    await expect.poll(() => received().length).toBe(3)
    await sleep(SETTLE_MS)
    expect(received().map((n) => `${n.type} ${n.ticket}`).sort()).toEqual(['add-to-cart CART-A', 'add-to-cart CART-B', 'click LOOK'])
  })

  test('a short mouse drag (7 px) that Swiper takes for a drag, and cancels: nothing; a click with no move: counted', async ({ page, open, received, shop }) => {
    await open(`<link rel="stylesheet" href="${shop.url}/node_modules/swiper/swiper-bundle.min.css">
      <div class="swiper" id="carousel" style="width:600px"><div class="swiper-wrapper">${slides()}</div></div>
      <script src="${shop.url}/widgets/swiper.js"></script>
      <script>window.swiper = new Swiper('#carousel', { slidesPerView: 2 })</script>`)
    await ready(page)
    await drag(page, '#s1', 7)
    await drag(page, '#s1', -8)
    expect(await page.evaluate(() => location.hash)).toBe('')
    await page.click('#s0')
    await expect.poll(() => page.evaluate(() => location.hash)).toBe('#product-0')
    await exactly(received, [clicked('REC-0')])
  })

  test('a tap that moves 12 px on a Swiper slide, which the browser still clicks: counted', async ({ browser, shop, html, received }) => {
    const context = await browser.newContext({ hasTouch: true })
    const page = await context.newPage()
    await page.goto(shop.page(html(`<link rel="stylesheet" href="${shop.url}/node_modules/swiper/swiper-bundle.min.css">
      <div class="swiper" id="carousel" style="width:600px"><div class="swiper-wrapper">${slides()}</div></div>
      <script src="${shop.url}/widgets/swiper.js"></script>
      <script>window.swiper = new Swiper('#carousel', { slidesPerView: 2, threshold: 20 })</script>`)))
    await ready(page)
    const box = (await page.locator('#s0').boundingBox())!
    const [x, y] = [box.x + box.width / 2, box.y + box.height / 2]
    const cdp = await context.newCDPSession(page)
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [{ x, y }] })
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [{ x: x + 12, y }] })
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] })
    await expect.poll(() => page.evaluate(() => location.hash)).toBe('#product-0')
    await exactly(received, [clicked('REC-0')])
    await context.close()
  })

  test('taps on Swiper slides that are no links (Swiper cancels their pointerdown: no mousedown follows) count, also after a tap on something unmarked', async ({ browser, shop, html, received }) => {
    const context = await browser.newContext({ hasTouch: true, isMobile: true, viewport: { width: 400, height: 700 } })
    const page = await context.newPage()
    const divs = [0, 1, 2, 3].map((i) => `<div class="swiper-slide" id="d${i}" data-esales-ticket="REC-${i}" style="height:150px;background:#ddd">slide ${i}</div>`).join('')
    await page.goto(shop.page(html(`<link rel="stylesheet" href="${shop.url}/node_modules/swiper/swiper-bundle.min.css">
      <button id="filter" style="margin-left:250px;height:60px">Filter</button>
      <div class="swiper" id="carousel" style="width:320px"><div class="swiper-wrapper">${divs}</div></div>
      <script src="${shop.url}/widgets/swiper.js"></script>
      <script>window.swiper = new Swiper('#carousel', { slidesPerView: 2 })</script>`)))
    await ready(page)
    await page.tap('#filter')
    await page.tap('#d0')
    await page.tap('#d1')
    await exactly(received, [clicked('REC-0'), clicked('REC-1')])
    await context.close()
  })

  test('a double click on an add-to-cart button adds two, and sends two; on a tile, one click', async ({ page, open, received }) => {
    await open('<div id="t" data-esales-ticket="T">tile <button id="cart" data-esales-add-to-cart="CART">Add</button></div>')
    await ready(page)
    await page.dblclick('#cart')
    await expect.poll(() => received().length).toBe(2)
    await page.waitForTimeout(600)
    await page.dblclick('#t')
    await expect.poll(() => received().length).toBe(3)
    await sleep(SETTLE_MS)
    expect(received().map((n) => n.type)).toEqual(['add-to-cart', 'add-to-cart', 'click'])
  })

  test('a middle click on an add-to-cart button or a favorite toggle inside a link tile: it only opens the tab, and sends nothing', async ({ page, open, received, context, shop }) => {
    await open(`<a id="tile" href="${shop.url}/landing" data-esales-ticket="TILE">tile
      <button id="cart" data-esales-add-to-cart="CART">Add</button><button id="fav" aria-pressed="false" data-esales-favorite="P1">♥</button></a>
      <div id="t" data-esales-ticket="SENTINEL">sentinel</div>`)
    await ready(page)
    for (const id of ['#cart', '#fav']) {
      const [tab] = await Promise.all([context.waitForEvent('page'), page.click(id, { button: 'middle' })])
      await tab.close()
    }
    await page.click('#t')
    await exactly(received, [clicked('SENTINEL')])
  })

  test('a focused option (the focus moves onto the suggestion) picked with Enter counts; a stale aria-activedescendant on a closed list does not', async ({ page, open, received }) => {
    await open(`<input id="q" role="combobox" aria-activedescendant="o1" aria-expanded="false">
      <ul id="list" role="listbox" hidden><li id="o1" role="option" data-esales-ticket="STALE">old</li></ul>
      <input id="q2" role="combobox" aria-activedescendant="o2" aria-expanded="false">
      <ul role="listbox" style="opacity:0"><li id="o2" role="option" data-esales-ticket="FADED">faded out, still laid out</li></ul>
      <ul role="listbox"><li id="f1" role="option" tabindex="-1" data-esales-ticket="FOCUSED">focused</li></ul>
      <div id="t" data-esales-ticket="SENTINEL">sentinel</div>`)
    await ready(page)
    await page.focus('#q')
    await page.keyboard.press('Enter')
    // A list closed by opacity (or visibility): the combobox says it is collapsed.
    await page.focus('#q2')
    await page.keyboard.press('Enter')
    await page.focus('#f1')
    await page.keyboard.press('Enter')
    await page.click('#t')
    await exactly(received, [clicked('FOCUSED'), clicked('SENTINEL')])
  })

  test('another script\'s attribute on the tag (data-turbo-track) loads nothing to say so', async ({ page, open }) => {
    const chunks: string[] = []
    page.on('request', (r) => { if (r.url().includes('esales-fallback')) chunks.push(r.url()) })
    await open('<div id="t" data-esales-ticket="T">tile</div>', { attrs: { 'data-turbo-track': 'reload', 'data-nscript': 'afterInteractive' } })
    await ready(page)
    await page.click('#t')
    // Nothing the page did can still load it: a request to the shop comes after.
    await page.evaluate(() => fetch('/favicon.ico'))
    expect(chunks).toEqual([])
  })
})
