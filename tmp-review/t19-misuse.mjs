import { setup, sleep } from './h.mjs'
const s = await setup()
for (const [name, code] of [
  ['addEventListener("click", esales.click) (passes the MouseEvent)', `document.getElementById('b').addEventListener('click', esales.click); document.getElementById('b').click()`],
  ['click(cyclic object, like a React SyntheticEvent)', `const o = { type: 'click' }; o.self = o; esales.click(o)`],
  ['click(10n) BigInt', `esales.click(10n)`],
  ['addToCart(document.body)', `esales.addToCart(document.body)`],
  ['setCustomerKey(cyclic)', `const o = {}; o.o = o; esales.setCustomerKey(o)`],
  ['addFavorite(cyclic)', `const o = {}; o.o = o; esales.addFavorite(o)`],
  ['payment with a cyclic line', `const l = { variantKey: 'V', quantity: 1, sellingPrice: 1 }; l.l = l; esales.payment([l])`],
]) {
  const ctx = await s.browser.newContext(); const p = await ctx.newPage(); const lines = s.watch(p); const m = s.market()
  await p.goto(s.page(m, `<button id=b>b</button>`, { head: `<script>addEventListener('unhandledrejection', e => console.log('UNHANDLED REJECTION: ' + e.reason))</script>` })); await sleep(300)
  await p.evaluate(code); await sleep(1200)
  console.log(name.padEnd(62), lines.map(l => l.slice(0, 140)))
  await ctx.close()
}
await s.close()
