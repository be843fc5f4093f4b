import { setup, sleep } from './h.mjs'
const s = await setup()
const ctx = await s.browser.newContext(); const m = s.market()
const attrs = { 'data-cookie-domain': 'shop.test' }
const body = (t) => `<a id=t href="#x" data-esales-ticket="${t}">tile</a>`
const www = await ctx.newPage(); await www.goto(s.page(m, body('WWW'), { attrs, host: 'www.shop.test' })); await www.click('#t'); await sleep(800)
const co = await ctx.newPage(); await co.goto(s.page(m, body('CO'), { attrs, host: 'checkout.shop.test' })); await sleep(800)
await co.evaluate(() => esales.setCustomerKey('SIGNED-IN-42')); await co.click('#t'); await sleep(800)
await www.click('#t', { delay: 10 }); await sleep(800)
await co.evaluate(() => esales.reset()); await co.click('#t'); await sleep(800)
await www.click('#t'); await sleep(800)
await www.reload(); await www.click('#t'); await sleep(800)
console.log(s.rec(m).map(r => `${r.origin.split('//')[1].split('.')[0]} ${r.ticket} ck=${r.ck} sk=${r.sk}`).join('\n'))
console.log((await ctx.cookies()).map(c => `${c.name}=${c.value.slice(0, 12)}@${c.domain}`))
await s.close()
