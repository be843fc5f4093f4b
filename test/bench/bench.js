// @ts-check
// `npm run bench`: what esales-snippet and its peers cost a shopper, read from Chromium traces
// under real input (click dispatch, main-thread time per click, script evaluation and main-thread
// time at start-up, on a first and a returning visit), plus size and delivery on navigation.
// Prints the figures as a table (and the timed ones again as CPU time) and writes them to
// test/bench/results/ as JSON and Markdown. Timing figures live here, never in tests: machines
// are noisy.
import { mkdirSync, writeFileSync } from 'node:fs'
import { cpus, loadavg, totalmem } from 'node:os'
import { join } from 'node:path'
import { chromium } from '@playwright/test'
import { build } from '../../build/build.js'
import { CHROMIUM_ARGS, findChromium } from '../support/browser.js'
import { startCluster } from '../../cluster/server.js'
import { startTestShop } from '../support/shop-server.js'
import { buildTrackers } from './peers.js'
import { clickDispatches, evaluateScript, mainThreadAfterClicks, mainThreadTime, navigations, parseTrace } from './trace.js'

const root = new URL('../..', import.meta.url).pathname
const ROUNDS = Number(process.env.BENCH_ROUNDS || 6)
const CLICKS = Number(process.env.BENCH_CLICKS || 60)
const NAVIGATIONS = Number(process.env.BENCH_NAVIGATIONS || 40)
/** ms between one click and the next: a fast shopper, and time for deferred work to run. */
const GAP = 25
/** µs: how long after a click its window lasts when no click follows. */
const TAIL = 300_000
/** µs: how long after `load` the start-up window lasts. */
const AFTER_LOAD = 1_000_000
const CATEGORIES = ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'blink.user_timing']
const TILES = 60

const started = Date.now()
/** @param {string} message */
const progress = (message) => console.log(`[${((Date.now() - started) / 1000).toFixed(0).padStart(3)} s] ${message}`)

/** @typedef {{ median: number, min: number, max: number, n: number }} Stats */
/** @param {number[]} values @returns {Stats} */
const stats = (values) => {
  const s = values.filter(Number.isFinite).sort((a, b) => a - b)
  const mid = s.length >> 1
  const at = (/** @type {number} */ i) => /** @type {number} */ (s[i])
  return {
    median: s.length ? (s.length % 2 ? at(mid) : (at(mid - 1) + at(mid)) / 2) : NaN,
    min: s.length ? at(0) : NaN,
    max: s.length ? at(s.length - 1) : NaN,
    n: s.length
  }
}
/** @param {number[]} values */
const mean = (values) => values.reduce((a, b) => a + b, 0) / values.length

progress('building esales-snippet and bundling the peers')
await build()
const trackers = await buildTrackers()
/** @typedef {import('./peers.js').Tracker} Tracker */
/** The trackers, and "none": the same page without a tracker, the baseline. */
const subjects = [{ id: 'none', file: '' }, ...trackers]
const shop = await startTestShop({ cache: true })
// Another origin on the same site (localhost, another port), for the delivery chains.
const partner = await startTestShop({ cache: true })
const cluster = await startCluster()
// Chromium throttles a page that navigates many times in a second (crbug.com/1038223): the
// delivery chains do exactly that on purpose. The flag has no bearing on the traced figures.
const browser = await chromium.launch({ executablePath: findChromium(), args: [...CHROMIUM_ARGS, '--disable-ipc-flooding-protection'] })
const cpu = cpus()
const machine = {
  cores: cpu.length,
  cpu: cpu[0]?.model.trim() ?? 'unknown',
  memoryGiB: Math.round(totalmem() / 2 ** 30),
  node: process.version,
  chromium: browser.version(),
  loadAverageAtStart: loadavg().map((l) => Number(l.toFixed(2)))
}

/**
 * A shop page with the tracker's tag (none for the baseline) in its head.
 * @param {{ file: string }} subject
 * @param {string} endpoint
 * @param {string} body
 */
const pageFor = (subject, endpoint, body) => shop.page(`<!doctype html><html><head><meta charset="utf-8">` +
  `<style>.tile{display:inline-block;width:120px;height:48px;margin:4px;background:#eee}</style>` +
  (subject.file ? `<script src="${shop.url}${subject.file}" data-endpoint="${endpoint}" data-market="BENCH"></script>` : '') +
  `</head><body>${body}</body></html>`)
const tiles = Array.from({ length: TILES }, (_, i) => `<div class="tile" data-esales-ticket="T-${i}">tile ${i}</div>`).join('')
const pages = Object.fromEntries(subjects.map((s) => [s.id, pageFor(s, cluster.url, tiles)]))

/**
 * @typedef {object} Run
 * @property {number} dispatch median click EventDispatch, µs
 * @property {number} clickMain median main-thread time of a click's window, µs
 * @property {number} clickMainMean the mean of the same windows (in the JSON only)
 * @property {number} clicks clicks found in the trace
 * @property {number} evalFirst EvaluateScript of the tracker's file, first visit, µs
 * @property {number} evalReturn the same, returning visit
 * @property {number} loadMainFirst main-thread time from navigation start to 1 s after load, first visit, µs
 * @property {number} loadMainReturn the same, returning visit
 * @property {number} dispatchCpu the figures above as the main thread's CPU time, which other
 *   processes on a busy machine disturb less than the wall clock
 * @property {number} clickMainCpu
 * @property {number} evalFirstCpu
 * @property {number} evalReturnCpu
 * @property {number} loadMainFirstCpu
 * @property {number} loadMainReturnCpu
 */

/**
 * One run, traced: a first visit in a fresh context, a returning visit in the same tab (the first
 * visit's cookies, storage and HTTP cache), then `clicks` real clicks on the returning visit.
 * @param {{ id: string, file: string }} subject
 * @returns {Promise<Run>}
 */
async function run(subject, clicks = CLICKS) {
  const url = /** @type {string} */ (pages[subject.id])
  const context = await browser.newContext()
  const page = await context.newPage()
  await browser.startTracing(undefined, { categories: CATEGORIES })
  /** @type {Buffer} */
  let trace
  try {
    // The start-up window ends 1 s after load: wait that long and a little more before moving on.
    await page.goto(`${url}?first`, { waitUntil: 'load' })
    await page.waitForTimeout(AFTER_LOAD / 1000 + 50)
    // By way of a blank page, so that the first page's pagehide falls in neither window. Not in
    // a new tab: with one, stopping the trace took some 5 s longer, in every other run.
    await page.goto('about:blank')
    await page.goto(`${url}?return`, { waitUntil: 'load' })
    await page.waitForTimeout(AFTER_LOAD / 1000 + 50)
    const points = await page.$$eval('.tile', (els) => els.map((e) => {
      const r = e.getBoundingClientRect()
      return [r.x + r.width / 2, r.y + r.height / 2]
    }))
    for (let i = 0; i < clicks; i++) {
      const [x, y] = /** @type {number[]} */ (points[i % points.length])
      await page.mouse.click(/** @type {number} */ (x), /** @type {number} */ (y))
      await page.waitForTimeout(GAP)
    }
    await page.waitForTimeout(TAIL / 1000)
  } finally {
    trace = await browser.stopTracing()
    await context.close()
  }
  const events = parseTrace(trace)
  const scriptUrl = `${shop.url}${subject.file}`
  /** @param {string} query */
  const visit = (query) => {
    const nav = navigations(events, `${url}?${query}`)[0]
    if (!nav || nav.load == undefined) throw new Error(`${subject.id}: no navigation to ?${query} with a load event in the trace`)
    const evaluation = subject.file ? evaluateScript(events, scriptUrl, nav.pid).find((e) => e.ts >= nav.start && e.ts <= /** @type {number} */ (nav.load)) : undefined
    if (subject.file && !evaluation) throw new Error(`${subject.id}: no EvaluateScript of ${scriptUrl} on ?${query}`)
    const to = nav.load + AFTER_LOAD
    return {
      pid: nav.pid,
      evaluate: evaluation?.dur ?? NaN,
      evaluateCpu: evaluation?.tdur ?? NaN,
      main: mainThreadTime(events, nav.start, to, nav.pid),
      mainCpu: mainThreadTime(events, nav.start, to, nav.pid, 'cpu')
    }
  }
  const firstVisit = visit('first')
  const back = visit('return')
  const dispatches = clickDispatches(events, back.pid)
  if (dispatches.length != clicks) progress(`  ${subject.id}: ${dispatches.length} click dispatches in the trace, ${clicks} expected`)
  const windows = mainThreadAfterClicks(events, back.pid, TAIL)
  return {
    dispatch: stats(dispatches.map((d) => d.dur)).median,
    clickMain: stats(windows).median,
    clickMainMean: mean(windows),
    clicks: dispatches.length,
    evalFirst: firstVisit.evaluate,
    evalReturn: back.evaluate,
    loadMainFirst: firstVisit.main,
    loadMainReturn: back.main,
    dispatchCpu: stats(dispatches.map((d) => d.tdur ?? NaN)).median,
    clickMainCpu: stats(mainThreadAfterClicks(events, back.pid, TAIL, 'cpu')).median,
    evalFirstCpu: firstVisit.evaluateCpu,
    evalReturnCpu: back.evaluateCpu,
    loadMainFirstCpu: firstVisit.mainCpu,
    loadMainReturnCpu: back.mainCpu
  }
}

// A first run warms the browser process (its caches, its code) and is thrown away.
progress('warming up')
await run(/** @type {{ id: string, file: string }} */ (subjects[0]), 5)
progress(`traced runs: ${ROUNDS} rounds of ${subjects.length} (${subjects.map((s) => s.id).join(', ')}, then back), ${CLICKS} clicks a run`)
/** @type {Record<string, Run[]>} */
const runs = Object.fromEntries(subjects.map((s) => [s.id, []]))
for (let round = 0; round < ROUNDS; round++) {
  // ABCDE, then EDCBA: no tracker always runs first, or right after another one.
  const order = round % 2 ? [...subjects].reverse() : subjects
  for (const s of order) /** @type {Run[]} */ (runs[s.id]).push(await run(s))
  progress(`  round ${round + 1} of ${ROUNDS}`)
}

// Delivery on navigation: a click on a link tile that navigates at once to another origin.
/**
 * @param {Tracker} t
 * @param {boolean} noBeacon
 */
async function delivery(t, noBeacon) {
  const mock = await startCluster()
  // A context of its own: the runs go side by side, and each tracker keeps its storage to itself.
  const page = await (await browser.newContext()).newPage()
  if (noBeacon) await page.addInitScript(() => { delete (/** @type {any} */ (Navigator.prototype)).sendBeacon })
  // A chain of NAVIGATIONS pages, alternating between two origins (localhost on two ports): on
  // each, once loaded, a shopper's click (real input, as the snippet counts only what a shopper
  // did: a page's own link.click() from a timer is not a click) on its link tile goes at once to
  // the next page, on the other origin. The last one (?done) is not clicked.
  const body = `<a id="go">product</a><script>
    var i = location.search.slice(1), go = document.getElementById('go'), next = Number(i) + 1
    var other = location.origin == '${shop.url}' ? '${partner.url}' : '${shop.url}'
    go.dataset.esalesTicket = 'NAV-' + i
    go.href = other + location.pathname + '?' + (next < ${NAVIGATIONS} ? next : 'done')
  </script>`
  const url = pageFor(t, mock.url, body)
  const path = new URL(url).pathname
  // Each origin serves its own copy of the scripts, as a shop does: a module chunk imported
  // from another origin would need CORS headers.
  partner.page(shop.html(url).replaceAll(`${shop.url}/dist/`, `${partner.url}/dist/`).replaceAll(`${shop.url}/bench/`, `${partner.url}/bench/`), undefined, path)
  const chain = async () => {
    await page.goto(`${url}?0`, { waitUntil: 'load' })
    for (let i = 1; i <= NAVIGATIONS; i++) {
      await page.click('#go')
      await page.waitForURL(new RegExp(`\\?${i < NAVIGATIONS ? i : 'done'}$`), { waitUntil: 'load', timeout: 10_000 })
    }
  }
  const done = await chain().then(() => true, () => false)
  if (!done) progress(`  ${t.id}${noBeacon ? ' (no sendBeacon)' : ''}: the chain stalled at ${page.url()}`)
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
  return { delivered: (new Set(all).size / NAVIGATIONS) * 100, duplicates: all.length - new Set(all).size }
}
// Not a timing: the five chains go side by side.
progress(`delivery on navigation: ${NAVIGATIONS} clicks each, the ${trackers.length} trackers and ours without sendBeacon side by side`)
/** @type {Record<string, { delivered: number, duplicates: number }>} */
const delivered = {}
const [noBeacon] = await Promise.all([
  delivery(/** @type {Tracker} */ (trackers[0]), true),
  ...trackers.map(async (t) => { delivered[t.id] = await delivery(t, false) })
])
await cluster.close()
await browser.close()
await shop.close()
await partner.close()

// The figures: per tracker, the median over runs with min and max; "less none" figures subtract
// the baseline run of the same round, so that a slow round weighs on both sides.
/**
 * @typedef {object} Figure
 * @property {string} label
 * @property {'B' | 'µs' | '%' | ''} unit
 * @property {keyof Run} [run] a traced figure: median (min–max) over runs of this field
 * @property {boolean} [lessNone] less the page without a tracker, round by round
 * @property {number} [goal] the issue's goal for ours ÷ best peer
 * @property {boolean} [noRatio]
 * @property {(id: string) => number[]} [samples] an untraced figure: its values
 */
/** @param {keyof Run} key @param {boolean} lessNone */
const perRun = (key, lessNone) => (/** @type {string} */ id) => (runs[id] ?? []).map((r, i) => r[key] - (lessNone ? /** @type {Run} */ (runs.none?.[i])[key] : 0))
/** @param {(t: Tracker) => number} read */
const fixed = (read) => (/** @type {string} */ id) => {
  const t = trackers.find((x) => x.id == id)
  return t ? [read(t)] : []
}
/** @type {Record<string, Figure>} */
const figures = {
  gzip: { label: 'critical path, gzip B', unit: 'B', samples: fixed((t) => t.gzip) },
  raw: { label: 'critical path, raw B', unit: 'B', samples: fixed((t) => t.raw) },
  lazyGzip: { label: 'loaded later (lazy chunk), gzip B', unit: 'B', noRatio: true, samples: fixed((t) => t.lazyGzip) },
  dispatch: { label: `click dispatch, µs (EventDispatch, median of ${CLICKS} clicks a run)`, unit: 'µs', run: 'dispatch', goal: 0.25 },
  clickMain: { label: `main-thread time per click, µs (median of ${CLICKS} windows a run, less none)`, unit: 'µs', run: 'clickMain', lessNone: true },
  evalFirst: { label: 'EvaluateScript of the tracker, first visit, µs', unit: 'µs', run: 'evalFirst', goal: 1 },
  evalReturn: { label: 'EvaluateScript of the tracker, returning visit, µs', unit: 'µs', run: 'evalReturn', goal: 1 },
  loadMainFirst: { label: 'main-thread time until 1 s after load, first visit, µs (less none)', unit: 'µs', run: 'loadMainFirst', lessNone: true, goal: 1 },
  loadMainReturn: { label: 'main-thread time until 1 s after load, returning visit, µs (less none)', unit: 'µs', run: 'loadMainReturn', lessNone: true, goal: 1 },
  delivery: { label: `delivered on navigation to another origin, % (${NAVIGATIONS} clicks)`, unit: '%', noRatio: true, samples: (id) => (delivered[id] ? [delivered[id].delivered] : []) },
  duplicates: { label: '  duplicates received', unit: '', noRatio: true, samples: (id) => (delivered[id] ? [delivered[id].duplicates] : []) },
  noBeacon: { label: `ours without sendBeacon (ky path): delivered, % (${NAVIGATIONS} clicks)`, unit: '%', noRatio: true, samples: (id) => (id == 'ours' ? [noBeacon.delivered] : []) },
  noBeaconDuplicates: { label: '  duplicates received (ky path)', unit: '', noRatio: true, samples: (id) => (id == 'ours' ? [noBeacon.duplicates] : []) }
}
// The timed figures again as the main thread's CPU time: on a busy machine, other processes
// stretch the wall clock far more than they stretch this. It misses time blocked in a call.
/** @type {Record<string, Figure>} */
const cpuFigures = {
  dispatchCpu: { label: 'click dispatch, CPU µs', unit: 'µs', run: 'dispatchCpu' },
  clickMainCpu: { label: 'main-thread CPU per click, µs (less none)', unit: 'µs', run: 'clickMainCpu', lessNone: true },
  evalFirstCpu: { label: 'EvaluateScript, first visit, CPU µs', unit: 'µs', run: 'evalFirstCpu' },
  evalReturnCpu: { label: 'EvaluateScript, returning visit, CPU µs', unit: 'µs', run: 'evalReturnCpu' },
  loadMainFirstCpu: { label: 'main-thread CPU until 1 s after load, first visit, µs (less none)', unit: 'µs', run: 'loadMainFirstCpu', lessNone: true },
  loadMainReturnCpu: { label: 'main-thread CPU until 1 s after load, returning visit, µs (less none)', unit: 'µs', run: 'loadMainReturnCpu', lessNone: true },
  clickMainMean: { label: `main-thread time per click, µs (mean of ${CLICKS} windows a run, less none)`, unit: 'µs', run: 'clickMainMean', lessNone: true }
}
const peers = trackers.filter((t) => t.id != 'ours')
const columns = ['none', ...trackers.map((t) => t.id)]
/** @param {Record<string, Figure>} set */
const summarize = (set) => Object.fromEntries(Object.entries(set).map(([key, f]) => {
  // The none column of a "less none" figure is the baseline itself.
  const values = Object.fromEntries(columns.map((id) => [id, stats(f.run ? perRun(f.run, !!f.lessNone && id != 'none')(id) : f.samples?.(id) ?? [])]))
  const best = f.noRatio ? undefined : peers.map((t) => ({ id: t.id, value: values[t.id]?.median ?? NaN })).filter((p) => Number.isFinite(p.value)).sort((a, b) => a.value - b.value)[0]
  const ours = values.ours?.median ?? NaN
  // A "less none" median at or below zero is lost in the noise: no ratio to it.
  const ratio = best && best.value > 0 ? ours / best.value : NaN
  return [key, { label: f.label, unit: f.unit, lessNone: !!f.lessNone, values, bestPeer: best?.id, bestPeerMedian: best?.value, oursOverBestPeer: ratio, goal: f.goal }]
}))
const summary = summarize(figures)
const cpuSummary = summarize(cpuFigures)

const nf = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 })
/** @param {number} v @param {string} unit */
const num = (v, unit) => (Number.isFinite(v) ? (unit == '%' ? v.toFixed(1) : nf.format(v)) : '—')
/** @param {Stats | undefined} s @param {string} unit @param {boolean} timed */
const cell = (s, unit, timed) => (!s?.n ? '—' : timed ? `${num(s.median, unit)} (${num(s.min, unit)}–${num(s.max, unit)})` : num(s.median, unit))
const header = ['figure', ...columns, 'ours ÷ best peer', 'goal']
/** @param {ReturnType<typeof summarize>} sum @param {Record<string, Figure>} set @param {string[]} keys */
const tableOf = (sum, set, keys) => [header, ...keys.map((key) => {
  const s = /** @type {ReturnType<typeof summarize>[string]} */ (sum[key])
  const timed = !!set[key]?.run
  return [s.label,
    ...columns.map((id) => (id == 'none' && !timed ? '' : cell(s.values[id], s.unit, timed))),
    Number.isFinite(s.oursOverBestPeer) ? `${s.oursOverBestPeer.toFixed(2)}× (${s.bestPeer})` : s.bestPeer ? `n/a (${s.bestPeer} ≤ 0)` : '',
    s.goal == undefined ? '' : `≤ ${s.goal.toFixed(2)}×`]
})]
const table = tableOf(summary, figures, Object.keys(figures))
// The mean of the click windows stays in the JSON: one table of CPU figures is enough to read.
const cpuTable = tableOf(cpuSummary, cpuFigures, Object.keys(cpuFigures).filter((k) => k != 'clickMainMean'))

const elapsed = (Date.now() - started) / 1000
const method = `Each run is one fresh browser context, traced with Chromium's devtools.timeline categories: a first visit to a shop page with ${TILES} ticketed tiles and the tracker's tag in its head, a returning visit to the same page in the same tab (the first visit's cookies, localStorage and HTTP cache; by way of about:blank, so that the first page's pagehide falls in neither window), then ${CLICKS} real clicks on the returning visit (Playwright page.mouse.click at a tile's centre, ${GAP} ms apart). ` +
  `Click dispatch is the duration of the click's EventDispatch on the renderer main thread: the listeners, and the microtasks that run as each returns (work after an await), included; median of the run's clicks. ` +
  `Main-thread time per click sums the renderer main thread's top-level tasks (RunTask) from the start of the task that dispatched the click until the next click's, or ${TAIL / 1000} ms, so that work put off to a timer, a later task or idle time counts; median of the run's clicks. ` +
  `EvaluateScript is the trace event of the tracker's own file (matched by its URL). Main-thread time at start-up sums the top-level tasks from navigationStart to ${AFTER_LOAD / 1e6} s after the load event. ` +
  `"Less none" figures subtract, round by round, the same figure on the same page without a tracker (the none column gives that baseline). ` +
  `Times are wall-clock µs, so that a main thread blocked in a synchronous call (a cookie or localStorage access) counts; a second table gives the main thread's CPU time, which other processes on a busy machine disturb less. ` +
  `Runs go in ${ROUNDS} rounds, the trackers in turn (ABCDE, then EDCBA), after one run thrown away to warm the browser up; each figure is median (min–max) over rounds, and "ours ÷ best peer" divides medians. ` +
  `Sizes are of the minified files, gzip level 9. Delivery counts the distinct tickets (and the duplicates) the mock cluster received from a chain of ${NAVIGATIONS} pages, on each a real click (Playwright, trusted input) on a link tile that navigates at once to another origin, then one more visit to each origin (a tracker with an outbox sends what is left there); ours runs it also without sendBeacon.`
const results = {
  date: new Date().toISOString(),
  machine: { ...machine, loadAverageAtEnd: loadavg().map((l) => Number(l.toFixed(2))) },
  elapsedSeconds: Math.round(elapsed),
  counts: { ROUNDS, CLICKS, NAVIGATIONS, TILES, GAP_MS: GAP, TAIL_US: TAIL, AFTER_LOAD_US: AFTER_LOAD },
  method,
  trackers: trackers.map((t) => ({ id: t.id, name: t.name, file: t.file })),
  figures: summary,
  cpuFigures: cpuSummary,
  raw: { runs, delivered, noBeacon }
}

const machineLine = `${machine.cores} × ${machine.cpu}, ${machine.memoryGiB} GiB, Node ${machine.node}, Chromium ${machine.chromium} (headless); load average ${machine.loadAverageAtStart.join(' ')} at the start, ${results.machine.loadAverageAtEnd.join(' ')} at the end`
/** @param {string[][]} rows */
const text = (rows) => {
  const widths = header.map((_, i) => Math.max(...rows.map((r) => String(r[i] ?? '').length)))
  return rows.map((r) => r.map((c, i) => (i ? String(c ?? '').padStart(widths[i] ?? 0) : String(c).padEnd(widths[i] ?? 0))).join('  ')).join('\n')
}
console.log('\n' + text(table) + '\n\nThe same as main-thread CPU time:\n' + text(cpuTable))
console.log(`\n${machineLine}\n${trackers.map((t) => `${t.id} = ${t.name}`).join('; ')}`)

mkdirSync(join(root, 'test/bench/results'), { recursive: true })
const stamp = results.date.replace(/[:.]/g, '-')
writeFileSync(join(root, `test/bench/results/${stamp}.json`), JSON.stringify(results, null, 2) + '\n')
writeFileSync(join(root, 'test/bench/results/latest.json'), JSON.stringify(results, null, 2) + '\n')
/** @param {string[][]} rows */
const markdown = (rows) => ['| ' + header.join(' | ') + ' |', '|---|' + header.slice(1).map(() => '---:').join('|') + '|',
  ...rows.slice(1).map((r) => '| ' + r.map((c) => c.trim()).join(' | ') + ' |')].join('\n')
// The README's tables, as Markdown, so that they can be pasted as they are.
const md = [
  markdown(table),
  '',
  'The same as main-thread CPU time:',
  '',
  markdown(cpuTable),
  '',
  `Run on ${results.date.slice(0, 10)}: ${machineLine}; ${Math.round(elapsed)} s in all. ${trackers.map((t) => `${t.id} = ${t.name}`).join('; ')}.`,
  '',
  method
].join('\n')
writeFileSync(join(root, 'test/bench/results/latest.md'), md + '\n')
progress(`done in ${Math.floor(elapsed / 60)} min ${Math.round(elapsed % 60)} s; results in test/bench/results/${stamp}.json and latest.md`)
