// @ts-check
// Runs the shared scenarios on every engine found on this machine, against the built dist/
// files, and prints one line per engine with its counts and the version that ran. A scenario
// that needs what an engine lacks here (found by probing at launch, see probe.js) is listed
// under that line as not applicable, with the reason; ENGINES_FAKE_MISSING=setOffline fakes a
// lack. An engine that is not installed is reported as missing with how to install it; on CI
// (CI=true), where all three must run, that fails the run. `node test/engines/run.js firefox
// webkit` runs some engines only.
import { startCluster } from '../../cluster/server.js'
import { startTestShop } from '../support/shop-server.js'
import { ENGINES } from './adapters.js'
import { SCENARIOS, WATCH } from './scenarios.js'
import { fakeMissing } from './probe.js'
import { shopPage } from '../support/page.js'

// A misspelt ENGINES_FAKE_MISSING stops the run before any browser starts.
fakeMissing()
const only = process.argv.slice(2)
const engines = ENGINES.filter((e) => !only.length || only.includes(e.name))
const cluster = await startCluster()
const shop = await startTestShop()
/** @type {string[]} */
const summary = []
let failed = 0
let passed = 0
let missing = 0

/**
 * Runs the scenarios on one engine, and returns its summary line.
 * @param {(typeof ENGINES)[number]} factory
 * @returns {Promise<string>}
 */
async function runEngine(factory) {
  const why = factory.missing()
  if (why) {
    missing++
    return `${factory.name}: missing (${why})`
  }
  /** @type {import('./driver').Engine} */
  let engine
  try {
    engine = await factory.launch((html) => shop.page(html))
  } catch (error) {
    failed++
    return `${factory.name}: could not start: ${String(/** @type {Error} */ (error).message).split('\n')[0]}`
  }
  let ok = 0
  let bad = 0
  /** @type {string[]} */
  const notApplicable = []
  const { unsupported } = engine
  for (const [i, scenario] of SCENARIOS.entries()) {
    const lacking = (scenario.needs || []).find((c) => unsupported[c])
    if (lacking) {
      notApplicable.push(`${scenario.name} (${lacking}: ${unsupported[lacking]})`)
      continue
    }
    const market = `${factory.name}-${i}-${Date.now().toString(36)}`
    const page = await engine.newPage()
    /** @type {import('./scenarios.js').World} */
    const world = {
      cluster, shop, market,
      newPage: () => engine.newPage(),
      received: () => cluster.received({ market }),
      page: (body, options = {}) => shop.page(shopPage({
        src: `${shop.url}/dist/esales.js`, attrs: { 'data-endpoint': cluster.url, 'data-market': market, ...options.attrs }, head: WATCH + (options.head || ''), body
      }), options.headers)
    }
    const started = Date.now()
    try {
      // Each scenario starts without the shop's cookies and storage.
      await page.open(`${shop.url}/landing`)
      await page.run(`localStorage.clear(); document.cookie.split('; ').forEach(function (c) { document.cookie = c.split('=')[0] + '=;max-age=0;path=/' })`)
      await scenario.run(page, world)
      ok++
      console.log(`  ✓ ${factory.name} › ${scenario.name} (${Date.now() - started} ms)`)
    } catch (error) {
      bad++
      console.log(`  ✘ ${factory.name} › ${scenario.name} (${Date.now() - started} ms)\n      ${String(/** @type {Error} */ (error).message).split('\n').join('\n      ')}`)
    } finally {
      await page.close().catch(() => {})
    }
  }
  await engine.close().catch(() => {})
  passed += ok
  failed += bad
  return `${factory.name}: ${ok} passed, ${bad} failed, ${notApplicable.length} not applicable (${engine.version})` +
    notApplicable.map((n) => `\n  not applicable: ${n}`).join('')
}

// The engines run side by side: a scenario mostly waits (for a notification, or a second after
// the last one to catch a late duplicate), and each engine has its own browser, profile and
// markets. Within an engine the scenarios run one by one.
summary.push(...await Promise.all(engines.map(runEngine)))


await cluster.close()
await shop.close()
console.log('')
for (const line of summary) console.log(line)
if (missing && process.env.CI) {
  console.log(`CI needs all three engines; install the missing ones: apt-get install -y chromium firefox-esr webkit2gtk-driver xvfb`)
  failed += missing
}
console.log(`engines: ${passed} passed, ${failed} failed`)
process.exit(failed ? 1 : 0)
