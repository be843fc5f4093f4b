import { webkitEngine } from '../test/engines/adapters.js'
import { startCluster } from '../cluster/server.js'
import { startTestShop } from '../test/support/shop-server.js'
import { shopPage } from '../test/support/page.js'
const sleep = (ms) => new Promise((r) => setTimeout(r, ms))
const cluster = await startCluster({ port: 0, allowOrigins: '*' }); const shop = await startTestShop()
const engine = await webkitEngine.launch((html) => shop.page(html))
console.log(engine.version)
const page = (m, body, attrs = {}) => shop.page(shopPage({ src: `${shop.url}/dist/esales.js`, attrs: { 'data-endpoint': cluster.url, 'data-market': m, ...attrs }, body }))
const tile = (t, style) => `<a href="#" data-esales-ad data-esales-ticket="${t}" style="display:block;width:300px;height:200px;background:#c00;${style}">${t}</a>`
let n = 0
const d = await engine.newPage()
for (const [name, body] of [['opacity:0', tile('OP0', 'opacity:0')], ['visibility:hidden', tile('VIS', 'visibility:hidden')], ['height:0 overflow:hidden', tile('ZERO', 'height:0;overflow:hidden')], ['control: display:none', tile('NONE', 'display:none')],
  ['favorite attr on a <label> around a checkbox', `<label data-esales-favorite="P1"><input type=checkbox> <span id=txt>fav</span></label>`],
  ['infinite scroll replaceState x2', `<div id=l>${tile('RS', '')}</div>`]]) {
  const m = 'wk' + (++n)
  await d.open(page(m, body, { 'data-api': 'v3' })); await sleep(400)
  if (body.includes('label')) await d.click('#txt')
  if (name.startsWith('infinite')) { await sleep(1800); for (let i = 2; i < 4; i++) { await d.run(`history.replaceState(null, '', '?page=${i}'); document.getElementById('l').append(document.createElement('div'))`); await sleep(1800) } }
  await sleep(2500)
  console.log('webkit', name.padEnd(48), JSON.stringify(cluster.received({ market: m }).map(r => r.type + ':' + (r.ticket || r.body))))
}
await d.close(); await engine.close(); await cluster.close(); await shop.close()
