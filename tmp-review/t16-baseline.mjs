import { setup, sleep } from './h.mjs'
import { NO_BEACON } from '../test/support/page.js'
const s = await setup()
const sims = {
  'Safari 15.0-15.3 / Chrome 91-92 / Firefox 90-91: no Object.hasOwn': () => { delete Object.hasOwn },
  'Chrome 91: no Object.hasOwn, no Array.prototype.at': () => { delete Object.hasOwn; delete Array.prototype.at },
  'control: modern': () => {},
}
for (const [name, sim] of Object.entries(sims)) {
  const ctx = await s.browser.newContext(); const p = await ctx.newPage(); const lines = s.watch(p); const m = s.market()
  await p.addInitScript(sim); await p.addInitScript(NO_BEACON)
  await p.goto(s.page(m, `<a id=t href="#" data-esales-ticket="OLD">t</a>`, { attrs: { 'data-debug': '' } }))
  await sleep(300); await p.click('#t'); await sleep(3000)
  console.log(name, JSON.stringify(s.rec(m).map(r => r.ticket + ':' + r.verdict)), lines.filter(l => /not delivered|sent|kept|dropped|error/i.test(l)).slice(0, 3))
  await ctx.close()
}
await s.close()
