import { setup, sleep } from './h.mjs'
import { createServer } from 'node:http'
import { readFileSync } from 'node:fs'
const s = await setup()
const js = readFileSync('./snap/dist/esales.js')
const pages = new Map()
const srv = createServer((req, res) => {
  if (req.url.startsWith('/assets/esales.3f2a9c.js')) return res.writeHead(200, { 'content-type': 'text/javascript' }).end(js)
  if (pages.has(req.url)) return res.writeHead(200, { 'content-type': 'text/html' }).end(pages.get(req.url))
  res.writeHead(404).end('nf')
}).listen(0, '127.0.0.1'); await new Promise(r => srv.on('listening', r))
const origin = `http://localhost:${srv.address().port}`
for (const noBeacon of [false, true]) {
  const m = s.market()
  pages.set('/p', `<!doctype html><script ${noBeacon ? '' : ''}>${noBeacon ? 'delete Navigator.prototype.sendBeacon' : ''}</script><script src="/assets/esales.3f2a9c.js" data-endpoint="${s.cluster.url}" data-market="${m}" data-api="v3"></script>
  <a id=t href="#" data-esales-ticket="T">t</a><div data-esales-ad data-esales-ticket="AD" style="width:300px;height:200px;background:red"></div>`)
  const ctx = await s.browser.newContext(); const p = await ctx.newPage(); const lines = s.watch(p)
  await p.goto(origin + '/p'); await sleep(300); await p.click('#t'); await sleep(2500)
  console.log(noBeacon ? 'no beacon:' : 'beacon:   ', JSON.stringify(s.rec(m).map(r => r.type + ':' + r.ticket)), lines)
  await ctx.close()
}
srv.close(); await s.close()
