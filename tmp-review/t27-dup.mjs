import { setup, sleep } from './h.mjs'
import { NO_BEACON } from '../test/support/page.js'
const s = await setup()
for (let round = 0; round < 1; round++) {
const ctx = await s.browser.newContext(); await ctx.addInitScript(NO_BEACON); const m = s.market()
const url = s.page(m, `<a id=t href="#" data-esales-ticket="ONCE">t</a><a id=go href="/landing">go</a>`, { attrs: { 'data-debug': '' } })
const a = await ctx.newPage(); const la = s.watch(a, 'A: ')
const b = await ctx.newPage(); await b.goto(s.shop.url + '/landing')   // another tab of the shop (no snippet needed)
await a.goto(url); await sleep(1500)
s.cluster.addFault({ kind: 'delay', ms: 800, count: 1, market: m })
const w = a.waitForRequest((r) => r.url().includes('market=' + m))
await a.click('#t')
await w   // A's ky request is on the wire (the cluster answers in 800 ms)
// tab B takes the outbox lock for 3 s, as a tab flushing a long outbox does
await b.evaluate(() => { navigator.locks.request('esales.outbox', () => new Promise((r) => setTimeout(r, 3000))) })  // B now holds the lock
await a.evaluate(() => { addEventListener('pagehide', () => { localStorage.setItem('dbg.afterPagehide', String(localStorage.getItem('esales.outbox'))) }) })
await sleep(1200); console.log('  outbox before leaving:', await a.evaluate(() => localStorage.getItem('esales.outbox')), await b.evaluate(() => navigator.locks.query().then(q => JSON.stringify(q))))                     // the 204 has come back; A waits for the lock to remove the entry
await a.click('#go'); await a.waitForURL(/landing/)   // the shopper moves on
await sleep(300); console.log('  outbox 300ms after A left:', await b.evaluate(() => localStorage.getItem('esales.outbox')), await b.evaluate(() => navigator.locks.query().then(q => JSON.stringify(q))))
await sleep(3500)
console.log('  outbox after A left:', await b.evaluate(() => localStorage.getItem('esales.outbox')), 'right after pagehide handlers:', await b.evaluate(() => localStorage.getItem('dbg.afterPagehide')))
const c = await ctx.newPage(); const lc = s.watch(c, 'C: '); await c.goto(url); await sleep(3000)   // any later page of the shop
console.log(`round ${round}:`, s.rec(m).map(r => `${r.ticket} ${r.status} ${r.verdict}`), la.filter(l => /sent|kept|outbox/.test(l)).map(l => l.slice(0, 60)), lc)
await ctx.close()
}
await s.close()
