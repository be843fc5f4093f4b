import { setup, sleep } from './h.mjs'
const s = await setup()
const ctx = await s.browser.newContext(); const p = await ctx.newPage(); const lines = s.watch(p); const m = s.market()
await p.goto(s.page(m, `x`, { attrs: { 'data-api': 'v2' }, head: `<script>window.esales=window.esales||function(){(esales.q=esales.q||[]).push(arguments)}; esales('click'); esales('nope', 1); esales('addToCart', {toString(){throw new Error('x')}}); esales.q.push(null); esales.q.push('str'); esales('setCustomerKey', 'QUEUED-KEY')</script>` }))
await sleep(500)
const res = await p.evaluate(async () => {
  const out = []
  const evil = new Proxy({}, { get() { throw new Error('proxy trap') }, has() { throw new Error('trap') }, ownKeys() { throw new Error('trap') } })
  const getterThrows = { get productKey() { throw new Error('getter') } }
  const cyclic = []; cyclic.push(cyclic)
  const calls = [
    ['click', [undefined]], ['click', [Symbol('s')]], ['click', [evil]], ['addToCart', [123]],
    ['addFavorite', [evil]], ['addFavorite', [getterThrows]], ['removeFavorite', [{ variantKey: 5 }]],
    ['payment', [evil]], ['payment', [[{ variantKey: 'V', quantity: 1, sellingPrice: 1 }, null]]], ['payment', [cyclic]],
    ['payment', [Object.assign([ { variantKey: 'V', quantity: 2, sellingPrice: 9.5 } ], { length: 1 })]],
    ['removeRecentSearches', [evil]], ['removeRecentSearches', [new Array(1e6).fill('x')]], ['removeRecentSearches', [cyclic]],
    ['setCustomerKey', [evil]], ['setCustomerKey', ['x'.repeat(129)]], ['setCustomerKey', ['ok-key']],
    ['consent', [evil]], ['keys', []],
  ]
  for (const [name, args] of calls) {
    try { const r = window.esales[name](...args); out.push(name + ' ok ' + (r && JSON.stringify(r))) } catch (e) { out.push(name + ' THREW ' + e) }
    try { window.esales(name, ...args) } catch (e) { out.push('cmd ' + name + ' THREW ' + e) }
  }
  return out
})
await sleep(2500)
console.log(res.filter(r => /THREW|keys/.test(r)))
console.log('records', s.rec(m).map(r => `${r.type}:${String(r.ticket).slice(0, 60)}:${r.verdict}:${r.ck}`))
console.log('console', lines.length, lines.map(l => l.slice(0, 160)))
await s.close()
