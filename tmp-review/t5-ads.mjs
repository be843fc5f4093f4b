import { setup, sleep } from './h.mjs'
const s = await setup()
const ctx = await s.browser.newContext({ viewport: { width: 1000, height: 700 } })
const attrs = { 'data-api': 'v3', 'data-debug': '' }
const tile = (id, t, style = '') => `<a href="#" id="${id}" data-esales-ad data-esales-ticket="${t}" style="display:block;width:300px;height:200px;background:#c00;${style}">${t}</a>`
const cases = {
  'opacity:0': tile('a', 'OPACITY0', 'opacity:0'),
  'visibility:hidden': tile('a', 'VISHIDDEN', 'visibility:hidden'),
  'covered by a fixed consent banner': tile('a', 'COVERED') + '<div style="position:fixed;inset:0;background:#fff;z-index:9">Cookie banner</div>',
  'height 0 overflow hidden (collapsed)': tile('a', 'ZEROHEIGHT', 'height:0;overflow:hidden;padding:0'),
  'inside collapsed <details>': `<details><summary>Sponsored</summary>${tile('a', 'DETAILS')}</details>`,
  'fade carousel: 3 stacked slides, 2 at opacity 0': `<div style="position:relative;height:200px">${tile('a','SLIDE1','position:absolute;top:0')}${tile('b','SLIDE2','position:absolute;top:0;opacity:0')}${tile('c','SLIDE3','position:absolute;top:0;opacity:0')}</div>`,
  'clip-path: inset(100%)': tile('a', 'CLIPPED', 'clip-path:inset(50%)'),
  'sr-only 1x1 clip': tile('a', 'SRONLY', 'position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)'),
  'offscreen via scroll container (control)': `<div style="height:200px;overflow:auto"><div style="height:1000px"></div>${tile('a','INSCROLLER')}</div>`,
  'translateX off a overflow:hidden carousel (control)': `<div style="width:300px;overflow:hidden">${tile('a','TRANSLATED','transform:translateX(400px)')}</div>`,
}
for (const [name, body] of Object.entries(cases)) {
  const m = s.market()
  const p = await ctx.newPage()
  await p.goto(s.page(m, body, { attrs }))
  await sleep(2500)
  console.log(name.padEnd(52), JSON.stringify(s.rec(m).map(r => r.type + ':' + r.ticket)))
  await p.close()
}
await s.close()
