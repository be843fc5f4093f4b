import { consoleLine, expect, ready, REFUSING_BEACON, test } from './fixtures'

const esales = (page: import('@playwright/test').Page, script: string) => page.evaluate(script)

test('the API sends every notification with its body, and end() starts new keys', async ({ page, open, received }) => {
  await open('<p>api</p>')
  await ready(page)
  const before = await page.evaluate(() => (window as any).esales.keys())
  await esales(page, `esales.click('T-CLICK')`)
  await esales(page, `esales.addToCart('T-CART')`)
  await esales(page, `esales.addFavorite('P1')`)
  await esales(page, `esales.addFavorite({ productKey: 'P2' })`)
  await esales(page, `esales.removeFavorite({ variantKey: 'V3' })`)
  await esales(page, `esales.payment([{ variantKey: 'V1', quantity: 2, sellingPrice: 9.5 }, { variantKey: 'V2', quantity: 1, sellingPrice: 0 }])`)
  await expect.poll(() => received().length).toBe(6)
  await esales(page, `esales.end()`)
  await expect.poll(() => received().length).toBe(7)
  const got = received()
  expect(got.map((n) => n.verdict)).toEqual(Array(7).fill('accepted'))
  const byType = Object.fromEntries(got.map((n) => [n.type + (n.type!.includes('favorite') ? ':' + n.body : ''), n]))
  expect(byType['click']!.body).toBe('{"ticket":"T-CLICK"}')
  expect(byType['add-to-cart']!.body).toBe('{"ticket":"T-CART"}')
  expect(Object.keys(byType).filter((k) => k.includes('favorite')).sort()).toEqual([
    'add-favorite:{"productKey":"P1"}', 'add-favorite:{"productKey":"P2"}', 'remove-favorite:{"variantKey":"V3"}'
  ])
  expect(byType['payment']!.body).toBe('{"lines":[{"variantKey":"V1","quantity":2,"sellingPrice":9.5},{"variantKey":"V2","quantity":1,"sellingPrice":0}]}')
  // end: no body, and the keys it was sent with are the old ones.
  expect([byType['end']!.body, byType['end']!.contentType, byType['end']!.customerKey]).toEqual(['', undefined, before.customerKey])
  for (const n of got) expect([n.customerKey, n.sessionKey]).toEqual([before.customerKey, before.sessionKey])
  const after = await page.evaluate(() => (window as any).esales.keys())
  expect(after.customerKey).not.toBe(before.customerKey)
  expect(after.sessionKey).not.toBe(before.sessionKey)
})

test('the command form before load works for every notification', async ({ page, open, received }) => {
  const stub = '<script>window.esales=window.esales||function(){(esales.q=esales.q||[]).push(arguments)}</script>' +
    "<script>esales('addToCart', 'Q-CART'); esales('addFavorite', 'Q-P'); esales('payment', [{ variantKey: 'Q-V', quantity: 1, sellingPrice: 5 }])</script>"
  await open('<p>queued</p>', { head: stub })
  await expect.poll(() => received().map((n) => n.type).sort()).toEqual(['add-favorite', 'add-to-cart', 'payment'])
})

test('on API v3, payment is refused with a clear error and nothing is sent', async ({ page, open, received, consoleLines }) => {
  await open('<p>v3</p>', { attrs: { 'data-api': 'v3' } })
  await ready(page)
  await esales(page, `esales.payment([{ variantKey: 'V1', quantity: 1, sellingPrice: 1 }])`)
  await consoleLine(consoleLines, 'error: esales: payment([{"variantKey":"V1","quantity":1,"sellingPrice":1}]) refused: API v3 takes no payments from the page: send them from your server (esales-snippet/server, sendPayment).')
  await esales(page, `esales.addToCart('SENTINEL')`)
  await expect.poll(() => received().map((n) => [n.type, n.api])).toEqual([['add-to-cart', 'v3']])
})

test('bad input to the API gets a clear esales: error and sends nothing', async ({ page, open, received, consoleLines }) => {
  await open('<p>bad</p>')
  await ready(page)
  const calls: [string, RegExp][] = [
    [`esales.addToCart('')`, /^error: esales: addToCart\(""\) refused: pass the ticket/],
    [`esales.click(42)`, /^error: esales: click\(42\) refused: pass the ticket/],
    [`esales.addFavorite({})`, /^error: esales: addFavorite\(\{\}\) refused: pass a product key/],
    [`esales.removeFavorite({ productKey: '' })`, /^error: esales: removeFavorite\(\{"productKey":""\}\) refused/],
    [`esales.payment([{ variantKey: 'V', quantity: -1, sellingPrice: 1 }])`, /^error: esales: payment refused: line 0: quantity must be a whole number of at least 1, not -1\.$/],
    [`esales.payment([{ variantKey: 'V', quantity: 1, sellingPrice: 'cheap' }])`, /^error: esales: payment refused: line 0: sellingPrice must be a number of at least 0, not cheap\.$/],
    [`esales.payment([{ quantity: 1, sellingPrice: 1 }])`, /^error: esales: payment refused: line 0: variantKey must be a non-empty string\.$/],
    [`esales.payment([])`, /^error: esales: payment refused: lines must be a non-empty array/],
    [`esales('noSuchCommand', 1)`, /^error: esales: esales\("noSuchCommand"\) refused: there is no such command: use one of click, addToCart, /]
  ]
  for (const [call] of calls) await esales(page, call)
  // The words come from the lazy chunk, each when it has loaded: all of them, then no more.
  await expect.poll(() => consoleLines.filter((l) => l.startsWith('error:')).length).toBe(calls.length)
  for (const [, message] of calls) expect(consoleLines.some((l) => message.test(l)), String(message)).toBe(true)
  await esales(page, `esales.click('SENTINEL')`)
  await expect.poll(() => received().map((n) => n.ticket)).toEqual(['SENTINEL'])
})

test('data-esales-add-to-cart: a button inside a tile sends add-to-cart only; a standalone link too', async ({ page, open, received, shop }) => {
  await open(`<div class="tile" data-esales-ticket="TILE"><span id="name">Shoe</span>
      <button id="cart" data-esales-add-to-cart="CART-IN-TILE"><span id="cart-label">Add to cart</span></button></div>
    <a id="cart-link" href="${shop.url}/landing" data-esales-add-to-cart="CART-LINK">Add and go to the cart</a>`)
  await ready(page)
  await page.click('#cart-label')
  await expect.poll(() => received().map((n) => [n.type, n.ticket])).toEqual([['add-to-cart', 'CART-IN-TILE']])
  await page.click('#name')
  await expect.poll(() => received().length).toBe(2)
  await Promise.all([page.waitForURL('**/landing'), page.click('#cart-link')])
  await expect.poll(() => received().map((n) => [n.type, n.ticket])).toEqual([['add-to-cart', 'CART-IN-TILE'], ['click', 'TILE'], ['add-to-cart', 'CART-LINK']])
})

test('data-esales-favorite: the toggle state after the click (aria-pressed, checkbox) picks add or remove', async ({ page, open, received }) => {
  await open(`<div data-esales-ticket="TILE">
      <button id="heart" aria-pressed="false" data-esales-favorite="P-HEART">♥</button>
      <label><input id="box" type="checkbox" data-esales-favorite="P-BOX"> favorite</label></div>
    <script>
      // The page's own toggle, as a framework would write it: it flips after the snippet saw the click.
      document.getElementById('heart').addEventListener('click', (e) => {
        e.currentTarget.setAttribute('aria-pressed', String(e.currentTarget.getAttribute('aria-pressed') != 'true'))
      })
    </script>`)
  await ready(page)
  const seen = () => received().map((n) => `${n.type} ${n.body}`)
  await page.click('#heart')
  await expect.poll(seen).toEqual(['add-favorite {"productKey":"P-HEART"}'])
  await page.click('#heart')
  await expect.poll(seen).toHaveLength(2)
  await page.click('#box')
  await expect.poll(seen).toHaveLength(3)
  await page.click('#box')
  await expect.poll(seen).toEqual([
    'add-favorite {"productKey":"P-HEART"}', 'remove-favorite {"productKey":"P-HEART"}',
    'add-favorite {"productKey":"P-BOX"}', 'remove-favorite {"productKey":"P-BOX"}'
  ])
})

test('a lone surrogate in a ticket or a phrase arrives as the official client sends it (\\ud800, not U+FFFD), on the beacon and on the ky path', async ({ page, open, received }) => {
  for (const beacon of [true, false]) {
    if (!beacon) await page.addInitScript(REFUSING_BEACON)
    await open('<p>api</p>')
    await ready(page)
    await page.evaluate(() => {
      (window as any).esales.click('caf\ud800e')
      ;(window as any).esales.removeRecentSearches(['x\udfff', '🛒'])
    })
    await expect.poll(() => received().length).toBe(beacon ? 2 : 4)
  }
  const bodies = received().map((n) => `${n.type} ${n.body} ${n.verdict}`).sort()
  const click = `click ${JSON.stringify({ ticket: 'caf\ud800e' })} accepted`
  const phrases = `remove-recent-searches ${JSON.stringify({ phrases: ['x\udfff', '🛒'] })} accepted`
  expect(bodies).toEqual([click, click, phrases, phrases].sort())
  expect(click).toContain('\\ud800')
})
