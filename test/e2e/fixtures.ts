// Shared e2e fixtures: per worker, one mock eSales cluster (127.0.0.1) and one shop
// (localhost); per test, a market of its own, so tests that share a cluster never
// see each other's notifications, and a check that the page raised no uncaught error.
import { test as base, expect, type Page } from '@playwright/test'
import { startCluster, type MockCluster, type NotificationRecord } from '../../cluster/server.js'
import { startTestShop, type Shop } from '../support/shop-server.js'
import { NO_BEACON, shopPage } from '../support/page.js'

export { expect }

interface OpenOptions {
  /** Attributes of the script tag; the defaults point it at the mock cluster with this test's market. */
  attrs?: Record<string, string | null>
  /** HTML before the script tag (a stub, or a page that breaks globals). */
  head?: string
  /** Response headers (a Content-Security-Policy, say). */
  headers?: Record<string, string>
  /** Holds the lazily loaded chunks back for this many ms, as a slow network would. */
  slowChunks?: number
}

interface Fixtures {
  cluster: MockCluster
  shop: Shop
  /** This test's market: what the cluster filters on. */
  market: string
  /** Uncaught errors in any page of the test; must stay empty. */
  pageErrors: string[]
  /** Console lines of the page, `type: text`. */
  consoleLines: string[]
  /** Serves a page with the snippet and `body`, opens it in `page`, returns its URL. */
  open: (body: string, options?: OpenOptions) => Promise<string>
  /** Builds the HTML of such a page without opening it. */
  html: (body: string, options?: OpenOptions) => string
  /** Notifications that the cluster got for this test's market. */
  received: (filter?: { verdict?: NotificationRecord['verdict']; type?: string }) => NotificationRecord[]
}

export const test = base.extend<Fixtures, { servers: { cluster: MockCluster; shop: Shop } }>({
  servers: [async ({}, use) => {
    const [cluster, shop] = await Promise.all([startCluster(), startTestShop()])
    await use({ cluster, shop })
    await Promise.all([cluster.close(), shop.close()])
  }, { scope: 'worker' }],
  cluster: async ({ servers }, use) => { await use(servers.cluster) },
  shop: async ({ servers }, use) => { await use(servers.shop) },
  market: async ({}, use, info) => { await use(`m${info.workerIndex}-${info.testId.slice(-10)}-${info.repeatEachIndex}${info.retry}`) },
  pageErrors: [async ({ context }, use) => {
    const errors: string[] = []
    context.on('weberror', (e) => errors.push(String(e.error())))
    await use(errors)
    expect(errors, 'uncaught errors in the page').toEqual([])
  }, { auto: true }],
  consoleLines: async ({ page }, use) => {
    const lines: string[] = []
    page.on('console', (m) => lines.push(`${m.type()}: ${m.text()}`))
    await use(lines)
  },
  html: async ({ cluster, shop, market }, use) => {
    await use((body, options = {}) => shopPage({
      src: `${shop.url}${options.slowChunks ? `/slow/${options.slowChunks}` : ''}/dist/esales.js`, attrs: { 'data-endpoint': cluster.url, 'data-market': market, ...options.attrs }, head: options.head, body
    }))
  },
  open: async ({ page, shop, html }, use) => {
    await use(async (body, options = {}) => {
      const url = shop.page(html(body, options), options.headers)
      await page.goto(url)
      return url
    })
  },
  received: async ({ cluster, market }, use) => {
    await use((filter = {}) => cluster.received({ market, ...filter }))
  }
})

export { NO_BEACON }

/** Makes navigator.sendBeacon refuse every call (it returns false, as past its quota). For addInitScript. */
export const REFUSING_BEACON = () => { Navigator.prototype.sendBeacon = () => false }

/** A page that breaks Array.prototype's methods, as old page code has done (for addInitScript). */
export const BREAK_ARRAYS = () => {
  for (const name of ['map', 'filter', 'find', 'forEach', 'some', 'every', 'includes', 'reduce', 'push', 'concat', 'join', 'indexOf'] as const) {
    (Array.prototype as any)[name] = function () { throw new Error(`Array.prototype.${name} broken by the page`) }
  }
  (Array.prototype as any).toJSON = () => 'broken'
}

/** A page that freezes the built-in prototypes (for addInitScript). */
export const FREEZE_PROTOTYPES = () => {
  Object.freeze(Object.prototype)
  Object.freeze(Function.prototype)
}

/** JSON.stringify broken after the snippet loaded, as a later script of the page would (HTML for the body). */
export const LATE_JSON = '<script>JSON.stringify = () => "{}"</script>'

/**
 * Cookies a shop's pages leave behind: a part without "=", bad percent-encoding (on the key
 * cookies too), a nameless one; and one good customer key, which must be the one sent.
 */
export async function seedMalformedCookies(page: Page, shopUrl: string): Promise<void> {
  await page.goto(shopUrl + '/landing')
  await page.evaluate(() => {
    document.cookie = 'junk-without-equals'
    document.cookie = 'apptus.customerKey=%E0%A4%A;path=/p'
    document.cookie = 'apptus.sessionKey=%E0%A4%A;path=/'
    document.cookie = '=nameless'
  })
  await page.context().addCookies([{ name: 'apptus.customerKey', value: 'good-customer', url: shopUrl + '/' }])
}

/** What the page's outbox holds: its own entries, and those just appended (esales.outbox:{id} = "{t} {url} {body}"). */
export const outbox = (page: Page) => page.evaluate(() => {
  const list = JSON.parse(localStorage.getItem('esales.outbox') || '[]') as { id?: string; url: string; body?: string; tries?: number; claim?: unknown }[]
  for (let i = 0; i < localStorage.length; i++) {
    const name = localStorage.key(i)!
    if (!name.startsWith('esales.outbox:')) continue
    const [, url, ...body] = localStorage.getItem(name)!.split(' ')
    list.push({ id: name.slice('esales.outbox:'.length), url: url!, body: body.join(' ') || undefined })
  }
  return list
})

/** Waits until the page's console shows a line that contains `text`. */
export async function consoleLine(lines: string[], text: string): Promise<string> {
  await expect.poll(() => lines.find((l) => l.includes(text)), { message: `console line with "${text}"` }).toBeTruthy()
  return lines.find((l) => l.includes(text))!
}

/** The cluster's records of this test's market, as the `received` fixture gives them. */
export type Received = (filter?: { verdict?: NotificationRecord['verdict']; type?: string }) => NotificationRecord[]

// How long to wait after the expected notifications arrived, to catch a late duplicate (a
// label's second click, a send on pagehide): an absence cannot be polled for.
export const SETTLE_MS = 1000

export const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms))
const show = (n: NotificationRecord) => `${n.type} ${n.body} ${n.verdict}`

/** Waits until every notification that `want` lists ("type body verdict") arrived, settles, then asserts exactly those did, in order. */
export async function exactly(received: Received, want: string[]): Promise<void> {
  await expect.poll(() => received().map(show), { message: 'the notifications' }).toEqual(expect.arrayContaining(want))
  // A late duplicate would arrive within this; not an assertion by itself.
  await sleep(SETTLE_MS)
  expect(received().map(show)).toEqual(want)
}

/** Whether window.esales is loaded, for tests that must act after the script ran. */
export async function ready(page: Page): Promise<void> {
  await page.waitForFunction(() => (window as unknown as { esales?: { loaded?: boolean } }).esales?.loaded === true)
}
