import { setup, sleep } from './h.mjs'
import { NO_BEACON } from '../test/support/page.js'
const s = await setup()
const IMPORT_MAP = '<script type="importmap">{"imports":{"ky":"/node_modules/ky/distribution/index.js","nanoid":"/node_modules/nanoid/index.browser.js"}}</script>'
const ctx = await s.browser.newContext(); const p = await ctx.newPage(); const lines = s.watch(p)
await p.addInitScript(NO_BEACON)
const m = s.market()
await p.goto(s.shop.page(`<!doctype html><html><head>${IMPORT_MAP}</head><body><a id=t href="#x" data-esales-ticket="TILE">tile</a>
  <script type="module">
    import { createTracker } from '/dist/index.js'
    window.t = createTracker({ endpoint: '${s.cluster.url}', market: '${m}', debug: true })
    window.ready = true
  </script></body></html>`))
await p.waitForFunction(() => window.ready)
const cdp = await ctx.newCDPSession(p)
const count = async () => {
  const { result: w } = await cdp.send('Runtime.evaluate', { expression: 'window' })
  const { result: d } = await cdp.send('Runtime.evaluate', { expression: 'document' })
  const lw = (await cdp.send('DOMDebugger.getEventListeners', { objectId: w.objectId })).listeners.map(l => l.type)
  const ld = (await cdp.send('DOMDebugger.getEventListeners', { objectId: d.objectId })).listeners.map(l => l.type)
  return { window: lw.sort().join(','), document: ld.sort().join(',') }
}
console.log('before any listener-count', await count())
s.cluster.addFault({ kind: '500', count: 3, market: m })
await p.click('#t'); await sleep(4000)
console.log('after click (3x500):', s.rec(m).map(r => r.status))
await p.evaluate(() => window.t.destroy())
console.log('after destroy:', await count())
const before = s.rec(m).length
await p.evaluate(() => window.dispatchEvent(new Event('online')))
await sleep(1500)
console.log('after destroy + online event:', s.rec(m).slice(before).map(r => r.type + ':' + r.ticket + ' ' + r.status))
console.log(lines.filter(l => l.includes('online') || l.includes('sent') || l.includes('outbox')))
await s.close()
