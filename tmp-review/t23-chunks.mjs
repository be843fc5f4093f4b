import { setup, sleep } from './h.mjs'
const s = await setup()
for (const [name, attrs, head, act] of [
  ['plain page, click', {}, '', async (p) => p.click('#t')],
  ['consent pending, CMP says no (consent(false)) on each page', { 'data-consent': 'pending' }, `<script>window.esales=window.esales||function(){(esales.q=esales.q||[]).push(arguments)}; esales('consent', false)</script>`, async (p) => {}],
  ['favorite click', {}, '', async (p) => p.click('#f')],
]) {
  const ctx = await s.browser.newContext(); const p = await ctx.newPage(); const m = s.market(); const req = []
  p.on('request', r => { if (r.url().includes('/dist/')) req.push(new URL(r.url()).pathname) })
  await p.goto(s.page(m, `<a id=t href="#" data-esales-ticket="T">t</a><button id=f data-esales-favorite="P1" aria-pressed=false>f</button>`, { attrs, head })); await sleep(500); await act(p); await sleep(2500)
  console.log(name.padEnd(60), req, (await ctx.cookies()).map(c => c.name))
  await ctx.close()
}
await s.close()
