import { setup, sleep } from './h.mjs'
import { NO_BEACON } from '../test/support/page.js'
const s = await setup()
const breaks = {
  'Promise = broken polyfill (then never resolves)': `window.Promise = function(){ this.then = function(){ return this } }; window.Promise.resolve = () => new window.Promise()`,
  'Array.prototype.push/map/filter/forEach/includes throw': `for (const k of ['push','map','filter','forEach','includes','indexOf','slice','concat','join']) Array.prototype[k] = function(){ throw new Error('broken '+k) }`,
  'String.prototype.split/replace/startsWith throw': `for (const k of ['split','replace','startsWith','trim']) String.prototype[k] = function(){ throw new Error('broken '+k) }`,
  'Object.assign / Object.entries throw': `Object.assign = () => { throw new Error('no assign') }; Object.entries = () => { throw new Error('no entries') }`,
  'JSON = undefined': `window.JSON = undefined`,
  'setTimeout replaced (zone.js-like wrapper returning object)': `const st = window.setTimeout; window.setTimeout = function(f, ms){ st(f, ms); return { id: 1 } }`,
  'requestAnimationFrame never fires': `window.requestAnimationFrame = () => 0`,
  'requestIdleCallback never fires': `window.requestIdleCallback = () => 0`,
  'localStorage getter throws': `Object.defineProperty(window, 'localStorage', { get(){ throw new Error('denied') } })`,
  'document.cookie setter swallowed (consent tool)': `const d = Object.getOwnPropertyDescriptor(Document.prototype, 'cookie'); Object.defineProperty(document, 'cookie', { get(){ return d.get.call(document) }, set(){} })`,
  'document.cookie getter throws': `Object.defineProperty(document, 'cookie', { get(){ throw new Error('no cookie') }, set(){ throw new Error('no cookie') } })`,
  'URL = undefined': `window.URL = undefined`,
  'encodeURIComponent replaced': `window.encodeURIComponent = (s) => String(s).toUpperCase()`,
  'AbortController missing': `window.AbortController = undefined`,
  'MutationObserver missing': `window.MutationObserver = undefined`,
  'Symbol.for throws': `Symbol.for = () => { throw new Error('no') }`,
  'Object.prototype polluted (enumerable props)': `Object.prototype.market = 'EVIL'; Object.prototype.endpoint = 'https://evil.example'; Object.prototype.consent = 'pending'`,
  'window.esales pre-defined by page as non-function object': `window.esales = { version: 1 }`,
  'window.esales frozen non-writable': `Object.defineProperty(window, 'esales', { value: function(){}, writable: false })`,
}
for (const beacon of [true, false]) {
  for (const [name, code] of Object.entries(breaks)) {
    const ctx = await s.browser.newContext(); const p = await ctx.newPage(); const lines = s.watch(p)
    if (!beacon) await p.addInitScript(NO_BEACON)
    const m = s.market()
    await p.goto(s.page(m, `<a id=t href="#x" data-esales-ticket="T">tile</a><a id=n href="/landing" data-esales-ticket="NAV">go</a>`, { head: `<script>${code}</script>` }))
    await sleep(400); await p.click('#t'); await sleep(2500)
    const r1 = s.rec(m).map(r => `${r.ticket}:${r.verdict}${r.reason ? '(' + r.reason.slice(0, 40) + ')' : ''}`)
    // a navigating click
    await p.click('#n'); await p.waitForURL(/landing/); await sleep(1500)
    // next healthy page flushes outbox
    const p2 = await ctx.newPage(); if (!beacon) await p2.addInitScript(NO_BEACON)
    await p2.goto(s.page(m, 'healthy')); await sleep(3000)
    const all = s.rec(m).map(r => `${r.ticket}:${r.verdict}`)
    const errs = lines.filter(l => /PAGEERROR|error/i.test(l))
    console.log(`${beacon ? 'beacon ' : 'NObeac '}| ${name.padEnd(56)} | ${JSON.stringify(all)} ${errs.length ? JSON.stringify(errs.slice(0, 3)) : ''}`)
    await ctx.close()
  }
}
await s.close()
