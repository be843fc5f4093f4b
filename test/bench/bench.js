// @ts-check
// `npm run bench`: size, main-thread cost, delivery on navigation and memory of esales-snippet
// and its peers, side by side in one Chromium. Prints one table and writes it as JSON to
// test/bench/results/. Timing figures live here, never in tests: machines are noisy.
import { mkdirSync, writeFileSync } from 'node:fs'
import { cpus, totalmem } from 'node:os'
import { join } from 'node:path'
import { chromium } from '@playwright/test'
import { build } from '../../build/build.js'
import { CHROMIUM_ARGS, findChromium } from '../support/browser.js'
import { startCluster } from '../../cluster/server.js'
import { startTestShop } from '../support/shop-server.js'
import { buildTrackers } from './peers.js'

const root = new URL('../..', import.meta.url).pathname
const LOADS = Number(process.env.BENCH_LOADS || 20)
const CLICKS = Number(process.env.BENCH_CLICKS || 1000)
const NAVIGATIONS = Number(process.env.BENCH_NAVIGATIONS || 200)
const HEAP_CLICKS = Number(process.env.BENCH_HEAP_CLICKS || 10000)
const started = Date.now()
/** @param {string} message */
const progress = (message) => console.log(`[${((Date.now() - started) / 1000).toFixed(0).padStart(3)} s] ${message}`)
/** @param {number[] | undefined} values */
const median = (values = []) => {
  const s = [...values].sort((a, b) => a - b)
  const mid = s.length >> 1
  return s.length ? (s.length % 2 ? /** @type {number} */ (s[mid]) : (/** @type {number} */ (s[mid - 1]) + /** @type {number} */ (s[mid])) / 2) : NaN
}

progress('building esales-snippet and bundling the peers')
await build()
const trackers = await buildTrackers()
const shop = await startTestShop({ cache: true })
// Another origin on the same site (localhost, another port): a cross-origin navigation that
// Chromium can keep in the same renderer process, so that 1,000 of them fit in the time.
const partner = await startTestShop({ cache: true })
// Chromium throttles a page that navigates hundreds of times in seconds (crbug.com/1038223):
// the delivery chains do exactly that on purpose.
const browser = await chromium.launch({ executablePath: findChromium(), args: [...CHROMIUM_ARGS, '--disable-ipc-flooding-protection'] })
const context = await browser.newContext()

/**
 * A shop page with `tiles` ticketed tiles and the tracker's tag (none for the baseline).
 * @param {import('./peers.js').Tracker | undefined} tracker
 * @param {string} endpoint
 * @param {string} body
 */
const pageFor = (tracker, endpoint, body) => shop.page(`<!doctype html><html><head><meta charset="utf-8">` +
  (tracker ? `<script src="${shop.url}${tracker.file}" data-endpoint="${endpoint}" data-market="BENCH"></script>` : '') +
  `</head><body>${body}</body></html>`)
/** @param {number} n */
const tiles = (n) => Array.from({ length: n }, (_, i) => `<div class="tile" data-esales-ticket="T-${i}">tile ${i}</div>`).join('')

/** @param {import('@playwright/test').Page} page */
async function metrics(page) {
  const cdp = await page.context().newCDPSession(page)
  await cdp.send('Performance.enable')
  return {
    cdp,
    read: async () => /** @type {any} */ (Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((m) => [m.name, m.value])))
  }
}

/**
 * Clicks `count` tiles in the page, in batches, so that beacons drain as they would for a person.
 * @param {import('@playwright/test').Page} page
 * @param {number} count
 */
const clickTiles = (page, count) => page.evaluate(async (n) => {
  const all = /** @type {HTMLElement[]} */ ([...document.querySelectorAll('.tile')])
  for (let i = 0; i < n; i++) {
    all[i % all.length]?.click()
    if (i % 100 == 99) await new Promise((r) => setTimeout(r, 5))
  }
}, count)

const cluster = await startCluster()
const subjects = [undefined, ...trackers]

// 2. Start-up: script time of a page load with the tracker, less the same page without one.
progress(`start-up: ${LOADS} page loads each`)
/** @type {Record<string, number[]>} */
const startup = {}
for (let i = 0; i < LOADS; i++) {
  for (const t of subjects) {
    const url = pageFor(t, cluster.url, tiles(50))
    const page = await context.newPage()
    const m = await metrics(page)
    await page.goto(url, { waitUntil: 'load' })
    ;(startup[t ? t.id : 'none'] ||= []).push((await m.read()).ScriptDuration * 1000)
    await page.close()
  }
}

// 3. Per click: script time of CLICKS clicks, less the same clicks on a page without a tracker.
progress(`per click: ${CLICKS} clicks each, 3 runs`)
/** @type {Record<string, number[]>} */
const clickCost = {}
for (let run = 0; run < 3; run++) {
  for (const t of subjects) {
    const page = await context.newPage()
    const m = await metrics(page)
    await page.goto(pageFor(t, cluster.url, tiles(100)), { waitUntil: 'load' })
    const before = (await m.read()).ScriptDuration
    await clickTiles(page, CLICKS)
    ;(clickCost[t ? t.id : 'none'] ||= []).push(((await m.read()).ScriptDuration - before) * 1000)
    await page.close()
  }
}


// 4. Delivery on navigation: a click on a link tile that navigates at once to another origin.
/**
 * @param {import('./peers.js').Tracker} t
 * @param {boolean} noBeacon
 */
async function delivery(t, noBeacon) {
  const mock = await startCluster()
  // A context of its own: the runs go side by side, and each tracker keeps its storage to itself.
  const page = await (await browser.newContext()).newPage()
  if (noBeacon) await page.addInitScript(() => { delete (/** @type {any} */ (Navigator.prototype)).sendBeacon })
  // A chain of NAVIGATIONS pages that the pages run themselves, alternating between two origins
  // (localhost on two ports): each page clicks its link tile once loaded, and the link goes at
  // once to the next page, on the other origin. The last one (?done) clicks nothing.
  const body = `<a id="go">product</a><script>
    var i = location.search.slice(1), go = document.getElementById('go'), next = Number(i) + 1
    var other = location.origin == '${shop.url}' ? '${partner.url}' : '${shop.url}'
    go.dataset.esalesTicket = 'NAV-' + i
    go.href = other + location.pathname + '?' + (next < ${NAVIGATIONS} ? next : 'done')
    if (i != 'done') addEventListener('load', function () { setTimeout(function () { go.click() }) })
  </script>`
  const url = pageFor(t, mock.url, body)
  const path = new URL(url).pathname
  // Each origin serves its own copy of the scripts, as a shop does: a module chunk imported
  // from another origin would need CORS headers.
  partner.page(shop.html(url).replaceAll(`${shop.url}/dist/`, `${partner.url}/dist/`).replaceAll(`${shop.url}/bench/`, `${partner.url}/bench/`), undefined, path)
  await page.goto(`${url}?0`, { waitUntil: 'commit' })
  const done = await page.waitForURL(/\?done$/, { timeout: 400_000 }).then(() => true, () => false)
  if (!done) progress(`  ${t.id}${noBeacon ? ' (ky path)' : ''}: the chain stalled at ${page.url()}`)
  // One more visit to each origin: a tracker with an outbox sends what is left on its next page.
  for (const origin of [shop.url, partner.url]) await page.goto(`${origin}${path}?done`, { waitUntil: 'load' }).catch(() => {})
  const tickets = () => mock.records.map((r) => {
    try {
      const body = JSON.parse(r.body)
      return body.ticket || (body.events && body.events[0].objectIDs[0])
    } catch { return undefined }
  }).filter((x) => typeof x == 'string' && x.startsWith('NAV-'))
  // Poll until every notification is in, or nothing more came for 3 s.
  let last = -1
  let quietSince = Date.now()
  while (Date.now() - quietSince < 3000 && new Set(tickets()).size < NAVIGATIONS) {
    const n = tickets().length
    if (n != last) { last = n; quietSince = Date.now() }
    await new Promise((r) => setTimeout(r, 100))
  }
  const all = tickets()
  await page.context().close()
  await mock.close()
  return { unique: new Set(all).size, duplicates: all.length - new Set(all).size, accepted: mock.records.filter((r) => r.verdict == 'accepted').length }
}
/** @type {Record<string, { unique: number, duplicates: number, accepted: number }>} */
const delivered = {}
progress(`memory: ${HEAP_CLICKS} clicks each, side by side`)
// 5. Memory: JS heap after HEAP_CLICKS clicks, against before, both after a full GC. Each page is
// a renderer of its own, so the trackers run side by side without touching each other's heap.
/** @type {Record<string, number>} */
const heap = {}
const memory = Promise.all(subjects.map(async (t) => {
  const page = await context.newPage()
  const m = await metrics(page)
  await page.goto(pageFor(t, cluster.url, tiles(100)), { waitUntil: 'load' })
  await clickTiles(page, 100)
  await m.cdp.send('HeapProfiler.collectGarbage')
  const before = (await m.read()).JSHeapUsedSize
  await clickTiles(page, HEAP_CLICKS)
  await page.waitForTimeout(500)
  await m.cdp.send('HeapProfiler.collectGarbage')
  heap[t ? t.id : 'none'] = ((await m.read()).JSHeapUsedSize - before) / 1024
  await page.close()
}))
await memory
// Not a timing either: the five delivery runs go side by side.
progress(`delivery on navigation: ${NAVIGATIONS} clicks each, the ${trackers.length} trackers and our ky path side by side`)
const [kyPath] = await Promise.all([
  delivery(/** @type {import('./peers.js').Tracker} */ (trackers[0]), true),
  ...trackers.map(async (t) => { delivered[t.id] = await delivery(t, false) })
])
await cluster.close()
await browser.close()
await shop.close()
await partner.close()

// The table: one row per figure, one column per tracker, and each peer's ratio to ours.
const base = { startup: median(startup.none), click: median(clickCost.none) }
/** @typedef {import('./peers.js').Tracker} Tracker */
/** @type {Record<string, (t: Tracker) => number>} */
const figure = {
  gzip: (t) => t.gzip,
  raw: (t) => t.raw,
  lazyGzip: (t) => t.lazyGzip,
  startup: (t) => median(startup[t.id]) - base.startup,
  click: (t) => ((median(clickCost[t.id]) - base.click) / CLICKS) * 1000,
  delivery: (t) => ((delivered[t.id]?.unique ?? NaN) / NAVIGATIONS) * 100,
  duplicates: (t) => delivered[t.id]?.duplicates ?? NaN,
  heap: (t) => (heap[t.id] ?? NaN) - (heap.none ?? NaN)
}
/** @type {[label: string, key: string, digits: number][]} */
const rows = [
  ['critical path, gzip B', 'gzip', 0],
  ['critical path, raw B', 'raw', 0],
  ['loaded later (lazy chunk), gzip B', 'lazyGzip', 0],
  [`start-up script time, ms (median of ${LOADS} loads, less a page without a tracker)`, 'startup', 2],
  [`script time per click, µs (${CLICKS} clicks, less a page without a tracker)`, 'click', 1],
  [`delivered on navigation to another origin, % (${NAVIGATIONS} clicks)`, 'delivery', 1],
  ['  duplicates received', 'duplicates', 0],
  [`JS heap growth after ${HEAP_CLICKS} clicks, KB (after GC, less a page without a tracker)`, 'heap', 0]
]
const results = {
  date: new Date().toISOString(),
  machine: `${cpus().length} × ${cpus()[0]?.model.trim()}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, Chromium ${browser.version()}`,
  trackers: trackers.map((t) => ({ id: t.id, name: t.name })),
  figures: Object.fromEntries(rows.map(([label, key]) => [key, { label, values: Object.fromEntries(trackers.map((t) => [t.id, /** @type {(t: Tracker) => number} */ (figure[key])(t)])) }])),
  kyPath: { delivered: (kyPath.unique / NAVIGATIONS) * 100, duplicates: kyPath.duplicates },
  raw: { startup, clickCost, heap, delivered, kyPath, counts: { LOADS, CLICKS, NAVIGATIONS, HEAP_CLICKS } }
}

/** @param {number} v @param {number} digits */
const fmt = (v, digits) => (Number.isFinite(v) ? v.toFixed(digits) : 'n/a')
/** @param {number} peer @param {number} ours */
const ratio = (peer, ours) => (Number.isFinite(peer / ours) && ours != 0 ? (peer / ours).toFixed(2) + '×' : 'n/a')
const header = ['figure', ...trackers.map((t) => t.id), ...trackers.slice(1).map((t) => `${t.id}/ours`)]
const table = [header]
for (const [label, key, digits] of rows) {
  const values = trackers.map((t) => /** @type {(t: Tracker) => number} */ (figure[key])(t))
  table.push([label, ...values.map((v) => fmt(v, digits)), ...values.slice(1).map((v) => ratio(v, /** @type {number} */ (values[0])))])
}
table.push([`delivered without sendBeacon (ky path), % (${NAVIGATIONS} clicks)`, fmt(results.kyPath.delivered, 1), '—', '—', '—', '', '', ''])
table.push(['  duplicates received (ky path)', String(kyPath.duplicates), '—', '—', '—', '', '', ''])

const widths = header.map((_, i) => Math.max(...table.map((r) => String(r[i] ?? '').length)))
/** @param {number} i */
const width = (i) => widths[i] ?? 0
console.log('\n' + table.map((r) => r.map((c, i) => (i ? String(c ?? '').padStart(width(i)) : String(c).padEnd(width(i)))).join('  ')).join('\n'))
console.log(`\n${results.machine}; ${trackers.map((t) => `${t.id} = ${t.name}`).join('; ')}`)

mkdirSync(join(root, 'test/bench/results'), { recursive: true })
const stamp = results.date.replace(/[:.]/g, '-')
writeFileSync(join(root, `test/bench/results/${stamp}.json`), JSON.stringify(results, null, 2))
writeFileSync(join(root, 'test/bench/results/latest.json'), JSON.stringify(results, null, 2))
// The README's table, as Markdown, so that it can be pasted as is.
const md = ['| figure | ' + trackers.map((t) => t.id).join(' | ') + ' | ' + trackers.slice(1).map((t) => `${t.id} ÷ ours`).join(' | ') + ' |',
  '|---|' + trackers.map(() => '---:').join('|') + '|' + trackers.slice(1).map(() => '---:').join('|') + '|',
  ...table.slice(1).map((r) => '| ' + r.join(' | ') + ' |')].join('\n')
writeFileSync(join(root, 'test/bench/results/latest.md'), md + '\n')
progress(`done; results in test/bench/results/${stamp}.json and latest.md`)
