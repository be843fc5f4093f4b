// @ts-check
// `npm run test:package`: the package as users get it, on a new user's path. Packs it (prepack
// builds dist/), installs the tarball into a fresh project, runs `npx esales-snippet cluster
// --help`, bundles a two-line app with esbuild and with Vite, clicks a tile of each in Chromium
// and sees the click arrive at the cluster from the installed package, checks that ky stays in a
// lazily loaded chunk, measures what the npm path costs an app's critical path against the
// script tag (at most 5 % more), type-checks strict TypeScript consumers of createTracker and of
// the script tag's global under bundler, nodenext and node16 resolution, runs
// `esales-snippet/server` in Node and type-checks its consumers, and runs the cluster command
// from the installed package. PACKAGE_TEST_KEEP=1 keeps the temporary project for a look.
import assert from 'node:assert/strict'
import { execFile, spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:http'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { extname, join, normalize, relative } from 'node:path'
import { pathToFileURL } from 'node:url'
import { promisify } from 'node:util'
import { gzipSync } from 'node:zlib'
import { chromium } from '@playwright/test'
import * as esbuild from 'esbuild'
import { build as viteBuild } from 'vite'
import { CHROMIUM_ARGS, findChromium } from '../support/browser.js'
import { NO_BEACON } from '../support/page.js'

const root = new URL('../..', import.meta.url).pathname
const exec = promisify(execFile)
// A string from ky's own source (its Retry-After handling) that no minifier renames.
const KY_MARKER = 'X-RateLimit-Retry-After'
const started = Date.now()
// What a shop in strict TypeScript writes. The @ts-expect-error lines fail the compile if the
// types are missing or `any`: a declaration file whose relative import does not resolve makes
// what it imports `any`, and under skipLibCheck says nothing about it.
const CONSUMER = `import { createTracker, type Tracker, type Options, type Keys, type PaymentLine } from 'esales-snippet'
import { startCluster, type MockCluster, type NotificationRecord } from 'esales-snippet/cluster'

const options: Options = { clusterId: 'w1A2B3C4D', market: 'UK', api: 'v3', consent: 'pending' }
createTracker({ endpoint: '/esales', market: 'UK', api: 'v3' })
createTracker({ clusterId: 'w1A2B3C4D', clusterHost: 'elevate-api.cloud', market: 'UK', api: 'v3', consent: 'anonymous' })
const tracker: Tracker = createTracker(options)
tracker.click('TICKET')
tracker.addToCart('TICKET')
tracker.addFavorite('P123')
tracker.addFavorite({ variantKey: 'V123' })
tracker.removeFavorite({ productKey: 'P123' })
const lines: PaymentLine[] = [{ variantKey: 'V123', quantity: 2, sellingPrice: 49.9 }]
tracker.payment(lines)
tracker.end()
// The keys that the consent level allows: both when granted, fewer below.
const keys: Partial<Keys> = tracker.keys()
const customerKey: string | undefined = keys.customerKey
if (customerKey) tracker.setCustomerKey(customerKey)
// @ts-expect-error a level below granted has no customer key: keys() may lack it
export const always: string = tracker.keys().customerKey
tracker.reset()
tracker.consent(true)
tracker.consent('unpersonalized')
tracker.consent(false)
tracker.destroy()
// @ts-expect-error a ticket is a string
tracker.click(42)
// @ts-expect-error a payment line has a quantity
tracker.payment([{ variantKey: 'V', sellingPrice: 1 }])
// @ts-expect-error market is required
createTracker({ clusterId: 'w1A2B3C4D', api: 'v3' })
// @ts-expect-error clusterId or endpoint is required
createTracker({ market: 'UK', api: 'v3' })
// @ts-expect-error no such option
createTracker({ clusterId: 'w1A2B3C4D', market: 'UK', clusterID: 'w1A2B3C4D' })
// @ts-expect-error market is a string
createTracker({ clusterId: 'w1A2B3C4D', market: 1 })
// @ts-expect-error no such method
tracker.nope()
// @ts-expect-error no such API version
createTracker({ clusterId: 'w1A2B3C4D', market: 'UK', api: 'v4' })
// @ts-expect-error no such consent level
createTracker({ clusterId: 'w1A2B3C4D', market: 'UK', consent: 'yes' })
// @ts-expect-error no such cluster host
createTracker({ clusterId: 'w1A2B3C4D', market: 'UK', clusterHost: 'api.elevate.cloud' })
// @ts-expect-error no such consent level
tracker.consent('maybe')
// @ts-expect-error the script tag's global is declared only where a page opts in (esales-snippet/global)
window.esales('click', 'TICKET')

export async function local(): Promise<NotificationRecord[]> {
  const cluster: MockCluster = await startCluster({ port: 0, host: '127.0.0.1', allowOrigins: ['http://shop.test:3000'] })
  createTracker({ endpoint: cluster.url, market: 'UK' })
  cluster.addFault({ kind: '503', count: 2, retryAfter: 2 })
  const accepted = cluster.received({ verdict: 'accepted' }).filter((r) => r.cors)
  // @ts-expect-error allowOrigins is a list of origins or '*'
  await startCluster({ allowOrigins: 'http://shop.test:3000' })
  await cluster.close()
  return accepted
}
`
// A shop's server in plain Node, run from the installed package: its exports, the keys of a
// Cookie header, their cookies, the proxy and a payment against the installed cluster.
const SERVER_RUN = `import { fileURLToPath } from 'node:url'
import * as server from 'esales-snippet/server'
import { DEFAULT_API_KEY, startCluster } from 'esales-snippet/cluster'

const { createProxy, keyCookies, readKeys, sendPayment, PaymentError } = server
const cluster = await startCluster()
try {
  const keys = readKeys('other=1; apptus.customerKey=c-1; apptus.sessionKey=s%2D1')
  const proxy = createProxy({ endpoint: cluster.url })
  const res = await proxy(new Request('http://shop.test/esales/api/storefront/v3/notifications/click?customerKey=c-1&market=PKG-SERVER&sessionKey=s-1', {
    method: 'POST', body: '{"ticket":"T"}', headers: { 'content-type': 'text/plain;charset=UTF-8', cookie: 'apptus.customerKey=c-1; apptus.sessionKey=s-1' }
  }))
  const payment = await sendPayment({ endpoint: cluster.url, apiKey: DEFAULT_API_KEY, market: 'PKG-SERVER', keys, lines: [{ variantKey: 'V1', quantity: 1, sellingPrice: 9 }] })
  const refused = await sendPayment({ endpoint: cluster.url, apiKey: 'wrong-key', market: 'PKG-SERVER', keys, lines: [{ variantKey: 'V1', quantity: 1, sellingPrice: 9 }] }).catch((e) => e)
  console.log(JSON.stringify({
    resolved: fileURLToPath(import.meta.resolve('esales-snippet/server')),
    exports: Object.keys(server).sort(),
    keys,
    cookies: keyCookies(keys, { domain: 'shop.example' }),
    proxy: [res.status, res.headers.getSetCookie().length],
    payment,
    records: cluster.received({ market: 'PKG-SERVER' }).map((r) => [r.type, r.source, r.verdict, r.customerKey]),
    refused: [refused.name, refused.status, refused.attempts, refused instanceof PaymentError && refused.message.includes('wrong-key')]
  }))
} finally {
  await cluster.close()
}
`

// The server entry's types as a web-standard server uses them (Next.js route handlers): the DOM's
// Request and Response, no @types/node.
const SERVER_WEB_CONSUMER = `import { createProxy, keyCookies, readKeys, sendPayment, withKeyCookies, PaymentError, type ConsentLevel, type KeyState, type PaymentLine, type PaymentResult } from 'esales-snippet/server'

export const POST: (request: Request) => Promise<Response> = createProxy({ clusterId: 'w1A2B3C4D', basePath: '/esales' })
export const GET = withKeyCookies(async (request: Request, state: KeyState, context: { params: Promise<{ id: string }> }) => {
  const { id } = await context.params
  const customerKey: string | undefined = state.keys.customerKey
  return new Response(\`\${id} \${customerKey ?? ''} \${request.url}\`)
}, { consent: (request) => (request.headers.get('x-consent') ?? 'pending') as ConsentLevel, domain: 'shop.example' })
const cookies: string[] = keyCookies(readKeys(new Headers()), { consent: 'unpersonalized', secure: false })
const lines: PaymentLine[] = [{ variantKey: 'V1', quantity: 2, sellingPrice: 39, cost: 15.2 }, { productKey: 'P2', quantity: 1, sellingPrice: 5 }, { variantKey: 'V3', quantity: 1, sellingPrice: 5, cost: null }]
export async function pay(request: Request): Promise<number> {
  try {
    const result: PaymentResult = await sendPayment({ clusterId: 'w1A2B3C4D', apiKey: 'k', market: 'UK', keys: readKeys(request), lines, version: 'v4' })
    return result.status + result.attempts + cookies.length
  } catch (error) {
    if (error instanceof PaymentError) return error.status
    throw error
  }
}
// @ts-expect-error a line has a variantKey or a productKey, not both
const both: PaymentLine = { variantKey: 'V', productKey: 'P', quantity: 1, sellingPrice: 1 }
// @ts-expect-error quantity is a number
const text: PaymentLine = { variantKey: 'V', quantity: '1', sellingPrice: 1 }
// @ts-expect-error clusterId or endpoint, not both
createProxy({ clusterId: 'w1', endpoint: 'http://127.0.0.1:8081' })
export const ELEVATE: (request: Request) => Promise<Response> = createProxy({ clusterId: 'w1A2B3C4D', clusterHost: 'elevate-api.cloud', renewCookies: false })
// @ts-expect-error clusterHost goes with clusterId, not with an endpoint
createProxy({ endpoint: 'http://127.0.0.1:8081', clusterHost: 'elevate-api.cloud' })
// @ts-expect-error no such cluster host
sendPayment({ clusterId: 'w1', clusterHost: 'evil.example', apiKey: 'k', market: 'UK', keys: {}, lines })
// @ts-expect-error no such consent level
keyCookies({}, { consent: 'yes' })
// @ts-expect-error the API key is required
sendPayment({ clusterId: 'w1', market: 'UK', keys: {}, lines })
// @ts-expect-error readKeys takes a header, Headers, a Request or a Node request
readKeys(42)
// @ts-expect-error no such version
sendPayment({ clusterId: 'w1', apiKey: 'k', market: 'UK', keys: {}, lines, version: 'v2' })
export { both, text }
`

// The same entry under Node's http with @types/node, and no DOM types at all.
const SERVER_NODE_CONSUMER = `import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { createProxy, keysMiddleware, readKeys, toNodeHandler, type KeyState } from 'esales-snippet/server'

const keys = keysMiddleware<IncomingMessage>({ consent: (req) => (req.headers['x-consent'] == 'no' ? 'denied' : 'granted'), domain: 'shop.example' })
const proxy = toNodeHandler(createProxy({ endpoint: 'http://127.0.0.1:8081' }))
export const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
  if (req.url?.startsWith('/esales/')) return proxy(req, res)
  const state: KeyState = await keys(req, res)
  const fromHeader: string | undefined = readKeys(req).sessionKey
  res.end(\`\${state.keys.customerKey ?? ''} \${fromHeader ?? ''}\`)
})
export async function page(req: IncomingMessage, res: ServerResponse): Promise<unknown> {
  const state = await keys(req, res)
  // @ts-expect-error the middleware's state has no such field
  return state.nope
}
`

// What the examples of docs/server.md and of the README's "On your server" take as the shop's
// own: its app, pages, consent decision, orders and database, and the few names of Next.js they
// use. Only the shop's side is declared here: every name of the package comes from its types.
const DOCS_SHOP = `declare const app: import('express').Express
declare const req: import('node:http').IncomingMessage
declare const request: Request
declare const response: Response
declare function renderPage(keys: Partial<import('esales-snippet/server').Keys>): string
declare function page(req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse): void
declare function consentLevel(req: import('esales-snippet/server').NodeRequest): import('esales-snippet/server').ConsentLevel
interface OrderLine { sku: string; quantity: number; unitPrice: number; unitCost: number | null }
interface Order { id: string; lines: OrderLine[] }
declare function placeOrder(body: unknown): Promise<Order>
declare const db: {
  paymentsSent: {
    insertIfAbsent(row: { orderId: string; state: string }): Promise<boolean>
    update(where: { orderId: string }, set: { state: string }): Promise<void>
    delete(where: { orderId: string }): Promise<void>
  }
}
declare module '@/lib/esales' {
  export const cookies: import('esales-snippet/server').CookieOptions
}
declare module 'next/server' {
  export class NextRequest extends Request { readonly cookies: { get(name: string): { name: string; value: string } | undefined } }
  export class NextResponse extends Response { static next(): NextResponse }
}
`

/**
 * The code examples of a Markdown text: each js and ts block, with the line it starts on; a block
 * after a line `<!-- not compiled: … -->` (signatures, say) is left out.
 * @param {string} markdown
 * @returns {{ line: number, code: string }[]}
 */
function examples(markdown) {
  const lines = markdown.split('\n')
  /** @type {{ line: number, code: string }[]} */
  const out = []
  for (let i = 0; i < lines.length; i++) {
    if (!/^```(js|ts)$/.test(lines[i] ?? '') || /^<!-- not compiled:/.test(lines[i - 1] ?? '')) continue
    const end = lines.indexOf('```', i + 1)
    out.push({ line: i + 1, code: lines.slice(i + 1, end).join('\n') })
    i = end
  }
  return out
}

// A page with the script tag, in TypeScript: one reference line declares window.esales, with the
// command form typed command by command.
const GLOBAL_CONSUMER = `/// <reference types="esales-snippet/global" />
import type { Keys } from 'esales-snippet'

esales('consent', 'anonymous')
esales('consent', true)
esales('setCustomerKey', 'c-123')
esales('click', 'TICKET')
window.esales('addToCart', 'TICKET')
esales('addFavorite', { variantKey: 'V123' })
esales('removeRecentSearches', 'removeAll')
const keys: Partial<Keys> | undefined = esales('keys')
esales.click('TICKET')
const loaded: Partial<Keys> = esales.keys()
export const both = [keys, loaded]
// @ts-expect-error no such command
esales('addTocart', 'TICKET')
// @ts-expect-error no such command
esales('setCustomerkey', 'c-123')
// @ts-expect-error a ticket is a string
esales('click', 42)
// @ts-expect-error setCustomerKey takes a key
esales('setCustomerKey')
// @ts-expect-error no such consent level
esales('consent', 'maybe')
// @ts-expect-error no such method
esales.nope()
`
// What the npm path may cost an app's critical path, as a share of the script tag's gzip bytes.
const NPM_PATH_MAX = 1.05
const tmp = mkdtempSync(join(tmpdir(), 'esales-package-'))
let passed = 0
let failed = 0

/**
 * Runs one check and prints it; a failing check is counted and the rest still run.
 * @param {string} name @param {() => Promise<void>} fn
 * @returns {Promise<boolean>} whether it passed
 */
async function check(name, fn) {
  const t0 = Date.now()
  try {
    await fn()
    passed++
    console.log(`  ✓ ${name} (${Date.now() - t0} ms)`)
    return true
  } catch (error) {
    failed++
    const e = /** @type {Error} */ (error)
    console.log(`  ✘ ${name} (${Date.now() - t0} ms)\n      ${String(e.stack || e.message).split('\n').slice(0, 12).join('\n      ')}`)
    return false
  }
}

/**
 * Runs a command to its end; throws with its output when it fails.
 * @param {string} cmd @param {string[]} args @param {string} cwd
 */
async function sh(cmd, args, cwd) {
  try {
    return await exec(cmd, args, { cwd, maxBuffer: 16 << 20, env: { ...process.env, npm_config_update_notifier: 'false' } })
  } catch (error) {
    const e = /** @type {any} */ (error)
    throw new Error(`${cmd} ${args.join(' ')} failed (${e.code}):\n${e.stdout || ''}${e.stderr || ''}`)
  }
}

/**
 * Polls `read` until it returns something other than undefined; throws at the deadline.
 * @template T @param {() => T | undefined | Promise<T | undefined>} read @param {string} what @param {number} [ms]
 * @returns {Promise<T>}
 */
async function until(read, what, ms = 10_000) {
  const deadline = Date.now() + ms
  for (;;) {
    const value = await read()
    if (value !== undefined) return value
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`)
    await new Promise((done) => setTimeout(done, 50))
  }
}

/** @param {string} dir @returns {string[]} paths relative to dir */
function walk(dir) {
  return readdirSync(dir).flatMap((name) => statSync(join(dir, name)).isDirectory()
    ? walk(join(dir, name)).map((f) => `${name}/${f}`)
    : [name])
}

/**
 * Serves a folder on 127.0.0.1; pages are opened as http://localhost:PORT (the shop's origin).
 * @param {string} dir
 */
async function serve(dir) {
  const types = /** @type {Record<string, string>} */ ({ '.html': 'text/html;charset=utf-8', '.js': 'text/javascript;charset=utf-8' })
  const server = createServer((req, res) => {
    const path = (req.url || '/').split('?')[0] || '/'
    const file = normalize(join(dir, path == '/' ? 'index.html' : decodeURIComponent(path)))
    if (!file.startsWith(dir)) return void res.writeHead(403).end()
    /** @type {Buffer} */
    let body
    try {
      body = readFileSync(file)
    } catch {
      return void res.writeHead(404).end('not found')
    }
    res.writeHead(200, { 'content-type': types[extname(file)] || 'application/octet-stream' }).end(body)
  })
  await new Promise((done) => server.listen(0, '127.0.0.1', () => done(undefined)))
  const port = /** @type {import('node:net').AddressInfo} */ (server.address()).port
  return { port, url: `http://localhost:${port}`, close: () => new Promise((done) => server.close(() => done(undefined))) }
}

/**
 * One emitted JavaScript file of a bundle.
 * @typedef {{ file: string, code: string, isEntry: boolean, imports: string[] }} Chunk
 */

/**
 * The chunks a page loads before any dynamic import(): the entry and what it imports statically.
 * @param {Chunk[]} chunks
 */
function eager(chunks) {
  const byFile = new Map(chunks.map((c) => [c.file, c]))
  const seen = new Set(chunks.filter((c) => c.isEntry).map((c) => c.file))
  const queue = [...seen]
  for (let f = queue.shift(); f; f = queue.shift()) {
    for (const i of byFile.get(f)?.imports || []) if (!seen.has(i)) { seen.add(i); queue.push(i) }
  }
  return seen
}

/**
 * Bundles `app.js` of a folder with esbuild as an app does (ESM, code splitting, minified) into
 * `out-esbuild`, and returns its chunks.
 * @param {string} dir @param {Record<string, string>} [define]
 * @returns {Promise<Chunk[]>}
 */
async function esbuildApp(dir, define) {
  const result = await esbuild.build({
    absWorkingDir: dir, entryPoints: ['app.js'], bundle: true, format: 'esm', splitting: true, minify: true,
    outdir: 'out-esbuild', metafile: true, define, logLevel: 'silent'
  })
  return Object.entries(result.metafile.outputs).filter(([f]) => f.endsWith('.js')).map(([f, o]) => ({
    // A lazily imported module is an entry point of its own to esbuild: only app.js is the page's.
    file: relative('out-esbuild', f), code: readFileSync(join(dir, f), 'utf8'), isEntry: o.entryPoint == 'app.js',
    imports: o.imports.filter((i) => i.kind == 'import-statement').map((i) => relative('out-esbuild', i.path))
  }))
}

/**
 * Builds the `index.html` of a folder with Vite's defaults into `out-vite`, and returns its chunks.
 * @param {string} dir @param {Record<string, string>} [define]
 * @returns {Promise<Chunk[]>}
 */
async function viteApp(dir, define) {
  const result = await viteBuild({ root: dir, configFile: false, logLevel: 'silent', define, build: { outDir: 'out-vite', emptyOutDir: true } })
  const outputs = (Array.isArray(result) ? result : [result]).flatMap((r) => /** @type {import('vite').Rollup.RollupOutput} */ (r).output)
  return outputs.filter((o) => o.type == 'chunk').map((o) => {
    const c = /** @type {import('vite').Rollup.OutputChunk} */ (o)
    return { file: c.fileName, code: c.code, isEntry: c.isEntry, imports: c.imports }
  })
}

/** @param {string | Buffer} code */
const gzip = (code) => gzipSync(code, { level: 9 }).length

/**
 * An app's critical path in gzip bytes: each chunk that loads before any import(), compressed on
 * its own, as the browser fetches it.
 * @param {Chunk[]} chunks
 */
const criticalPath = (chunks) => [...eager(chunks)].reduce((sum, file) => sum + gzip(/** @type {Chunk} */ (chunks.find((c) => c.file == file)).code), 0)

console.log(`package: in ${tmp}`)
/** @type {import('../../cluster/server.js').MockCluster | undefined} */
let cluster
/** @type {import('@playwright/test').Browser | undefined} */
let browser
try {
  /** @type {string[]} */
  let installed = []
  const installedOk = await check('npm pack (prepack builds dist/) and npm install the tarball into a fresh project', async () => {
    await sh('npm', ['pack', '--pack-destination', tmp, '--silent'], root)
    const tarballs = readdirSync(tmp).filter((f) => f.endsWith('.tgz'))
    assert.equal(tarballs.length, 1, `one tarball in ${tmp}: ${tarballs}`)
    writeFileSync(join(tmp, 'package.json'), JSON.stringify({ name: 'shop', private: true, type: 'module' }))
    // --engine-strict: a dependency whose "engines" refuses a Node that ours accepts fails the
    // install (nanoid 6 wants Node 22, the package says >=20). It checks the Node that runs this
    // test, so it holds the line where that is the lowest Node the package accepts.
    await sh('npm', ['install', `./${tarballs[0]}`, '--engine-strict', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], tmp)
    // npm extracts the tarball as it is: this is the list of files that `npm pack` shipped.
    installed = walk(join(tmp, 'node_modules/esales-snippet'))
  })
  // Nothing else can run without the package.
  if (!installedOk) throw new Error('could not pack and install the package')

  await check('the tarball holds the bundles, the public types, the cluster, the README and the LICENSE, and no tests or sources', async () => {
    for (const f of ['package.json', 'README.md', 'LICENSE', 'dist/esales.js', 'dist/esales-fallback.js', 'dist/esales-ads.js', 'dist/index.js',
      'dist/chunks/fallback.js', 'dist/chunks/ads.js', 'dist/index.d.ts', 'dist/global.d.ts', 'dist/server/index.js', 'dist/server/index.d.ts',
      'cluster/server.js', 'cluster/cli.js', 'cluster/contract.js', 'cluster/admin.js', 'cluster/cors.js', 'cluster/fate.js', 'cluster/log-page.js',
      'dist/cluster/server.d.ts']) {
      assert.ok(installed.includes(f), `${f} is in the package`)
    }
    const chunks = installed.filter((f) => f.startsWith('dist/chunks/') && f.endsWith('.js'))
    assert.ok(chunks.length > 0, 'dist/chunks/*.js are in the package')
    // Every relative import of the ESM build (index.js and its chunks), static or lazy, is shipped.
    const pkgDir = join(tmp, 'node_modules/esales-snippet')
    for (const js of installed.filter((f) => f.startsWith('dist/') && f.endsWith('.js') && !f.startsWith('dist/esales') && !f.startsWith('dist/server/'))) {
      for (const [, spec] of readFileSync(join(pkgDir, js), 'utf8').matchAll(/(?:from|import\()\s*["'](\.[^"']+)["']/g)) {
        assert.ok(installed.includes(normalize(join(js, '..', /** @type {string} */ (spec)))), `${js} imports ${spec}, which is in the package`)
      }
    }
    const unwanted = installed.filter((f) => /^(src|test|build|demo)\//.test(f) || /\.(test|spec)\.[jt]s$/.test(f) || (f.endsWith('.ts') && !f.endsWith('.d.ts')))
    assert.deepEqual(unwanted, [], 'no tests, sources or build scripts')
    // Only the declarations that the public API reaches: tsc also emits one per internal module.
    const declarations = installed.filter((f) => f.endsWith('.d.ts'))
    const reached = await import(pathToFileURL(join(root, 'build/build.js')).href)
      .then((b) => b.reachable([join(pkgDir, 'dist/index.d.ts'), join(pkgDir, 'dist/global.d.ts'), join(pkgDir, 'dist/server/index.d.ts'), join(pkgDir, 'dist/cluster/server.d.ts')]))
    assert.deepEqual(declarations.sort(), [...reached].map((f) => relative(pkgDir, f)).sort(), 'every shipped .d.ts is reachable from a public entry')
    // The snippet's public types are one file of their own: none of the internals' declarations ship.
    assert.deepEqual(declarations.filter((f) => !f.startsWith('dist/cluster/') && !f.startsWith('dist/server/')).sort(), ['dist/api.d.ts', 'dist/global.d.ts', 'dist/index.d.ts'],
      "the snippet's declarations: the entry, the script tag's global and the public types")
    // The server entry's declarations are its own folder's: the page's internals ship none.
    assert.ok(declarations.includes('dist/server/index.d.ts'), 'dist/server/index.d.ts is in the package')
    // The server entry is one file that imports only ky; nothing of the page's bundle is in it.
    const serverJs = readFileSync(join(pkgDir, 'dist/server/index.js'), 'utf8')
    assert.deepEqual([...serverJs.matchAll(/^import .* from ["']([^"']+)["']/gm)].map((m) => m[1]), ['ky'], 'dist/server/index.js imports ky only')
    assert.ok(!/\b(document|window|localStorage|navigator)\./.test(serverJs), 'no browser globals in dist/server/index.js')
    const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'))
    assert.match(readFileSync(join(pkgDir, 'LICENSE'), 'utf8'), /^MIT License\n\nCopyright \(c\) 2026 esales-snippet contributors\n/)
    // npx finds a package's command by the package's name: `npx esales-snippet cluster`.
    assert.deepEqual(pkg.bin, { 'esales-snippet': 'cluster/cli.js', 'esales-snippet-cluster': 'cluster/cli.js' })
    assert.match(readFileSync(join(pkgDir, 'cluster/cli.js'), 'utf8'), /^#!\/usr\/bin\/env node\n/)
  })

  await check('npx esales-snippet cluster --help, and its other name esales-snippet-cluster, from the installed package', async () => {
    // --no: never from the registry, only the installed package's bin.
    for (const command of [['esales-snippet', 'cluster'], ['esales-snippet-cluster']]) {
      const { stdout } = await sh('npx', ['--no', '--', ...command, '--help'], tmp)
      assert.match(stdout, /^Usage: npx esales-snippet cluster \[options\]\n\s+npx esales-snippet-cluster \[options\]/, command.join(' '))
      assert.match(stdout, /--allow-origin/)
    }
  })

  // The cluster from the installed package, through its `esales-snippet/cluster` export.
  const clusterModule = createRequire(join(tmp, 'package.json')).resolve('esales-snippet/cluster')
  assert.equal(clusterModule, join(tmp, 'node_modules/esales-snippet/cluster/server.js'))
  /** @type {typeof import('../../cluster/server.js')} */
  const { startCluster } = await import(pathToFileURL(clusterModule).href)
  // Default options: pages on localhost are allowed, as a shop's dev site is.
  cluster = await startCluster()
  const endpoint = cluster.url
  writeFileSync(join(tmp, 'app.js'), "import { createTracker } from 'esales-snippet'\ncreateTracker({ endpoint: CLUSTER, market: MARKET })\n")
  /** @param {string} market */
  const define = (market) => ({ CLUSTER: JSON.stringify(endpoint), MARKET: JSON.stringify(market) })
  // Each check gives the tile a ticket of its own; the app's market is fixed at build time.
  const html = '<!doctype html><html><head><meta charset="utf-8"><title>shop</title><script type="module" src="/app.js"></script></head>' +
    '<body><article id="tile" data-esales-ticket="TICKET"><a href="#p">a product</a></article></body></html>'

  /** @type {{ name: string, dir: string, market: string, chunks: Chunk[] }[]} */
  const bundles = []
  await check('esbuild bundles the app (esm, splitting) from the installed package', async () => {
    const chunks = await esbuildApp(tmp, define('PKG-esbuild'))
    writeFileSync(join(tmp, 'out-esbuild/index.html'), html)
    bundles.push({ name: 'esbuild', dir: join(tmp, 'out-esbuild'), market: 'PKG-esbuild', chunks })
  })
  await check('Vite builds the app (vite build of an index.html) from the installed package', async () => {
    writeFileSync(join(tmp, 'index.html'), html)
    const chunks = await viteApp(tmp, define('PKG-vite'))
    assert.ok(chunks.length > 0, 'Vite emitted chunks')
    bundles.push({ name: 'Vite', dir: join(tmp, 'out-vite'), market: 'PKG-vite', chunks })
  })

  for (const b of bundles) {
    await check(`${b.name}: ky is in a lazily loaded chunk, not in the entry or what it imports statically`, async () => {
      const loaded = eager(b.chunks)
      assert.ok(loaded.size > 0, 'an entry chunk')
      const withKy = b.chunks.filter((c) => c.code.includes(KY_MARKER)).map((c) => c.file)
      assert.equal(withKy.length, 1, `one chunk has ky: ${withKy}`)
      assert.ok(!loaded.has(/** @type {string} */ (withKy[0])), `ky's chunk ${withKy[0]} is not loaded eagerly (${[...loaded]})`)
    })
  }

  // The npm path's cost to an app: what it loads before its first import() with the snippet, less
  // what the same app loads without it. Vite adds its preload helper (the code behind each
  // import(): modulepreload links, CSS) at an app's first import(), which an app that splits its
  // own code has already: measured both ways.
  const tag = gzip(readFileSync(join(tmp, 'node_modules/esales-snippet/dist/esales.js')))
  const limit = Math.floor(tag * NPM_PATH_MAX)
  const SNIPPET = "import { createTracker } from 'esales-snippet'\ncreateTracker({ clusterId: 'w1A2B3C4D', market: 'UK', api: 'v3' })\n"
  const ROUTE = "import('./route.js').then((m) => { document.title = m.title })\n"
  const APPS = /** @type {const} */ ({ snippet: SNIPPET, none: '', 'route+snippet': ROUTE + SNIPPET, route: ROUTE })
  /** @type {Record<'esbuild' | 'Vite', Record<keyof APPS, number>>} */
  const paths = { esbuild: { snippet: 0, none: 0, 'route+snippet': 0, route: 0 }, Vite: { snippet: 0, none: 0, 'route+snippet': 0, route: 0 } }
  const measured = await check('the npm path: esbuild and Vite build an app that only calls createTracker, one that also loads a route of its own, and each without the snippet', async () => {
    for (const [name, code] of Object.entries(APPS)) {
      const dir = join(tmp, 'size', name)
      mkdirSync(dir, { recursive: true })
      writeFileSync(join(dir, 'app.js'), code)
      writeFileSync(join(dir, 'route.js'), "export const title = 'a route'\n")
      writeFileSync(join(dir, 'index.html'), '<!doctype html><html><head><script type="module" src="/app.js"></script></head><body></body></html>')
      paths.esbuild[/** @type {keyof APPS} */ (name)] = criticalPath(await esbuildApp(dir))
      paths.Vite[/** @type {keyof APPS} */ (name)] = criticalPath(await viteApp(dir))
    }
  })
  if (measured) {
    const { esbuild: e, Vite: v } = paths
    const within = `at most ${limit} B (the script tag's ${tag} B + ${Math.round((NPM_PATH_MAX - 1) * 100)} %)`
    await check(`esbuild: an app that only calls createTracker loads ${e.snippet - e.none} B gzip more before its first import() (${e.snippet} B, ${e.none} B without the snippet), ${within}`, async () => {
      assert.ok(e.snippet - e.none <= limit)
    })
    await check(`esbuild: an app that also loads a route of its own: ${e['route+snippet'] - e.route} B more (${e['route+snippet']} B, ${e.route} B without the snippet), ${within}`, async () => {
      assert.ok(e['route+snippet'] - e.route <= limit)
    })
    await check(`Vite: an app that also loads a route of its own: ${v['route+snippet'] - v.route} B more (${v['route+snippet']} B, ${v.route} B without the snippet), ${within}`, async () => {
      assert.ok(v['route+snippet'] - v.route <= limit)
    })
    // Vite's preload helper, as an app's first import() brings it (with the route's few bytes).
    const helper = v.route - v.none
    await check(`Vite: an app whose only import() is the snippet's: ${v.snippet - v.none} B more (${v.snippet} B, ${v.none} B without the snippet), of which about ${helper} B is Vite's preload helper: ${within}, plus the helper`, async () => {
      assert.ok(v.snippet - v.none <= limit + helper)
    })
  }

  browser = await chromium.launch({ executablePath: findChromium(), args: CHROMIUM_ARGS })
  for (const b of bundles) {
    const site = await serve(b.dir)
    const kyChunk = b.chunks.find((c) => c.code.includes(KY_MARKER))?.file
    const entry = b.chunks.find((c) => c.isEntry)?.file
    try {
      for (const beacon of [true, false]) {
        const how = beacon ? 'with sendBeacon, no ky chunk is fetched' : 'without sendBeacon, the ky chunk is fetched and ky delivers'
        await check(`${b.name}: a click on a tile arrives at the cluster; ${how}`, async () => {
          const context = await /** @type {import('@playwright/test').Browser} */ (browser).newContext()
          try {
            if (!beacon) await context.addInitScript(NO_BEACON)
            const page = await context.newPage()
            /** @type {string[]} */
            const scripts = []
            /** @type {string[]} */
            const errors = []
            page.on('request', (r) => { if (r.resourceType() == 'script') scripts.push(new URL(r.url()).pathname.slice(1)) })
            page.on('pageerror', (e) => errors.push(String(e)))
            const ticket = `TICKET-${b.name}-${beacon ? 'beacon' : 'ky'}`
            await page.goto(`${site.url}/`)
            await page.evaluate((t) => { /** @type {HTMLElement} */ (document.getElementById('tile')).dataset.esalesTicket = t }, ticket)
            await page.click('#tile a')
            const got = await until(() => cluster?.received({ market: b.market }).find((r) => r.ticket == ticket), `${ticket} at the cluster`)
            assert.equal(got.verdict, 'accepted', got.reason)
            assert.equal(got.origin, site.url)
            assert.equal(got.cors, true, 'a localhost page gets CORS headers by default')
            assert.ok(scripts.includes(/** @type {string} */ (entry)), `the entry ${entry} was requested (${scripts})`)
            if (beacon) assert.ok(!scripts.includes(/** @type {string} */ (kyChunk)), `ky's chunk ${kyChunk} was not requested (${scripts})`)
            else assert.ok(scripts.includes(/** @type {string} */ (kyChunk)), `ky's chunk ${kyChunk} was requested (${scripts})`)
            assert.deepEqual(errors, [])
          } finally {
            await context.close()
          }
        })
      }
    } finally {
      await site.close()
    }
  }

  await check("the installed cluster's CORS in Chromium: a localhost or *.localhost page's fetch works, another origin's only when allowed", async () => {
    const site = await serve(join(tmp, 'out-esbuild'))
    // www.shop.test and checkout.shop.test resolve to this machine (CHROMIUM_ARGS).
    const c = await startCluster({ allowOrigins: [`http://www.shop.test:${site.port}`] })
    const page = await /** @type {import('@playwright/test').Browser} */ (browser).newPage()
    try {
      /** @param {string} origin @param {string} ticket */
      const post = async (origin, ticket) => {
        await page.goto(`${origin}/`)
        return page.evaluate(([url, t]) => fetch(`${url}/api/v2/notifications/click?customerKey=c&market=PKG-cors&sessionKey=s`, {
          method: 'POST', body: JSON.stringify({ ticket: t }), headers: { 'content-type': 'text/plain;charset=UTF-8' }
        }).then((r) => String(r.status), (e) => e.name), [c.url, ticket])
      }
      const results = [
        await post(site.url, 'LOCAL'),
        // Chromium resolves every *.localhost name to this machine itself (RFC 6761 §6.3), no host rule needed.
        await post(`http://shop.localhost:${site.port}`, 'SUB-LOCAL'),
        await post(`http://www.shop.test:${site.port}`, 'ALLOWED'),
        await post(`http://checkout.shop.test:${site.port}`, 'OTHER')
      ]
      assert.deepEqual(results, ['204', '204', '204', 'TypeError'])
      const arrived = c.received({ market: 'PKG-cors' }).map((r) => [r.ticket, r.verdict, r.cors])
      assert.deepEqual(arrived, [['LOCAL', 'accepted', true], ['SUB-LOCAL', 'accepted', true], ['ALLOWED', 'accepted', true], ['OTHER', 'accepted', false]],
        'all arrive; the one from an origin not allowed was answered without CORS headers')
    } finally {
      await page.close()
      await c.close()
      await site.close()
    }
  })

  writeFileSync(join(tmp, 'consumer.ts'), CONSUMER)
  writeFileSync(join(tmp, 'global-consumer.ts'), GLOBAL_CONSUMER)
  // bundler: Vite, esbuild and webpack projects. nodenext: what tsc --init writes (TypeScript 5.9),
  // under which a relative import in a "type": "module" package needs its extension (TS2834), in
  // .d.ts files too; tsc --init also sets skipLibCheck, which hides that error and leaves `any`.
  // node16: the same rules, for projects that pinned them. Each consumer compiles on its own:
  // the global is declared only where a file opts in.
  /** @type {[string, string, boolean][]} */
  // node10 (`"moduleResolution": "node"`, older set-ups) finds the subpaths through typesVersions.
  const consumers = [['esnext', 'bundler', false], ['nodenext', 'nodenext', false], ['node16', 'node16', false], ['nodenext', 'nodenext', true], ['esnext', 'node10', false]]
  for (const [module, moduleResolution, skipLibCheck] of consumers) {
    await check(`the types compile in strict TypeScript consumers of createTracker and of the script tag's global (moduleResolution ${moduleResolution}, skipLibCheck ${skipLibCheck}), and are not any`, async () => {
      await Promise.all(['consumer', 'global-consumer'].map((file) => {
        const config = join(tmp, `tsconfig.${file}.${moduleResolution}${skipLibCheck ? '.skiplibcheck' : ''}.json`)
        writeFileSync(config, JSON.stringify({
          compilerOptions: {
            strict: true, noEmit: true, module, moduleResolution, target: 'es2022',
            lib: ['es2022', 'dom', 'dom.iterable'], types: [], skipLibCheck, noUncheckedIndexedAccess: true
          },
          files: [`${file}.ts`]
        }))
        return sh(join(root, 'node_modules/.bin/tsc'), ['-p', config], tmp)
      }))
    })
  }

  await check('esales-snippet/server runs in Node from the installed package: readKeys, keyCookies, createProxy and sendPayment against the installed cluster', async () => {
    writeFileSync(join(tmp, 'server-run.mjs'), SERVER_RUN)
    const { stdout } = await sh(process.execPath, ['server-run.mjs'], tmp)
    const got = JSON.parse(stdout)
    assert.equal(got.resolved, join(tmp, 'node_modules/esales-snippet/dist/server/index.js'))
    assert.deepEqual(got.exports, ['MAX_BODY', 'PaymentError', 'createProxy', 'keyCookies', 'keysMiddleware', 'readKeys', 'sendPayment', 'toNodeHandler', 'withKeyCookies'])
    assert.deepEqual(got.keys, { customerKey: 'c-1', sessionKey: 's-1' })
    assert.deepEqual(got.cookies, ['apptus.customerKey=c-1; Max-Age=31536000; Path=/; SameSite=Lax; Secure; Domain=shop.example', 'apptus.sessionKey=s-1; Max-Age=1800; Path=/; SameSite=Lax; Secure; Domain=shop.example'])
    assert.deepEqual(got.proxy, [204, 2])
    assert.deepEqual(got.payment, { status: 204, attempts: 1 })
    assert.deepEqual(got.records, [['click', 'browser', 'accepted', 'c-1'], ['payment', 'server', 'accepted', 'c-1'], ['payment', 'server', 'rejected', 'c-1']])
    assert.deepEqual(got.refused, ['PaymentError', 403, 1, false])
  })

  writeFileSync(join(tmp, 'server-web.ts'), SERVER_WEB_CONSUMER)
  writeFileSync(join(tmp, 'server-node.ts'), SERVER_NODE_CONSUMER)
  /** @type {[string, string, Record<string, unknown>][]} */
  const serverConsumers = [
    ['server-web.ts', 'nodenext', { lib: ['es2022', 'dom', 'dom.iterable'], types: [] }],
    ['server-node.ts', 'nodenext', { lib: ['es2022'], types: ['node'], typeRoots: [join(root, 'node_modules/@types')] }],
    ['server-web.ts', 'node16', { lib: ['es2022', 'dom', 'dom.iterable'], types: [] }],
    ['server-web.ts', 'node10', { lib: ['es2022', 'dom', 'dom.iterable'], types: [], module: 'esnext' }]
  ]
  for (const [file, resolution, extra] of serverConsumers) {
    const what = file == 'server-node.ts' ? "Node's http with @types/node and no DOM" : 'web-standard Request/Response with the DOM types and no @types/node'
    await check(`esales-snippet/server's types compile under ${resolution} (skipLibCheck false): ${what}, and are not any`, async () => {
      const config = join(tmp, `tsconfig.${file}.${resolution}.json`)
      writeFileSync(config, JSON.stringify({
        compilerOptions: { strict: true, noEmit: true, module: resolution, moduleResolution: resolution, target: 'es2022', skipLibCheck: false, noUncheckedIndexedAccess: true, exactOptionalPropertyTypes: true, ...extra },
        files: [file]
      }))
      await sh(join(root, 'node_modules/.bin/tsc'), ['-p', config], tmp)
    })
  }

  await check('every example of docs/server.md and of the README\'s "On your server" compiles in a strict TypeScript project under nodenext, against the installed package', async () => {
    // The README's section only, as blank lines before it: its lines keep their numbers.
    const readme = readFileSync(join(root, 'README.md'), 'utf8')
    const start = readme.indexOf('## On your server')
    const section = '\n'.repeat(readme.slice(0, start).split('\n').length - 1) + readme.slice(start, readme.indexOf('\n## ', start + 3))
    const sources = [['docs/server.md', readFileSync(join(root, 'docs/server.md'), 'utf8')], ['README.md', section]]
    const files = ['docs-shop.d.ts']
    writeFileSync(join(tmp, 'docs-shop.d.ts'), DOCS_SHOP)
    for (const [doc, text] of sources) {
      const found = examples(/** @type {string} */ (text))
      assert.ok(found.length > 0, `examples in ${doc}`)
      for (const { line, code } of found) {
        // Named after where it is, so that tsc's message points at the doc's line.
        const file = `docs-${/** @type {string} */ (doc).replace(/\W/g, '-')}-line-${line}.ts`
        writeFileSync(join(tmp, file), code + '\nexport {}\n')
        files.push(file)
      }
    }
    const config = join(tmp, 'tsconfig.docs.json')
    writeFileSync(config, JSON.stringify({
      compilerOptions: {
        strict: true, noEmit: true, module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', lib: ['es2022'], types: ['node'],
        typeRoots: [join(root, 'node_modules/@types')],
        // Express's types, from this repository (a devDependency); what they import resolves beside them.
        paths: { express: [join(root, 'node_modules/@types/express/index.d.ts')] },
        // The examples are under test, not Express's types (the package's own are, above, with skipLibCheck false).
        skipLibCheck: true
      },
      files
    }))
    await sh(join(root, 'node_modules/.bin/tsc'), ['-p', config], tmp)
  })

  await check('npx esales-snippet cluster from the installed package: prints its URL and a v3 script tag, takes a notification, stops on Ctrl-C', async () => {
    // A process group of its own: Ctrl-C in a terminal signals npx and the cluster together.
    const child = spawn('npx', ['--no', '--', 'esales-snippet', 'cluster', '--port', '0'], { cwd: tmp, detached: true, stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    child.stdout.on('data', (c) => { out += c })
    child.stderr.on('data', (c) => { out += c })
    const exited = new Promise((done) => child.on('close', (code, signal) => done(code ?? signal)))
    try {
      const url = await until(() => /listening on (http:\/\/\S+)/.exec(out)?.[1], 'its URL', 15_000)
      assert.ok(out.includes(`data-endpoint="${url}" data-market="UK" data-api="v3"></script>`), 'the tag it prints states API v3')
      const res = await fetch(`${url}/api/v2/notifications/click?customerKey=c&market=m&sessionKey=s`, {
        method: 'POST', body: '{"ticket":"T"}', headers: { 'content-type': 'text/plain;charset=UTF-8' }
      })
      assert.equal(res.status, 204)
      const records = await (await fetch(`${url}/records`)).json()
      assert.deepEqual(records.map((/** @type {any} */ r) => [r.ticket, r.verdict, r.market]), [['T', 'accepted', 'm']])
      process.kill(-(/** @type {number} */ (child.pid)), 'SIGINT')
      await until(() => (child.exitCode != null || child.signalCode != null ? true : undefined), 'npx to exit after Ctrl-C')
      await exited
      assert.match(out, /esales-snippet cluster: stopped/)
    } catch (error) {
      throw new Error(`${/** @type {Error} */ (error).message}\nit printed:\n${out}`)
    } finally {
      if (child.exitCode == null && child.signalCode == null) process.kill(-(/** @type {number} */ (child.pid)), 'SIGKILL')
    }
  })
} catch (error) {
  failed++
  console.log(`  ✘ ${String(/** @type {Error} */ (error).stack || error)}`)
} finally {
  await browser?.close()
  await cluster?.close()
  if (process.env.PACKAGE_TEST_KEEP) console.log(`package: kept ${tmp}`)
  else rmSync(tmp, { recursive: true, force: true })
}

console.log(`package: ${passed} passed, ${failed} failed (${((Date.now() - started) / 1000).toFixed(1)} s)`)
process.exit(failed ? 1 : 0)
