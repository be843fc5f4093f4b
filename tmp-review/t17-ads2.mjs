import { setup, sleep } from './h.mjs'
const s = await setup()
const ctx = await s.browser.newContext({ viewport: { width: 1300, height: 700 } })
const run = async (name, body, steps, attrs = { 'data-api': 'v3' }) => {
  const m = s.market(); const p = await ctx.newPage(); const lines = s.watch(p)
  await p.goto(s.page(m, body, { attrs })); await steps(p)
  console.log(name.padEnd(78), JSON.stringify(s.rec(m).map(r => r.type + ':' + r.ticket)), lines.slice(0, 3))
  await p.close()
}
// 300x300 item with 40% visible at bottom of viewport, then grows to 1200 wide (360,000 px2 -> 30% rule applies)
await run('item 40% in view grows from 90,000 px2 to 360,000 px2 (30% rule)', `<div style="height:580px"></div><div id=ad data-esales-ad data-esales-ticket="GROW" style="width:300px;height:300px;background:red"></div><div style="height:2000px"></div>`,
  async (p) => { await sleep(1500); await p.evaluate(() => { document.getElementById('ad').style.width = '1200px' }); await sleep(2500) })
await run('large item 35% in view shrinks to 90,000 px2 (now needs 50%)', `<div style="height:595px"></div><div id=ad data-esales-ad data-esales-ticket="SHRINK" style="width:1000px;height:300px;background:red"></div><div style="height:2000px"></div>`,
  async (p) => { await sleep(200); await p.evaluate(() => { document.getElementById('ad').style.width = '300px' }); await sleep(2500) })
await run('v2 page with 3 ads added over time: how many errors', `<div id=c></div>`, async (p) => {
  for (let i = 0; i < 3; i++) { await p.evaluate((i) => { const d = document.createElement('div'); d.setAttribute('data-esales-ad', ''); d.setAttribute('data-esales-ticket', 'V2AD' + i); d.textContent = 'ad'; document.getElementById('c').append(d) }, i); await sleep(600) }
  await sleep(1500)
}, { 'data-api': 'v2' })
await run('ad in view in a hidden (display:none) tab panel that is shown after 3 s', `<div id=panel style="display:none"><div data-esales-ad data-esales-ticket="PANEL" style="width:300px;height:200px;background:red"></div></div>`,
  async (p) => { await sleep(3000); console.log('  before shown:', 'n/a'); await p.evaluate(() => { document.getElementById('panel').style.display = 'block' }); await sleep(1500) })
await run('manual mode: element viewable, no call', `<div data-esales-ad data-esales-ticket="MAN" style="width:300px;height:200px;background:red"></div>`, async (p) => { await sleep(2000) }, { 'data-api': 'v3', 'data-ad-impressions': 'manual' })
await run('position:fixed ad (sticky footer banner)', `<div data-esales-ad data-esales-ticket="FIXED" style="position:fixed;bottom:0;width:300px;height:100px;background:red"></div>`, async (p) => { await sleep(2000) })
await s.close()
