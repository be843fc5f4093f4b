import { setup, sleep } from './h.mjs'
const s = await setup()
const ctx = await s.browser.newContext({ viewport: { width: 1000, height: 700 } })
const attrs = { 'data-api': 'v3' }
const tile = (t) => `<a href="#" data-esales-ad data-esales-ticket="${t}" style="display:block;width:300px;height:200px;background:#c00">${t}</a>`
const run = async (name, body, steps) => {
  const m = s.market(); const p = await ctx.newPage()
  await p.goto(s.page(m, body, { attrs })); await sleep(1800)
  await steps(p)
  console.log(name.padEnd(70), JSON.stringify(s.rec(m).map(r => r.ticket)))
  await p.close()
}
await run('infinite scroll: replaceState(?page=2) + append rows, 3 times', `<div id=list>${tile('AD1')}</div>`, async (p) => {
  for (let i = 2; i <= 4; i++) {
    await p.evaluate((i) => { history.replaceState(null, '', '?page=' + i); const d = document.createElement('div'); d.textContent = 'row ' + i; document.getElementById('list').append(d) }, i)
    await sleep(1500)
  }
})
await run('facet filter: replaceState(?color=red), same sponsored row stays', `<div id=list>${tile('AD1')}</div><div id=r></div>`, async (p) => {
  await p.evaluate(() => { history.replaceState(null, '', '?color=red'); document.getElementById('r').textContent = 'filtered' }); await sleep(1500)
})
await run('pushState with no DOM mutation afterwards (new view?)', tile('AD1'), async (p) => {
  await p.evaluate(() => history.pushState(null, '', '/other')); await sleep(1500)
})
await run('pushState, then back (popstate) to same path', tile('AD1'), async (p) => {
  await p.evaluate(() => history.pushState(null, '', '/other')); await sleep(100)
  await p.evaluate(() => history.back()); await sleep(1500)
})
await run('hash change (#reviews) + DOM change', `${tile('AD1')}<div id=r></div>`, async (p) => {
  await p.evaluate(() => { location.hash = 'reviews'; document.getElementById('r').textContent = 'x' }); await sleep(1500)
})
await s.close()
