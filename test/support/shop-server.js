// @ts-check
// A shop for the e2e tests: serves the built dist/ files and pages that each test writes.
// One server answers both http://localhost:PORT (the shop) and http://127.0.0.1:PORT,
// which is another origin, for cross-origin navigations.
import { createServer } from 'node:http'
import { readFile } from 'node:fs/promises'
import { extname, join, normalize } from 'node:path'

const root = new URL('../..', import.meta.url).pathname
const TYPES = { '.js': 'text/javascript;charset=utf-8', '.map': 'application/json', '.html': 'text/html;charset=utf-8', '.svg': 'image/svg+xml', '.png': 'image/png', '.css': 'text/css' }

/**
 * @typedef {object} ShopPage
 * @property {string} html
 * @property {Record<string, string>} [headers] extra response headers (a Content-Security-Policy, say)
 */

/**
 * Starts the shop server on 127.0.0.1.
 * @param {{ cache?: boolean }} [options] cache: let browsers cache dist/ and bench/ files, as a
 *   shop's CDN would (the benchmark); tests leave it off, so that every load sees the latest build.
 */
export async function startTestShop({ cache = false } = {}) {
  /** @type {Map<string, ShopPage>} */
  const pages = new Map()
  let next = 0
  /** @type {string | undefined} */
  let proxyTarget
  const server = createServer(async (req, res) => {
    let path = (req.url || '/').split('?')[0] || '/'
    if (proxyTarget && path.startsWith('/esales/')) return forward(req, res, proxyTarget)
    const page = pages.get(path)
    if (page) {
      res.writeHead(200, { 'content-type': TYPES['.html'], 'cache-control': 'no-store', ...page.headers }).end(page.html)
      return
    }
    if (path.startsWith('/landing')) {
      // ?next=URL sends the visitor straight on (the benchmark's chains of navigations).
      res.writeHead(200, { 'content-type': TYPES['.html'] }).end('<!doctype html><title>landed</title><h1 id="landed">Landed</h1>' +
        '<script>var next = new URLSearchParams(location.search).get("next"); if (next) location.replace(next)</script>')
      return
    }
    // /slow/MS/dist/…: dist/ with its chunks held back for MS ms, as on a slow network. Delayed here
    // rather than by Playwright's page.route: a page with routes loses about one beacon in ten that
    // it sends just before it navigates (seen in Chromium 156 with Playwright 1.65).
    const slow = /^\/slow\/(\d+)(\/dist\/.*)$/.exec(path)
    if (slow) {
      if (!String(slow[2]).endsWith('/esales.js')) await new Promise((done) => setTimeout(done, Number(slow[1])))
      path = /** @type {string} */ (slow[2])
    }
    if (path.startsWith('/dist/') || path.startsWith('/bench/')) {
      // /bench/ serves the benchmark's bundles of the peer trackers.
      const file = normalize(join(root, path.startsWith('/bench/') ? 'test/bench/.build' + path.slice(6) : path))
      if (!file.startsWith(join(root, 'dist')) && !file.startsWith(join(root, 'test/bench/.build'))) return void res.writeHead(403).end()
      try {
        const body = await readFile(file)
        res.writeHead(200, { 'content-type': TYPES[/** @type {keyof TYPES} */ (extname(file))] || 'application/octet-stream', 'cache-control': cache ? 'max-age=3600' : 'no-store' }).end(body)
      } catch {
        res.writeHead(404).end('not found')
      }
      return
    }
    // Real widgets from the registry (test/support/widgets/), bundled on first use.
    const widget = /^\/widgets\/([\w-]+)\.js$/.exec(path)
    if (widget) {
      try {
        res.writeHead(200, { 'content-type': TYPES['.js'] }).end(await bundleWidget(/** @type {string} */ (widget[1])))
      } catch (error) {
        res.writeHead(404, { 'content-type': 'text/plain' }).end(String(error))
      }
      return
    }
    // The ESM build imports ky and nanoid by name; an import map points the page here. Swiper's
    // stylesheet and Vue's browser build are served as they are.
    const dep = /^\/node_modules\/(ky|nanoid|swiper|vue)\//.exec(path)
    if (dep) {
      const file = normalize(join(root, path))
      if (!file.startsWith(join(root, 'node_modules', /** @type {string} */ (dep[1])))) return void res.writeHead(403).end()
      try {
        res.writeHead(200, { 'content-type': TYPES[/** @type {keyof TYPES} */ (extname(file))] || TYPES['.js'] }).end(await readFile(file))
      } catch {
        res.writeHead(404).end('not found')
      }
      return
    }
    if (path == '/favicon.ico') return void res.writeHead(204).end()
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found')
  })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)))
  const port = /** @type {import('node:net').AddressInfo} */ (server.address()).port
  return {
    /** The shop's origin. */
    url: `http://localhost:${port}`,
    /** The same server as another origin. */
    otherOrigin: `http://127.0.0.1:${port}`,
    /**
     * Serves a page and returns its URL on the shop origin.
     * @param {string} html
     * @param {Record<string, string>} [headers]
     * @param {string} [path] where to serve it (default: a new /p/N)
     */
    page(html, headers, path = `/p/${++next}`) {
      pages.set(path, { html, headers })
      return `http://localhost:${port}${path}`
    },
    /**
     * The HTML served at a URL of this server.
     * @param {string} url
     */
    html: (url) => pages.get(new URL(url).pathname)?.html || '',
    /**
     * Makes /esales/* a first-party proxy to the cluster, as a shop's web server might.
     * @param {string} target the cluster's base URL
     */
    proxy(target) { proxyTarget = target },
    async close() {
      server.closeAllConnections()
      await new Promise((resolve) => server.close(() => resolve(undefined)))
    }
  }
}

/**
 * Forwards a request to the cluster, keeping the method, content type and body.
 * @param {import('node:http').IncomingMessage} req
 * @param {import('node:http').ServerResponse} res
 * @param {string} target
 */
async function forward(req, res, target) {
  /** @type {Buffer[]} */
  const chunks = []
  for await (const c of req) chunks.push(c)
  const body = Buffer.concat(chunks)
  const url = target + (req.url || '').slice('/esales'.length)
  const headers = req.headers['content-type'] ? { 'content-type': req.headers['content-type'] } : undefined
  const upstream = await fetch(url, { method: req.method, headers, body: body.length ? body : undefined })
  res.writeHead(upstream.status, { 'content-type': upstream.headers.get('content-type') || 'text/plain' }).end(await upstream.text())
}

/** @type {Map<string, Promise<string>>} */
const widgets = new Map()

/**
 * A widget page script: test/support/widgets/NAME.js or .jsx, bundled with its packages from
 * node_modules (minified, as a shop ships it), once per process.
 * @param {string} name
 */
function bundleWidget(name) {
  let built = widgets.get(name)
  if (!built) {
    built = (async () => {
      const esbuild = await import('esbuild')
      const dir = join(root, 'test/support/widgets')
      const entry = (await import('node:fs')).existsSync(join(dir, name + '.jsx')) ? name + '.jsx' : name + '.js'
      const out = await esbuild.build({
        entryPoints: [join(dir, entry)], bundle: true, minify: true, write: false, format: 'iife', target: 'chrome100',
        jsx: 'automatic', define: { 'process.env.NODE_ENV': '"production"' }, logLevel: 'silent'
      })
      return out.outputFiles[0]?.text || ''
    })()
    widgets.set(name, built)
  }
  return built
}

/** @typedef {Awaited<ReturnType<typeof startTestShop>>} Shop */
