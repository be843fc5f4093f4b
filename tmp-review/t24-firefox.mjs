import puppeteer from 'puppeteer-core'
import { startCluster } from '../cluster/server.js'
import { startTestShop } from '../test/support/shop-server.js'
import { shopPage } from '../test/support/page.js'
const sleep = (ms) => new Promise((r) => setTimeout(r, ms))
const cluster = await startCluster({ port: 0, allowOrigins: '*' }); const shop = await startTestShop()
const browser = await puppeteer.launch({ browser: 'firefox', executablePath: '/usr/bin/firefox-esr', headless: true, extraPrefsFirefox: {
  'network.captive-portal-service.enabled': false, 'app.update.enabled': false, 'network.connectivity-service.enabled': false, 'datareporting.policy.dataSubmissionEnabled': false,
  'network.dns.localDomains': 'www.shop.test,checkout.shop.test' } })
console.log(await browser.version())
let n = 0
const page = (m, body, attrs = {}, host) => { let u = shop.page(shopPage({ src: `${shop.url}/dist/esales.js`, attrs: { 'data-endpoint': cluster.url, 'data-market': m, ...attrs }, body })); return host ? u.replace('localhost', host) : u }
const tile = (t, style) => `<a href="#" data-esales-ad data-esales-ticket="${t}" style="display:block;width:300px;height:200px;background:#c00;${style}">${t}</a>`
const ctx = await browser.createBrowserContext()
for (const [name, body] of [['opacity:0', tile('OP0', 'opacity:0')], ['visibility:hidden', tile('VIS', 'visibility:hidden')], ['height:0 overflow:hidden', tile('ZERO', 'height:0;overflow:hidden')], ['control: display:none', tile('NONE', 'display:none')],
  ['favorite attr on a <label> around a checkbox', `<label data-esales-favorite="P1"><input type=checkbox> <span id=txt>fav</span></label>`]]) {
  const m = 'ff' + (++n); const p = await ctx.newPage()
  await p.goto(page(m, body, { 'data-api': 'v3' })); await sleep(300)
  if (body.includes('label')) await p.click('#txt')
  await sleep(2500)
  console.log('firefox', name.padEnd(48), JSON.stringify(cluster.received({ market: m }).map(r => r.type + ':' + (r.ticket || r.body))))
  await p.close()
}
// subdomain session rotation: Date is faked per page via an init script
{
  const m = 'ffsub'; const attrs = { 'data-cookie-domain': 'shop.test' }
  const T0 = Date.now()
  const visit = async (host, minutes) => {
    const p = await ctx.newPage()
    await p.evaluateOnNewDocument((off) => { const D = Date; const now = D.now; D.now = () => now.call(D) + off }, minutes * 60000)
    await p.goto(page(m, `<a id=t href="#" data-esales-ticket="${host.split('.')[0]}+${minutes}">t</a>`, attrs, host)); await sleep(200); await p.click('#t'); await sleep(800); await p.close()
  }
  await visit('www.shop.test', 0); await visit('checkout.shop.test', 10); await visit('checkout.shop.test', 20); await visit('checkout.shop.test', 29); await visit('www.shop.test', 31)
  console.log('firefox subdomains:', cluster.received({ market: m }).map(r => `${r.ticket} sk=${r.sessionKey.slice(0, 8)}`).join(' | '))
}
await browser.close(); await cluster.close(); await shop.close()
