import { setup, sleep } from './h.mjs'
const s = await setup()
const IMPORT_MAP = '<script type="importmap">{"imports":{"ky":"/node_modules/ky/distribution/index.js","nanoid":"/node_modules/nanoid/index.browser.js"}}</script>'
for (const val of ['false', "'denied'", "'no'", "'pending '", 'null', "'pending'"]) {
  const ctx = await s.browser.newContext(); const p = await ctx.newPage(); const lines = s.watch(p); const m = s.market()
  await p.goto(s.shop.page(`<!doctype html><html><head>${IMPORT_MAP}</head><body><a id=t href="#" data-esales-ticket="T">t</a>
  <script type="module">import { createTracker } from '/dist/index.js'; window.t = createTracker({ endpoint: '${s.cluster.url}', market: '${m}', consent: ${val} }); window.ready = 1</script></body></html>`))
  await p.waitForFunction(() => window.ready); await p.click('#t'); await sleep(1500)
  console.log(`createTracker({ consent: ${val} })`.padEnd(42), 'sent:', s.rec(m).length, 'cookies:', (await ctx.cookies()).map(c => c.name).join(','), 'storage:', await p.evaluate(() => Object.keys(localStorage).join(',')), lines)
  await ctx.close()
}
await s.close()
