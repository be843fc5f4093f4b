import { setup, sleep } from './h.mjs'
const s = await setup()
for (let round = 0; round < 2; round++) {
const ctx = await s.browser.newContext(); const m = s.market()
const tiles = Array.from({ length: 20 }, (_, i) => `<a id=t${i} href="#${i}" data-esales-ticket="TAB__-${i}">t${i}</a>`).join(' ')
const tabs = []; const lines = []
for (let k = 0; k < 3; k++) { const p = await ctx.newPage(); p.on('console', c => lines.push(`tab${k}: ${c.text()}`)); p.on('pageerror', e => lines.push(`tab${k} PAGEERROR ${e}`)); await p.goto(s.page(m, tiles.replaceAll('TAB__', 'tab' + k))); tabs.push(p) }
await sleep(2500)
await ctx.setOffline(true)
await Promise.all(tabs.map(async (p) => { for (let i = 0; i < 20; i++) { await p.click('#t' + i); await sleep(30) } }))
await sleep(1000)
const ob = await tabs[0].evaluate(() => Object.keys(localStorage).filter(k => k.startsWith('esales.outbox')).length)
await ctx.setOffline(false)
await sleep(12000)
const c = {}; for (const r of s.cluster.received({ market: m })) c[r.ticket] = (c[r.ticket] || 0) + 1
const dups = Object.entries(c).filter(([, v]) => v > 1)
console.log(`round ${round}: outbox keys while offline ${ob}; received ${s.cluster.received({ market: m }).length}, distinct ${Object.keys(c).length}/60, dups ${JSON.stringify(dups)}`)
const left = await tabs[0].evaluate(() => Object.keys(localStorage).filter(k => k.startsWith('esales.outbox')).map(k => k + ':' + localStorage.getItem(k).length))
console.log('  left in storage', left, lines.filter(l => /PAGEERROR|error/.test(l)).slice(0, 3))
await ctx.close()
}
await s.close()
