import { setup, sleep } from './h.mjs'
const s = await setup()
const IMPORT_MAP = '<script type="importmap">{"imports":{"ky":"/node_modules/ky/distribution/index.js","nanoid":"/node_modules/nanoid/index.browser.js"}}</script>'
{ // script tag + ESM: SPA mounts, unmounts (destroy), remounts
  const ctx = await s.browser.newContext(); const p = await ctx.newPage(); const lines = s.watch(p)
  const m = s.market()
  await p.goto(s.page(m, `<a id=t href="#x" data-esales-ticket="TILE">tile</a>
    <script type="module">
      import { createTracker } from '/dist/index.js'
      window.mount = () => createTracker({ endpoint: '${s.cluster.url}', market: '${m}', debug: true })
      window.ready = true
    </script>`, { head: IMPORT_MAP, attrs: { 'data-debug': '' } }))
  await p.waitForFunction(() => window.ready)
  await p.evaluate(() => { const t = window.mount(); console.log('same as tag?', t.click === window.esales.click); t.destroy(); window.t2 = window.mount() })
  await p.click('#t'); await sleep(400)
  await p.evaluate(() => { window.esales('addToCart', 'VIA-GLOBAL'); window.esales.click('VIA-GLOBAL-METHOD'); window.t2.click('VIA-T2') })
  await sleep(1000)
  console.log('A: tag + ESM destroy/remount:', s.rec(m).map(r => r.type + ':' + r.ticket))
  console.log(lines.filter(l => !l.includes('beacon')))
  await ctx.close()
}
{ // two components share the tracker; one unmounts
  const ctx = await s.browser.newContext(); const p = await ctx.newPage()
  const m = s.market()
  await p.goto(s.shop.page(`<!doctype html><html><head>${IMPORT_MAP}</head><body><a id=t href="#x" data-esales-ticket="TILE">tile</a>
    <script type="module">
      import { createTracker } from '/dist/index.js'
      const opts = { endpoint: '${s.cluster.url}', market: '${m}' }
      window.header = createTracker(opts); window.list = createTracker(opts)
      window.ready = true
    </script></body></html>`))
  await p.waitForFunction(() => window.ready)
  await p.evaluate(() => window.header.destroy())  // header unmounts
  await p.click('#t'); await p.evaluate(() => window.list.addToCart('FROM-LIST')); await sleep(1000)
  console.log('B: list still mounted after header destroy:', s.rec(m).map(r => r.type + ':' + r.ticket))
  await ctx.close()
}
await s.close()
