import { chromium } from '@playwright/test'
import { findChromium, CHROMIUM_ARGS } from '../test/support/browser.js'
import { startCluster } from './snap/cluster/server.js'
import { startTestShop } from './snap/test/support/shop-server.js'
import { shopPage } from '../test/support/page.js'
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms))
export async function setup(opts = {}) {
  const cluster = await startCluster({ port: 0, allowOrigins: opts.allowOrigins || '*' })
  const shop = await startTestShop()
  const browser = await chromium.launch({ executablePath: findChromium(), args: CHROMIUM_ARGS, headless: true })
  let n = 0
  const market = () => 'm' + (++n) + '-' + Math.random().toString(36).slice(2, 6)
  const page = (market, body, { attrs = {}, head = '', headers, path, host } = {}) => {
    let url = shop.page(shopPage({ src: `${shop.url}/dist/esales.js`, attrs: { 'data-endpoint': cluster.url, 'data-market': market, ...attrs }, head, body }), headers, path)
    if (host) url = url.replace('localhost', host)
    return url
  }
  const rec = (m, f = {}) => cluster.received({ market: m, ...f }).map((r) => ({ type: r.type, verdict: r.verdict, ticket: r.ticket ?? r.body, ck: r.customerKey?.slice(0, 8), sk: r.sessionKey?.slice(0, 8), origin: r.origin, reason: r.reason || undefined, status: r.status }))
  const watch = (p, tag = '') => {
    const lines = []
    p.on('console', (m) => lines.push(`${tag}${m.type()}: ${m.text()}`))
    p.on('pageerror', (e) => lines.push(`${tag}PAGEERROR: ${e}`))
    return lines
  }
  const close = async () => { await browser.close(); await cluster.close(); await shop.close() }
  return { cluster, shop, browser, market, page, rec, watch, close }
}
