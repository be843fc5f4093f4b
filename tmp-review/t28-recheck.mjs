import { setup, sleep } from './h.mjs'
import { NO_BEACON } from '../test/support/page.js'
const s = await setup()
{ // no beacon + localStorage blocked + navigating click
  const ctx = await s.browser.newContext(); const p = await ctx.newPage(); const lines = s.watch(p); const m = s.market()
  await p.addInitScript(NO_BEACON)
  await p.goto(s.page(m, `<a id=t href="#" data-esales-ticket="STAY">t</a> <a id=n href="/landing" data-esales-ticket="NAV">go</a>`, { head: `<script>Object.defineProperty(window, 'localStorage', { get(){ throw new DOMException('denied', 'SecurityError') } })</script>` }))
  await sleep(1500); await p.click('#t'); await sleep(1500); await p.click('#n'); await p.waitForURL(/landing/); await sleep(3000)
  console.log('no beacon + storage blocked:', s.rec(m).map(r => r.ticket), lines)
  await ctx.close()
}
{ // a Proxy argument: unhandled rejection
  const ctx = await s.browser.newContext(); const p = await ctx.newPage(); const lines = s.watch(p); const m = s.market()
  await p.goto(s.page(m, 'x')); await sleep(300)
  await p.evaluate(() => { const evil = new Proxy({}, { get() { throw new Error('proxy trap') } }); esales.click(evil) }); await sleep(1000)
  console.log('click(Proxy):', lines)
  await ctx.close()
}
{ // MutationObserver removed by page: idle task throws
  const ctx = await s.browser.newContext(); const p = await ctx.newPage(); const lines = s.watch(p); const m = s.market()
  await p.goto(s.page(m, 'x', { head: '<script>window.MutationObserver = undefined</script>' })); await sleep(2500)
  console.log('no MutationObserver:', lines)
  await ctx.close()
}
await s.close()
