// @ts-check
// The demo shop's server: renders the pages (with eSales-like tickets, as a shop's server
// would from an eSales response) and serves the built snippet from dist/.
import { createServer } from 'node:http'
import { readFile } from 'node:fs/promises'
import { extname, join, normalize } from 'node:path'
import { PRODUCTS, RECOMMENDED, picture, ticket } from './catalog.js'

const root = new URL('..', import.meta.url).pathname
const TYPES = { '.js': 'text/javascript;charset=utf-8', '.css': 'text/css', '.html': 'text/html;charset=utf-8', '.png': 'image/png', '.map': 'application/json' }
const SEARCH = '/demo/DESKTOP/SEARCH_PAGE/PRIMARY_LIST'

/** @param {string} s */
const escape = (s) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;')

/**
 * Starts the shop.
 * @param {{ port: number, host?: string, clusterUrl: string }} options
 * @returns {Promise<{ url: string, close: () => Promise<void> }>}
 */
export async function startDemoShop({ port, host = '127.0.0.1', clusterUrl }) {
  /** @param {string} html */
  const withCluster = (html) => html.replaceAll('http://127.0.0.1:8081', clusterUrl).replaceAll('{{LOG_URL}}', clusterUrl + '/')

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
  async function product(key) {
    const p = [...PRODUCTS, ...RECOMMENDED].find((x) => x.key == key) || { key, name: 'Trek socks', price: '£12', color: '#2f6f73', shape: /** @type {const} */ ('scarf') }
    const html = (await readFile(join(root, 'demo/product.html'), 'utf8'))
      .replaceAll('{{NAME}}', escape(p.name)).replace('{{PRICE}}', p.price).replace('{{KEY}}', escape(p.key)).replace('{{PICTURE}}', picture(p))
    return withCluster(html)
  }

  const server = createServer(async (req, res) => {
    const path = (req.url || '/').split('?')[0] || '/'
    try {
      if (path == '/' || path == '/index.html') return void res.writeHead(200, { 'content-type': TYPES['.html'] }).end(await home())
      const match = /^\/product\/([\w-]+)$/.exec(path)
      if (match) return void res.writeHead(200, { 'content-type': TYPES['.html'] }).end(await product(/** @type {string} */ (match[1])))
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
