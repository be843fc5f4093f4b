import { setup, sleep } from './h.mjs'
import { NO_BEACON } from '../test/support/page.js'
const NAV = process.argv[2] == 'nav'
const s = await setup()
let total = 0
for (let round = 0; round < 3; round++) {
const ctx = await s.browser.newContext()
await ctx.addInitScript(NO_BEACON)
const m = s.market()
const url = s.page(m, '<a id=t href="#x" data-esales-ticket="LIVE">tile</a>', { attrs: { 'data-debug': '' } })
const tabs = [], sent = {}, lines = []
for (let i = 0; i < 3; i++) {
  const p = await ctx.newPage(); tabs.push(p)
  p.on('console', (c) => lines.push(`${Date.now() % 100000} tab${i}: ${c.text()}`))
  p.on('request', (r) => { if (r.url().includes(`market=${m}&`)) { const k = new URL(r.url()).searchParams.get('customerKey'); (sent[k] ||= []).push(`tab${i}@${Date.now() % 100000}`) } })
}
await Promise.all(tabs.map((p) => p.goto(url)))
await Promise.all(tabs.map((p) => p.evaluate(() => new Promise((d) => requestIdleCallback(d, { timeout: 2000 })))))
await Promise.all(tabs.map((p) => p.evaluate((u) => import(u).then(() => 0), s.shop.url + '/dist/esales-fallback.js')))
const tickets = Array.from({ length: 100 }, (_, i) => `K${i}`)
await tabs[0].evaluate(({ base, m, tickets }) => localStorage.setItem('esales.outbox', JSON.stringify(tickets.map((t, i) => ({ url: `${base}/api/v2/notifications/click?customerKey=${t}&market=${m}&sessionKey=s${i}`, body: `{"ticket":"${t}"}`, t: Date.now() - 1000 })))), { base: s.cluster.url, m, tickets })
s.cluster.addFault({ kind: 'delay', ms: 150, count: 10000, market: m })
await Promise.all(tabs.map((p) => p.evaluate(() => dispatchEvent(new Event('online')))))
await sleep(2500)
if (NAV) { await tabs[0].goto(s.shop.url + '/landing'); await tabs[1].goto(url) }
await sleep(25000)
const c = {}; for (const r of s.cluster.received({ market: m })) c[r.ticket] = (c[r.ticket] || 0) + 1
const dups = Object.entries(c).filter(([, v]) => v > 1)
total += dups.length
console.log(`round ${round} nav=${NAV}: requests ${s.cluster.received({ market: m }).length}, distinct ${Object.keys(c).length}, dups`, dups.map(([k]) => `${k}: ${sent[k]}`))
for (const [k] of dups) console.log(lines.filter(l => l.includes(`customerKey=${k}&`)))
await ctx.close()
}
console.log('total dups', total)
await s.close()
