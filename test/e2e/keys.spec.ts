import type { Page } from '@playwright/test'
import { expect, ready, test } from './fixtures'

const tile = '<div id="t" data-esales-ticket="T">tile</div><div id="u" data-esales-ticket="U">tile</div>'

async function clickAndGet(page: Page, received: () => { customerKey: string; sessionKey: string }[], selector = '#t') {
  const before = received().length
  await ready(page)
  await page.click(selector)
  await expect.poll(() => received().length).toBe(before + 1)
  const n = received()[before]!
  return { customerKey: n.customerKey, sessionKey: n.sessionKey }
}

async function cookieMap(page: Page) {
  return Object.fromEntries((await page.context().cookies()).map((c) => [c.name, c]))
}

test('keys are stored in the apptus.* cookies and localStorage, and kept across reloads', async ({ open, page, received }) => {
  await open(tile)
  const first = await clickAndGet(page, received)
  const cookies = await cookieMap(page)
  const customer = cookies['apptus.customerKey']!
  const session = cookies['apptus.sessionKey']!
  expect(customer.value).toBe(first.customerKey)
  expect(session.value).toBe(first.sessionKey)
  expect([customer.path, customer.sameSite, customer.httpOnly, customer.secure]).toEqual(['/', 'Lax', false, false])
  // A year for the customer key, 30 minutes for the session key (renewed with activity), give or take the test's own duration.
  expect(customer.expires - Date.now() / 1000).toBeGreaterThan(364 * 86400)
  expect(session.expires - Date.now() / 1000).toBeGreaterThan(29 * 60)
  expect(session.expires - Date.now() / 1000).toBeLessThanOrEqual(30 * 60)
  const mirror = JSON.parse((await page.evaluate(() => localStorage.getItem('esales.keys')))!)
  expect(mirror).toMatchObject(first)
  expect(await page.evaluate(() => (window as any).esales.keys())).toEqual(first)

  await page.reload()
  expect(await clickAndGet(page, received)).toEqual(first)
})

test('a cleared or capped customer cookie is restored from localStorage', async ({ open, page, received, context }) => {
  await open(tile)
  const first = await clickAndGet(page, received)
  // What Safari's 7-day cap on script-set cookies does to a returning visitor.
  await context.clearCookies()
  await page.reload()
  const second = await clickAndGet(page, received)
  expect(second.customerKey).toBe(first.customerKey)
  expect((await cookieMap(page))['apptus.customerKey']!.value).toBe(first.customerKey)
})

test('keys are adopted from existing apptus.* cookies', async ({ page, received, html, shop, context }) => {
  const url = shop.page(html(tile))
  await context.addCookies([
    { name: 'apptus.customerKey', value: 'server-customer-1', url },
    { name: 'apptus.sessionKey', value: 'server-session-1', url }
  ])
  await page.goto(url)
  expect(await clickAndGet(page, received)).toEqual({ customerKey: 'server-customer-1', sessionKey: 'server-session-1' })
})

for (const entry of ['apptus.session', 'voyado.session']) {
  test(`keys are adopted from the official library's localStorage entry ${entry}`, async ({ page, received, html, shop }) => {
    const url = shop.page(html(tile))
    await page.addInitScript((name) => {
      if (!localStorage.getItem('esales.keys')) localStorage.setItem(name, JSON.stringify({ customerKey: 'legacy-c', sessionKey: 'legacy-s' }))
    }, entry)
    await page.goto(url)
    // The customer is the same visitor; the official libraries never end a session, so a new one starts.
    const keys = await clickAndGet(page, received)
    expect(keys.customerKey).toBe('legacy-c')
    expect(keys.sessionKey).toMatch(/^[0-9a-f-]{36}$/)
    expect((await cookieMap(page))['apptus.customerKey']!.value).toBe('legacy-c')
  })
}

test('server-rendered keys win over stored ones', async ({ page, received, html, shop, context }) => {
  const url = shop.page(html(tile, { attrs: { 'data-customer-key': 'rendered-c', 'data-session-key': 'rendered-s' } }))
  await context.addCookies([
    { name: 'apptus.customerKey', value: 'cookie-c', url },
    { name: 'apptus.sessionKey', value: 'cookie-s', url }
  ])
  await page.goto(url)
  expect(await clickAndGet(page, received)).toEqual({ customerKey: 'rendered-c', sessionKey: 'rendered-s' })
})

test('a stored key that is not a safe token is replaced', async ({ page, received, html, shop, context }) => {
  const url = shop.page(html(tile))
  await context.addCookies([
    { name: 'apptus.customerKey', value: 'has%20space%3Cscript%3E', url },
    { name: 'apptus.sessionKey', value: 'x'.repeat(200), url }
  ])
  await page.goto(url)
  const keys = await clickAndGet(page, received)
  expect(keys.customerKey).toMatch(/^[0-9a-f-]{36}$/)
  expect(keys.sessionKey).toMatch(/^[0-9a-f-]{36}$/)
})

test('the session key changes after 30 idle minutes, and not before, across pages and in a page left open', async ({ open, page, received }) => {
  // The page's clock: Date.now and timers run as usual until the test jumps ahead.
  await page.clock.install()
  await open(tile)
  const first = await clickAndGet(page, received)
  await page.clock.fastForward('29:00')
  expect(await clickAndGet(page, received, '#u')).toEqual(first)
  await page.clock.fastForward('31:00')
  // The browser's cookie jar runs on real time: the session cookie goes as its Max-Age would have taken it.
  await page.evaluate(() => { document.cookie = 'apptus.sessionKey=;path=/;max-age=0' })
  const second = await clickAndGet(page, received)
  expect(second.customerKey).toBe(first.customerKey)
  expect(second.sessionKey).not.toBe(first.sessionKey)
  // Across pages: the mirror says when the visitor was last seen. The browser's cookie jar runs on
  // real time, so the session cookie is removed as its Max-Age would have removed it.
  await page.evaluate(() => { document.cookie = 'apptus.sessionKey=;path=/;max-age=0' })
  await page.clock.fastForward('29:00')
  await page.reload()
  expect(await clickAndGet(page, received)).toEqual(second)
  await page.evaluate(() => { document.cookie = 'apptus.sessionKey=;path=/;max-age=0' })
  await page.clock.fastForward('31:00')
  await page.reload()
  const third = await clickAndGet(page, received)
  expect(third.customerKey).toBe(first.customerKey)
  expect(third.sessionKey).not.toBe(second.sessionKey)
})

test('setCustomerKey, reset and keys() on window.esales', async ({ open, page, received, consoleLines }) => {
  await open(tile)
  const first = await clickAndGet(page, received)
  await page.evaluate(() => (window as any).esales.setCustomerKey('member-42'))
  const signedIn = await clickAndGet(page, received)
  expect(signedIn).toEqual({ customerKey: 'member-42', sessionKey: first.sessionKey })
  expect((await cookieMap(page))['apptus.customerKey']!.value).toBe('member-42')

  await page.evaluate(() => (window as any).esales.setCustomerKey('someone@example.com'))
  await expect.poll(() => consoleLines.filter((l) => l.startsWith('error: esales:') && l.includes('e-mail'))).toHaveLength(1)
  expect((await clickAndGet(page, received)).customerKey).toBe('member-42')

  await page.evaluate(() => (window as any).esales.reset())
  const after = await clickAndGet(page, received)
  expect(after.customerKey).not.toBe('member-42')
  expect(after.sessionKey).not.toBe(first.sessionKey)
  expect(await page.evaluate(() => (window as any).esales.keys())).toEqual(after)
})

test('in a sandboxed iframe, where cookies and storage throw, clicks are still sent', async ({ open, page, received, html }) => {
  const inner = html('<div id="framed" data-esales-ticket="FRAMED">tile in a sandbox</div>')
  await open(`<iframe id="f" sandbox="allow-scripts" srcdoc="${inner.replace(/&/g, '&amp;').replace(/"/g, '&quot;')}"></iframe>`)
  const frame = page.frameLocator('#f')
  // Proof that the sandbox blocks storage: reading document.cookie throws there.
  const frameHandle = page.frames().find((f) => f !== page.mainFrame())!
  await frameHandle.waitForFunction(() => (window as any).esales?.loaded === true)
  expect(await frameHandle.evaluate(() => { try { return document.cookie } catch (e) { return (e as Error).name } })).toBe('SecurityError')
  await frame.locator('#framed').click()
  await expect.poll(() => received().map((n) => [n.ticket, n.verdict])).toEqual([['FRAMED', 'accepted']])
  expect(received()[0]!.origin).toBe('null')
})

test('the stub queues calls made before the script loads, and the script replays them', async ({ open, page, received }) => {
  const stub = '<script>window.esales=window.esales||function(){(esales.q=esales.q||[]).push(arguments)}</script>' +
    "<script>esales('setCustomerKey', 'queued-member'); esales('click', 'QUEUED')</script>"
  await open(tile, { head: stub })
  await expect.poll(() => received().map((n) => [n.ticket, n.customerKey])).toEqual([['QUEUED', 'queued-member']])
  // After load, the command form keeps working, and so do the methods.
  await page.evaluate(() => { (window as any).esales('click', 'CMD'); (window as any).esales.click('METHOD') })
  await expect.poll(() => received().map((n) => n.ticket).sort()).toEqual(['CMD', 'METHOD', 'QUEUED'])
})
