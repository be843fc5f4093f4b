import { setup, sleep } from './h.mjs'
const s = await setup()
const body = (t) => `<a id=t href="#x" data-esales-ticket="${t}">tile</a>`
const variants = [
  ['Domain=shop.test; Path=/ (as README asks)', 'Domain=shop.test; Path=/', { 'data-cookie-domain': 'shop.test' }],
  ['no Domain (host-only) while snippet uses data-cookie-domain', 'Path=/', { 'data-cookie-domain': 'shop.test' }],
  ['Domain=shop.test while snippet has no data-cookie-domain', 'Domain=shop.test; Path=/', {}],
  ['Path=/account (deeper) same domain', 'Domain=shop.test; Path=/account', { 'data-cookie-domain': 'shop.test' }],
  ['HttpOnly, same Domain/Path', 'Domain=shop.test; Path=/; HttpOnly', { 'data-cookie-domain': 'shop.test' }],
  ['HttpOnly + data-customer-key rendered', 'Domain=shop.test; Path=/; HttpOnly', { 'data-cookie-domain': 'shop.test', 'data-customer-key': 'SIGNEDIN' }],
  ['value URL-encoded by server (a:b -> a%3Ab)', 'Domain=shop.test; Path=/', { 'data-cookie-domain': 'shop.test' }, 'user%3A42'],
]
for (const [name, attrsStr, attrs, value = 'SIGNEDIN'] of variants) {
  const ctx = await s.browser.newContext(); const m = s.market()
  const go = async (path, t, headers) => { const p = await ctx.newPage(); const lines = s.watch(p); await p.goto(s.page(m, body(t), { attrs, host: 'www.shop.test', headers, path })); await p.click('#t'); await sleep(600); await p.close(); return lines }
  await go(`/account/a${m}`, 'BEFORE')
  await go(`/account/login${m}`, 'SIGNIN-PAGE', { 'set-cookie': `apptus.customerKey=${value}; Max-Age=31536000; ${attrsStr}` })
  await go(`/account/orders${m}`, 'ACCOUNT-NEXT')
  await go(`/shop${m}`, 'SHOP-NEXT')
  const ck = (await ctx.cookies()).filter(c => c.name == 'apptus.customerKey').map(c => `${c.value.slice(0,8)}@${c.domain}${c.path}${c.httpOnly?' HttpOnly':''}`)
  console.log(`-- ${name}\n   ${s.rec(m).map(r => `${r.ticket}=${r.ck}`).join('  ')}\n   cookies: ${ck.join(', ')}`)
  await ctx.close()
}
await s.close()
