import { setup, sleep } from './h.mjs'
const s = await setup()
const body = '<a id=t href="#x" data-esales-ticket="T">tile</a>'
const cases = [
  ['cookie domain of another site', { 'data-cookie-domain': 'shop.example' }, 'www.shop.test'],
  ['cookie domain with ; injection', { 'data-cookie-domain': 'shop.test;path=/deep' }, 'www.shop.test'],
  ['data-debug="false"', { 'data-debug': 'false' }],
  ['data-consent="Pending" (capital P)', { 'data-consent': 'Pending' }],
  ['data-consent="denied"', { 'data-consent': 'denied' }],
  ['data-market=" UK "', { 'data-market': ' UK ' }],
  ['data-customer-key="a@b.com"', { 'data-customer-key': 'a@b.com' }],
  ['data-api="V3"', { 'data-api': 'V3' }],
]
for (const [name, attrs, host] of cases) {
  const ctx = await s.browser.newContext(); const p = await ctx.newPage(); const lines = s.watch(p)
  const m = s.market()
  if (!attrs['data-market']) attrs['data-market'] = m
  await p.goto(s.page(m, body, { attrs, host })); await p.click('#t'); await sleep(2500)
  const cookies = (await ctx.cookies()).map(c => `${c.name}@${c.domain}${c.path}`)
  const recs = s.cluster.received({ market: attrs['data-market'] }).map(r => `${r.type}:${r.ticket} ck=${r.customerKey.slice(0,8)} ${r.verdict}`)
  console.log(`-- ${name}\n   recs=${JSON.stringify(recs)} cookies=${JSON.stringify(cookies)}\n   console=${JSON.stringify(lines.slice(0,4))} (+${Math.max(0, lines.length-4)})`)
  await ctx.close()
}
await s.close()
