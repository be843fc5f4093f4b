import { setup, sleep } from './h.mjs'
import { NO_BEACON } from '../test/support/page.js'
const s = await setup()
const ctx = await s.browser.newContext()
await ctx.addInitScript(NO_BEACON)
const m = s.market()
const url = s.page(m, '<a id=t href="#x" data-esales-ticket="LIVE">tile</a>', { attrs: { 'data-debug': '' } })
const tabs = []
const lines = []
for (let i = 0; i < 3; i++) { const p = await ctx.newPage(); p.on('console', (c) => lines.push(`tab${i}: ${c.text()}`)); p.on('pageerror', e => lines.push(`tab${i} PAGEERROR ${e}`)); tabs.push(p) }
await Promise.all(tabs.map((p) => p.goto(url)))
await Promise.all(tabs.map((p) => p.evaluate(() => new Promise((d) => requestIdleCallback(d, { timeout: 2000 })))))
await Promise.all(tabs.map((p) => p.evaluate((u) => import(u).then(() => 0), s.shop.url + '/dist/esales-fallback.js')))
const N = 100
const tickets = Array.from({ length: N }, (_, i) => `K${i}`)
await tabs[0].evaluate(({ base, m, tickets }) => localStorage.setItem('esales.outbox', JSON.stringify(tickets.map((t, i) => ({ url: `${base}/api/v2/notifications/click?customerKey=${t}&market=${m}&sessionKey=s${i}`, body: `{"ticket":"${t}"}`, t: Date.now() - 1000 })))), { base: s.cluster.url, m, tickets })
s.cluster.addFault({ kind: 'delay', ms: 150, count: 10000, market: m })
// all three flush at once
await Promise.all(tabs.map((p) => p.evaluate(() => dispatchEvent(new Event('online')))))
await sleep(2500)
// tab 0 navigates away mid-flush (pagehide: the unlocked write), tab 1 too, and a user clicks in tab 2
await tabs[0].goto(s.shop.url + '/landing'); 
await tabs[2].click('#t')
await tabs[1].goto(url)
await sleep(20000)
const got = () => s.cluster.received({ market: m })
const count = (list) => { const c = {}; for (const r of list) c[r.ticket] = (c[r.ticket] || 0) + 1; return c }
let c = count(got())
console.log('after 20s: requests', got().length, 'distinct', Object.keys(c).length, 'dups', Object.entries(c).filter(([, v]) => v > 1))
const ob = await tabs[2].evaluate(() => { const o = JSON.parse(localStorage.getItem('esales.outbox') || '[]'); return o.map(e => [new URL(e.url).searchParams.get('customerKey'), e.claim && e.claim[1] - Date.now(), e.tries]) })
console.log('outbox left', ob.length, JSON.stringify(ob.slice(0, 10)))
// claims expire after 3 min: move the clock 4 min and load a page
await ctx.clock.setSystemTime(Date.now() + 4 * 60000)
const p4 = await ctx.newPage(); p4.on('console', (c) => lines.push(`tab4: ${c.text()}`)); await p4.goto(url); await sleep(8000)
c = count(got())
console.log('after +4min page: requests', got().length, 'distinct', Object.keys(c).length, 'dups', Object.entries(c).filter(([, v]) => v > 1), 'missing', tickets.filter(t => !c[t]))
console.log(lines.filter(l => /error|PAGEERROR|dropped/.test(l)).slice(0, 10))
await s.close()
