import { setup, sleep } from './h.mjs'
import { NO_BEACON } from '../test/support/page.js'
const s = await setup()
const show = (name, m, lines = []) => console.log(name.padEnd(70), JSON.stringify(s.rec(m).map(r => `${r.type}:${String(r.ticket).slice(0, 12)}${r.ticket?.length > 12 ? '…(' + r.ticket.length + ')' : ''}:${r.verdict}`)), lines.filter(l => !/esales: (beacon|sent)/.test(l)).slice(0, 4))
{ // 100 KB ticket on a link that navigates at once
  const ctx = await s.browser.newContext(); const p = await ctx.newPage(); const lines = s.watch(p); const m = s.market()
  const big = 'B'.repeat(100_000)
  await p.goto(s.page(m, `<a id=t href="/landing" data-esales-ticket="${big}">big</a>`)); await sleep(300)
  await p.click('#t'); await p.waitForURL(/landing/); await sleep(3000)
  const p2 = await ctx.newPage(); await p2.goto(s.page(m, 'next page')); await sleep(3000)
  show('100KB ticket, link navigates at once', m, lines); await ctx.close()
}
{ // several 30KB tickets clicked, then navigate: keepalive quota shared
  const ctx = await s.browser.newContext(); const p = await ctx.newPage(); const lines = s.watch(p); const m = s.market()
  const t = (i) => `<a id=t${i} href="#" data-esales-ticket="${i}${'x'.repeat(30000)}">t${i}</a>`
  await p.goto(s.page(m, t(1) + t(2) + t(3) + '<a id=go href="/landing" data-esales-ticket="GO">go</a>')); await sleep(300)
  await p.click('#t1'); await p.click('#t2'); await p.click('#t3'); await p.click('#go'); await p.waitForURL(/landing/); await sleep(3000)
  const p2 = await ctx.newPage(); await p2.goto(s.page(m, 'next page')); await sleep(3000)
  show('3x30KB tickets then a navigating click', m, lines); await ctx.close()
}
{ // strict CSP with Trusted Types
  const ctx = await s.browser.newContext(); const p = await ctx.newPage(); const lines = s.watch(p); const m = s.market()
  await p.goto(s.page(m, `<a id=t href="#" data-esales-ticket="CSP">t</a><a id=f href="#" data-esales-favorite="P1" aria-pressed="false">fav</a>`, { headers: { 'content-security-policy': `default-src 'none'; script-src 'self'; connect-src ${s.cluster.url}; require-trusted-types-for 'script'; trusted-types 'none'` } }))
  await sleep(300); await p.click('#t'); await p.click('#f'); await sleep(2000)
  show('CSP script-src self + Trusted Types', m, lines); await ctx.close()
}
{ // CSP + no beacon (ky path) + Trusted Types
  const ctx = await s.browser.newContext(); const p = await ctx.newPage(); await p.addInitScript(NO_BEACON); const lines = s.watch(p); const m = s.market()
  await p.goto(s.page(m, `<a id=t href="#" data-esales-ticket="CSPKY">t</a>`, { headers: { 'content-security-policy': `default-src 'none'; script-src 'self'; connect-src ${s.cluster.url}; require-trusted-types-for 'script'; trusted-types 'none'` } }))
  await sleep(300); await p.click('#t'); await sleep(2500)
  show('CSP + Trusted Types, no beacon', m, lines); await ctx.close()
}
{ // bfcache: click, navigate, back, click again; ads on restore
  const ctx = await s.browser.newContext(); const p = await ctx.newPage(); const lines = s.watch(p); const m = s.market()
  await p.goto(s.page(m, `<a id=t href="/landing" data-esales-ticket="BF">t</a><div data-esales-ad data-esales-ticket="ADBF" style="width:300px;height:100px;background:red"></div><script>addEventListener('pageshow', e => console.log('pageshow persisted=' + e.persisted))</script>`, { attrs: { 'data-api': 'v3' } }))
  await sleep(1500); await p.click('#t'); await p.waitForURL(/landing/); await sleep(500)
  await p.goBack(); await sleep(1500); await p.click('#t'); await p.waitForURL(/landing/); await sleep(1500)
  show('bfcache: click, nav, back, click (ads in view)', m, lines); await ctx.close()
}
{ // bfcache on the ky path
  const ctx = await s.browser.newContext(); const p = await ctx.newPage(); await p.addInitScript(NO_BEACON); const lines = s.watch(p); const m = s.market()
  await p.goto(s.page(m, `<a id=t href="/landing" data-esales-ticket="BFKY">t</a><script>addEventListener('pageshow', e => console.log('pageshow persisted=' + e.persisted))</script>`))
  await sleep(1500); await p.click('#t'); await p.waitForURL(/landing/); await sleep(800)
  await p.goBack(); await sleep(2000); await p.click('#t'); await p.waitForURL(/landing/); await sleep(2500)
  const p2 = await ctx.newPage(); await p2.addInitScript(NO_BEACON); await p2.goto(s.page(m, 'next')); await sleep(3000)
  show('bfcache on the ky path', m, lines); await ctx.close()
}
await s.close()
