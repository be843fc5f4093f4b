// @ts-check
// The demo shop's server: renders the pages (with eSales-like tickets, as a shop's server
// would from an eSales response) and serves the built snippet from dist/. It is also the
// server half of the package, as a shop uses it (esales-snippet/server, from dist/server/):
// pages go through keysMiddleware (the key cookies come from the server), the snippet's
// data-endpoint="/esales" goes through createProxy, and the checkout sends the payment with
// sendPayment and the keys of readKeys(request).
import { createServer } from 'node:http'
import { randomUUID } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { extname, join, normalize } from 'node:path'
import { PRODUCTS, RECOMMENDED, picture, ticket } from './catalog.js'

const root = new URL('..', import.meta.url).pathname
const TYPES = { '.js': 'text/javascript;charset=utf-8', '.css': 'text/css', '.html': 'text/html;charset=utf-8', '.png': 'image/png', '.map': 'application/json' }
const SEARCH = '/demo/DESKTOP/SEARCH_PAGE/PRIMARY_LIST'

/** @param {string} s */
const escape = (s) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;')

/**
 * Why a level sends no payment, in the shopper's words: the banner's choices (demo/consent.js).
 * @type {Record<'unpersonalized' | 'anonymous' | 'denied' | 'pending', string>}
 */
const WITHOUT_KEYS = {
  pending: 'you have not answered the consent banner yet, and until you do the shop allows no keys',
  anonymous: 'your consent choice, Anonymous statistics, allows no keys',
  unpersonalized: 'your consent choice, Statistics only, allows no customer key',
  denied: 'your consent choice, Decline, allows no keys'
}

/** The built server entry; `npm start` builds it before the shop starts. */
const serverEntry = new URL('../dist/server/index.js', import.meta.url).href

/**
 * Starts the shop.
 * @param {{ port: number, host?: string, clusterUrl: string, apiKey: string, log?: (line: string) => void }} options
 *   apiKey: the cluster's admin API key, for the checkout's payments (never logged).
 * @returns {Promise<{ url: string, close: () => Promise<void> }>}
 */
export async function startDemoShop({ port, host = '127.0.0.1', clusterUrl, apiKey, log = () => {} }) {
  /** @type {typeof import('../src/server/index.js')} */
  const { createProxy, keysMiddleware, readKeys, sendPayment, toNodeHandler } = await import(serverEntry)
  // The demo's consent banner keeps the shopper's choice in a cookie of its own (demo/consent.js):
  // the server renders it into the tag's data-consent, and sets the key cookies as it allows.
  /** @param {import('node:http').IncomingMessage} req */
  const consentOf = (req) => /** @type {'granted' | 'unpersonalized' | 'anonymous' | 'denied' | 'pending'} */ (
    (/(?:^|; )demo\.consent=(granted|unpersonalized|anonymous|denied)(?:;|$)/.exec(req.headers.cookie || '') || [])[1] || 'pending')
  const keys = keysMiddleware({ consent: consentOf })
  const proxy = toNodeHandler(createProxy({ endpoint: clusterUrl }))
  // Order ids whose payment was sent: a second POST of the same order (a reload, a double
  // click, a retried webhook) sends nothing. eSales has no idempotency key; a shop keeps this
  // record in its database.
  /** @type {Map<string, string>} */
  const paid = new Map()

  /** @param {string} html */
  const withCluster = (html) => html.replaceAll('{{LOG_URL}}', clusterUrl + '/')

  async function home() {
    const tiles = PRODUCTS.map((p, i) => {
      // Every third tile opens in a new tab; the rest navigate to the product page.
      const newTab = i % 3 == 2
      const t = ticket(SEARCH, 'product_key', p.key)
      return `      <article class="tile" id="tile-${p.key}" data-esales-ticket="${t}">` +
        `<a href="/product/${p.key}"${newTab ? ' target="_blank"' : ''}>${newTab ? '<span class="badge" title="opens in a new tab">↗</span>' : ''}` +
        `${picture(p)}<div class="name">${escape(p.name)}</div><div class="price">${p.price}</div></a>` +
        `<div class="actions"><button type="button" class="cart" data-esales-add-to-cart="${t}">Add to cart</button>` +
        `<button type="button" class="fav" aria-pressed="false" aria-label="Favorite" data-esales-favorite="${p.key}">♥</button></div></article>`
    }).join('\n')
    // Sponsored products (retail media): data-esales-ad beside the ticket, and the snippet sends an
    // ad-impression once each has been viewable (half in view for a second).
    const sponsored = (/** @type {import('./catalog.js').Product[]} */ list, /** @type {string} */ panel) => list.map((p) => {
      const t = ticket(panel, 'product_key', p.key)
      return `      <article class="tile sponsored" id="ad-${p.key}" data-esales-ad data-esales-ticket="${t}">` +
        `<a href="/product/${p.key}"><span class="badge">Sponsored</span>${picture(p)}<div class="name">${escape(p.name)}</div><div class="price">${p.price}</div></a></article>`
    }).join('\n')
    const data = {
      recommended: RECOMMENDED.map((p) => ({ ...p, ticket: ticket('/demo/DESKTOP/START_PAGE/RECOMMENDED', 'product_key', p.key), picture: picture(p) })),
      suggestions: [...PRODUCTS, ...RECOMMENDED].map((p) => ({ key: p.key, name: p.name, ticket: ticket('/demo/DESKTOP/AUTOCOMPLETE/PRODUCT_SUGGESTIONS', 'product_key', p.key), picture: picture(p) }))
    }
    const html = (await readFile(join(root, 'demo/index.html'), 'utf8'))
      .replace('{{TILES}}', tiles)
      .replace('{{SPONSORED}}', sponsored(PRODUCTS.slice(3, 5), '/demo/DESKTOP/SEARCH_PAGE/SPONSORED_PRODUCTS'))
      .replace('{{SPONSORED_BELOW}}', sponsored(RECOMMENDED.slice(0, 2), '/demo/DESKTOP/START_PAGE/SPONSORED_PRODUCTS'))
      .replace('{{CONTENT_TICKET}}', ticket('/demo/DESKTOP/START_PAGE/CONTENT_LIST', 'content_key', 'winter-guide'))
      .replace('{{BANNER_PICTURE}}', picture({ color: '#f2a93b', shape: 'jacket' }))
      .replace('{{SHADOW_TICKET}}', ticket(SEARCH, 'product_key', 'P1007'))
      .replace('{{SHADOW_PICTURE}}', escape(picture({ color: '#2f6f73', shape: 'scarf' })))
      .replace('{{DATA}}', JSON.stringify(data).replace(/</g, '\\u003c'))
    return withCluster(html)
  }

  /** @param {string} key */
  const productOf = (key) => [...PRODUCTS, ...RECOMMENDED].find((x) => x.key == key) || { key, name: 'Trek socks', price: '£12', color: '#2f6f73', shape: /** @type {const} */ ('scarf') }

  /** @param {string} key */
  async function product(key) {
    const p = productOf(key)
    const html = (await readFile(join(root, 'demo/product.html'), 'utf8'))
      .replaceAll('{{NAME}}', escape(p.name)).replace('{{PRICE}}', p.price).replaceAll('{{KEY}}', escape(p.key)).replace('{{PICTURE}}', picture(p))
      .replace('{{ORDER}}', randomUUID())
    return withCluster(html)
  }

  /**
   * The checkout: the order's payment goes to eSales from here, with the keys of the shopper's
   * cookies, the same keys the clicks before it carried. Then to the receipt (POST, redirect, GET).
   * @param {import('node:http').IncomingMessage} req @param {import('node:http').ServerResponse} res
   */
  async function checkout(req, res) {
    let text = ''
    for await (const chunk of req) text += chunk
    const form = new URLSearchParams(text)
    const order = form.get('order') || ''
    const p = productOf(form.get('product') || '')
    if (!/^[\w-]{1,64}$/.test(order)) return void res.writeHead(400, { 'content-type': 'text/plain' }).end('no order id')
    let outcome = paid.get(order)
    const level = consentOf(req)
    if (!outcome && level != 'granted') {
      // eSales' payment notification has no userContext: it carries both keys, or it is not
      // sent. Below granted the shopper allows no customer key, so the order is not reported.
      outcome = `No payment notification was sent to eSales: ${WITHOUT_KEYS[level]}, and eSales' payment notification carries both the customer key and the session key.`
      log(`checkout ${order}: no payment sent, consent ${level}`)
    } else if (!outcome) {
      const sellingPrice = Number(p.price.replace(/[^\d.]/g, ''))
      const lines = [{ variantKey: `${p.key}-M`, quantity: Math.max(1, Math.min(9, Number(form.get('quantity')) || 1)), sellingPrice, cost: Math.round(sellingPrice * 40) / 100 }]
      try {
        const { status, attempts } = await sendPayment({ endpoint: clusterUrl, apiKey, market: 'UK', keys: readKeys(req), lines })
        outcome = `Payment sent to eSales: ${status} after ${attempts} attempt${attempts == 1 ? '' : 's'}.`
        paid.set(order, outcome)
      } catch (error) {
        // Not recorded as paid: the shopper may try again. The developer's words go to the
        // console; the shopper gets plain ones.
        const { message, status, field } = /** @type {Error & { status?: number, field?: string }} */ (error)
        log(`checkout ${order}: ${message}`)
        outcome = field?.startsWith('keys.')
          ? "No payment notification was sent to eSales: your browser sent no keys (are cookies blocked?), and eSales' payment notification carries both the customer key and the session key."
          : `The payment notification could not be sent to eSales just now${status ? ` (eSales answered ${status})` : ''}. The demo's console says why.`
      }
      if (paid.has(order)) log(`checkout ${order}: ${outcome}`)
    } else {
      outcome += ' (This order was paid before: nothing was sent again.)'
    }
    res.writeHead(303, { location: `/thanks?order=${order}&product=${encodeURIComponent(p.key)}&outcome=${encodeURIComponent(outcome)}` }).end()
  }

  /** @param {URLSearchParams} query */
  async function thanks(query) {
    const p = productOf(query.get('product') || '')
    const html = (await readFile(join(root, 'demo/thanks.html'), 'utf8'))
      .replaceAll('{{NAME}}', escape(p.name)).replace('{{ORDER}}', escape(query.get('order') || '')).replace('{{OUTCOME}}', escape(query.get('outcome') || ''))
    return withCluster(html)
  }

  const server = createServer(async (req, res) => {
    const path = (req.url || '/').split('?')[0] || '/'
    try {
      // The snippet's first-party endpoint: data-endpoint="/esales".
      if (path.startsWith('/esales/')) return void await proxy(req, res)
      if (path == '/checkout' && req.method == 'POST') return void await checkout(req, res)
      const match = /^\/product\/([\w-]+)$/.exec(path)
      const page = path == '/' || path == '/index.html' ? home : match ? () => product(/** @type {string} */ (match[1]))
        : path == '/thanks' ? () => thanks(new URL(req.url || '/', 'http://x').searchParams) : undefined
      if (page) {
        // Pages get the key cookies from the server: a new visitor's first page already has them.
        await keys(req, res)
        return void res.writeHead(200, { 'content-type': TYPES['.html'] }).end((await page()).replace('{{CONSENT}}', consentOf(req)))
      }
      if (path.startsWith('/dist/') || path.startsWith('/demo/')) {
        const file = normalize(join(root, path))
        if (!file.startsWith(join(root, 'dist')) && !file.startsWith(join(root, 'demo'))) return void res.writeHead(403).end()
        const body = await readFile(file)
        return void res.writeHead(200, { 'content-type': TYPES[/** @type {keyof TYPES} */ (extname(file))] || 'application/octet-stream', 'cache-control': 'no-store' }).end(body)
      }
      if (path == '/favicon.ico') return void res.writeHead(204).end()
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found')
    } catch {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found')
    }
  })
  await new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => resolve(undefined))
  })
  const actual = /** @type {import('node:net').AddressInfo} */ (server.address()).port
  return {
    url: `http://localhost:${actual}`,
    async close() {
      server.closeAllConnections()
      await new Promise((resolve) => server.close(() => resolve(undefined)))
    }
  }
}
