import { chromium } from '@playwright/test'
import { CHROMIUM_ARGS, findChromium } from '../support/browser.js'
import { scriptTag } from '../support/page.js'
import { expect, test } from './fixtures'

const tiles = '<div id="t" data-esales-ticket="T">tile</div>'

const broken: [string, Record<string, string | null>, RegExp][] = [
  ['no market', { 'data-market': null }, /^esales: data-market is missing: your market id, as in the data feed \(1 to 100 characters of well-formed text, no space at either end\), is required\.$/],
  ['an empty market', { 'data-market': '' }, /^esales: data-market is missing: /],
  ['a market with a space at its end', { 'data-market': 'UK ' }, /^esales: data-market="UK " is not valid: your market id/],
  ['a market over 100 characters', { 'data-market': 'M'.repeat(101) }, /^esales: data-market="M+" is not valid: your market id, as in the data feed \(1 to 100 characters of well-formed text, no space at either end\), is required/],
  ['no cluster and no endpoint', { 'data-endpoint': null }, /^esales: data-cluster-id is missing: set data-cluster-id to the cluster id alone.*, or set data-endpoint/],
  ['a cluster id that is a path', { 'data-endpoint': null, 'data-cluster-id': 'evil.com/x' }, /^esales: data-cluster-id="evil.com\/x" is not valid: set data-cluster-id to the cluster id alone/],
  ['a cluster id with a dot', { 'data-endpoint': null, 'data-cluster-id': 'a.b' }, /^esales: data-cluster-id="a.b" is not valid/],
  ['an empty cluster id', { 'data-endpoint': null, 'data-cluster-id': '' }, /^esales: data-cluster-id is missing/],
  ['a 64-character cluster id', { 'data-endpoint': null, 'data-cluster-id': 'a'.repeat(64) }, /^esales: data-cluster-id="a{64}" is not valid/],
  ['a javascript: endpoint', { 'data-endpoint': 'javascript:alert(1)' }, /^esales: data-endpoint="javascript:alert\(1\)" is not valid: use an https: URL, a same-origin path such as \/esales, or http: on this machine only \(localhost, \*\.localhost, 127\.x\.x\.x, \[::1\]\); no user or password\.$/],
  ['a data: endpoint', { 'data-endpoint': 'data:text/plain,x' }, /^esales: data-endpoint="data:text\/plain,x" is not valid/],
  ['an endpoint with credentials', { 'data-endpoint': 'https://user:pass@esales.example' }, /^esales: data-endpoint="https:\/\/user:pass@esales.example" is not valid/],
  ['plain http to another host', { 'data-endpoint': 'http://esales.example' }, /^esales: data-endpoint="http:\/\/esales.example" is not valid/],
  ['an unknown API version', { 'data-api': 'v4' }, /^esales: data-api="v4" is not valid: use v2 or v3\.$/],
  ['an unknown ad-impressions mode', { 'data-ad-impressions': 'manul' }, /^esales: data-ad-impressions="manul" is not valid: use auto \(the default\) or manual\.$/],
  ['a consent value other than the levels', { 'data-consent': 'yes' }, /^esales: consent\("yes"\) refused: pass true, false, or one of granted, unpersonalized, anonymous, denied and pending \(data-consent takes the same\); nothing is sent until one comes\.$/],
  ['a cookie domain that is not this host\'s', { 'data-cookie-domain': 'other.example' }, /^esales: data-cookie-domain="other.example" is not valid: use this page's host name or a domain it belongs to/]
]

test('a market with a lone surrogate (set by script): one clear error, nothing sent, and clicks throw nothing into the page', async ({ page, shop, cluster, received, consoleLines }) => {
  // HTML turns a lone surrogate into U+FFFD; script can still set one.
  const tag = scriptTag(`${shop.url}/dist/esales.js`, { 'data-endpoint': cluster.url, 'data-market': 'placeholder' })
  const html = `<!doctype html><html><head><script>
    const tag = document.createRange().createContextualFragment(${JSON.stringify(tag).replace(/<\//g, '<\\/')}).firstElementChild
    tag.setAttribute('data-market', 'UK\\ud800')
    document.head.append(tag)
  </script></head><body>${tiles}</body></html>`
  await page.goto(shop.page(html))
  await expect.poll(() => consoleLines.filter((l) => l.startsWith('error: esales:'))).toHaveLength(1)
  expect(consoleLines.find((l) => l.startsWith('error: '))).toMatch(/^error: esales: data-market=".*" is not valid: your market id, as in the data feed \(1 to 100 characters of well-formed text, no space at either end\), is required/)
  await page.click('#t')
  await page.waitForTimeout(500)
  expect(received()).toEqual([])
})

for (const [name, attrs, message] of broken) {
  test(`misconfiguration, ${name}: one clear error, nothing sent, no page error`, async ({ page, open, received, consoleLines, cluster }) => {
    const requests: string[] = []
    page.on('request', (r) => { if (r.url().startsWith(cluster.url) || r.url().includes('apptus.cloud')) requests.push(r.url()) })
    await open(tiles, { attrs })
    await expect.poll(() => consoleLines.filter((l) => l.startsWith('error: esales:'))).toHaveLength(1)
    expect(consoleLines.find((l) => l.startsWith('error: '))!.slice('error: '.length)).toMatch(message)
    // window.esales exists and does nothing: page code that calls it does not break.
    await page.evaluate(() => {
      const esales = (window as any).esales
      esales.click('BY-HAND')
      esales('click', 'BY-COMMAND')
      esales.setCustomerKey('abc')
      esales.reset()
    })
    await page.click('#t')
    // Nothing can arrive: give a would-be beacon time to land before the absence is asserted.
    await page.waitForTimeout(500)
    expect(requests).toEqual([])
    expect(received()).toEqual([])
    expect(consoleLines.filter((l) => l.startsWith('error:'))).toHaveLength(1)
  })
}

test('the script defines no global but window.esales', async ({ page, open, html, shop }) => {
  await page.goto(shop.page('<!doctype html><title>bare</title>'))
  const before = await page.evaluate(() => Object.getOwnPropertyNames(window))
  await open(tiles)
  await page.waitForFunction(() => (window as any).esales?.loaded)
  const after = await page.evaluate(() => Object.getOwnPropertyNames(window))
  expect(after.filter((name) => !before.includes(name))).toEqual(['esales'])
  void html
})

test('two copies of the tag send each click once', async ({ page, html, shop, received, cluster, market }) => {
  const once = html(tiles)
  const twice = once.replace('</head>', scriptTag(`${shop.url}/dist/esales.js`, { 'data-endpoint': cluster.url, 'data-market': market }) + '</head>')
  await page.goto(shop.page(twice))
  await page.waitForFunction(() => (window as any).esales?.loaded)
  await page.click('#t')
  await page.evaluate(() => (window as any).esales.click('SENTINEL'))
  await expect.poll(() => received().map((n) => n.ticket).sort()).toEqual(['SENTINEL', 'T'])
})

for (const debug of [null, 'false']) {
  test(`${debug == null ? 'without data-debug' : 'with data-debug="false" (React\'s data-debug={false}, Vue\'s :data-debug="false")'} the snippet is silent`, async ({ page, open, consoleLines, received }) => {
    await open(tiles, { attrs: { 'data-debug': debug, 'data-api': 'v3' } })
    await page.waitForFunction(() => (window as any).esales?.loaded)
    await page.evaluate(() => (window as any).esales.setCustomerKey('member-7'))
    await page.click('#t')
    await expect.poll(() => received().map((n) => n.customerKey)).toEqual(['member-7'])
    expect(consoleLines.filter((l) => l.includes('esales'))).toEqual([])
  })
}

test('data-debug without data-api says that API v2 is the default, and how to send to v3', async ({ page, open, consoleLines }) => {
  await open(tiles, { attrs: { 'data-debug': '' } })
  await expect.poll(() => consoleLines.find((l) => l.startsWith('log: esales: start:'))).toMatch(/\{name\}, API v2 \(the default, which eSales has ended: data-api="v3" sends to Storefront API v3\), market /)
})

test('a refused customer key is never repeated in the console: an e-mail address stays out of error trackers', async ({ page, open, consoleLines }) => {
  await open(tiles, { attrs: { 'data-api': 'v3' } })
  await page.waitForFunction(() => (window as any).esales?.loaded)
  await page.evaluate(() => (window as any).esales.setCustomerKey('me@example.com'))
  await expect.poll(() => consoleLines.filter((l) => l.startsWith('error: '))).toEqual([
    'error: esales: setCustomerKey(a string of 14 characters) refused: use an opaque id of 1 to 128 characters of A-Za-z0-9._~:-, never an e-mail address (GDPR).'
  ])
})

test('a tag with type="module" (no document.currentScript) finds its attributes and its chunks: clicks arrive, and misuse is said in the chunk\'s words', async ({ page, html, shop, received, consoleLines }) => {
  await page.goto(shop.page(html(tiles, { attrs: { 'data-api': 'v3' } }).replace('<script src=', '<script type="module" src=')))
  await page.waitForFunction(() => (window as any).esales?.loaded)
  await page.click('#t')
  await expect.poll(() => received().map((n) => `${n.type} ${n.ticket} ${n.verdict}`)).toEqual(['click T accepted'])
  await page.evaluate(() => (window as any).esales('addTocart', 'T'))
  await expect.poll(() => consoleLines.filter((l) => l.startsWith('error: '))).toEqual([
    "error: esales: esales(\"addTocart\") refused: there is no such command; did you mean 'addToCart'?"
  ])
})

test('data-debug tells the story: start-up, consent, where the keys came from, each notification\'s path, key changes', async ({ page, open, consoleLines, context, shop, received }) => {
  // A visit before: the session key is in its cookie.
  await open(tiles)
  await page.click('#t')
  await expect.poll(() => received()).toHaveLength(1)
  // A server-set customer key: its source shows.
  await context.addCookies([{ name: 'apptus.customerKey', value: 'from-the-server', url: shop.url + '/' }])
  await open(tiles, { attrs: { 'data-debug': '', 'data-api': 'v3' } })
  await page.waitForFunction(() => (window as any).esales?.loaded)
  await page.click('#t')
  const line = (text: string) => expect.poll(() => consoleLines.find((l) => l.includes(text)), { message: text }).toBeTruthy()
  await line('esales: start: notifications go to http://127.0.0.1:')
  await line('{name}, API v3, market ')
  await line('esales: consent: granted')
  await line('esales: keys: the customer key from its cookie, the session key from its cookie')
  await line('esales: sent by beacon (the page cannot see the answer): http://127.0.0.1:')
  await page.evaluate(() => (window as any).esales.setCustomerKey('member-7'))
  await line('esales: keys now: {customerKey: member-7')
  // The beacon refused: the path is the outbox and fetch, and the fetch's answer shows.
  await page.evaluate(() => { Navigator.prototype.sendBeacon = () => false })
  await page.click('#t')
  await line('esales: no beacon (missing, refused, or offline): kept in the outbox, sent with fetch:')
  await line('esales: sent with fetch 204')
})

test('misuse is loud: a misspelt command, a misspelt attribute, each once with the nearest name; a consent manager\'s attribute is left alone', async ({ page, open, consoleLines, received }) => {
  await open(tiles, { attrs: { 'data-markets': 'UK', 'data-cookieconsent': 'ignore', 'data-cfasync': 'false' } })
  await page.waitForFunction(() => (window as any).esales?.loaded)
  await page.evaluate(() => { const e = (window as any).esales; e('addTocart', 'T1'); e('setCustomerkey', 'k') })
  const errors = () => consoleLines.filter((l) => l.startsWith('error: '))
  await expect.poll(errors).toHaveLength(3)
  expect(errors().sort()).toEqual([
    'error: esales: data-markets is not an attribute of the snippet, and is ignored: did you mean data-market?',
    "error: esales: esales(\"addTocart\") refused: there is no such command; did you mean 'addToCart'?",
    "error: esales: esales(\"setCustomerkey\") refused: there is no such command; did you mean 'setCustomerKey'?"
  ])
  // The rest of the tag is right: tracking goes on.
  await page.click('#t')
  await expect.poll(() => received().map((n) => n.ticket)).toEqual(['T'])
})

test('data-api ignores case, and an endpoint on *.localhost is a local one', async ({ page, shop, html, received, cluster }) => {
  const port = new URL(cluster.url).port
  await page.goto(shop.page(html(tiles, { attrs: { 'data-api': 'V3', 'data-endpoint': `http://cluster.localhost:${port}` } })))
  await page.waitForFunction(() => (window as any).esales?.loaded)
  await page.click('#t')
  await expect.poll(() => received().map((n) => `${n.api} ${n.ticket}`)).toEqual(['v3 T'])
})

test('data-cookie-domain lets www. and checkout. share the keys', async ({ html, shop, received }) => {
  // Two subdomains need names that resolve here: a browser of its own maps *.shop.test to this machine.
  const browser = await chromium.launch({ executablePath: findChromium(), args: [...CHROMIUM_ARGS, '--host-resolver-rules=MAP *.shop.test 127.0.0.1'] })
  try {
    const page = await browser.newPage()
    const port = new URL(shop.url).port
    const path = new URL(shop.page(html(tiles, { attrs: { 'data-cookie-domain': 'shop.test' } }))).pathname
    const keysAt = async (host: string) => {
      await page.goto(`http://${host}:${port}${path}`)
      await page.waitForFunction(() => (window as any).esales?.loaded)
      await page.click('#t')
      await expect.poll(() => received().length).toBeGreaterThan(0)
      return page.evaluate(() => (window as any).esales.keys())
    }
    const www = await keysAt('www.shop.test')
    const checkout = await keysAt('checkout.shop.test')
    expect(checkout).toEqual(www)
    const domains = (await page.context().cookies()).filter((c) => c.name.startsWith('apptus.')).map((c) => c.domain)
    expect(domains).toEqual(['.shop.test', '.shop.test'])
  } finally {
    await browser.close()
  }
})
