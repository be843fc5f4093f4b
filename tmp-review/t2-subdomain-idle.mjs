import { setup, sleep } from './h.mjs'
const s = await setup()
const ctx = await s.browser.newContext()
const m = s.market()
const port = new URL(s.shop.url).port
const attrs = { 'data-cookie-domain': 'shop.test', 'data-api': 'v3' }
const body = '<a id=t href="#x" data-esales-ticket="T">tile</a>'
const T0 = Date.now()
const visit = async (host, minutes, ticket) => {
  await ctx.clock.setSystemTime(T0 + minutes * 60000)
  const p = await ctx.newPage(); const lines = s.watch(p, host + ': ')
  await p.goto(s.page(m, body.replace('"T"', `"${ticket}"`), { attrs, host }))
  await p.click('#t'); await sleep(700)
  const mirror = await p.evaluate(() => localStorage.getItem('esales.keys'))
  console.log(`t+${minutes}min ${host}`, 'cookie:', (await ctx.cookies()).filter(c=>c.name=='apptus.sessionKey').map(c=>c.domain+' '+c.value.slice(0,8)).join(','), 'mirror:', mirror?.slice(0, 90))
  await p.close()
  if (lines.length) console.log(lines)
}
await visit('www.shop.test', 0, 'www-0')
await visit('checkout.shop.test', 10, 'co-10')
await visit('checkout.shop.test', 20, 'co-20')
await visit('checkout.shop.test', 29, 'co-29')
await visit('www.shop.test', 31, 'www-31')
await visit('checkout.shop.test', 32, 'co-32')
console.log(s.rec(m).map(r => `${r.ticket} ck=${r.ck} sk=${r.sk} ${r.verdict}`).join('\n'))
await s.close()
