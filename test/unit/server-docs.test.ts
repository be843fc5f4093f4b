// The server examples of the README and docs/server.md as a shop copies them: the README's block
// runs as printed, its checkout does not fail or wait on the payment, and every example that
// writes key cookies gives the middleware and the proxy the same cookie options.
import { readFileSync } from 'node:fs'
import express from 'express'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startCluster, type MockCluster } from '../../cluster/server.js'
import * as server from '../../src/server/index'

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8')
const section = readme.slice(readme.indexOf('## On your server'), readme.indexOf('\n## ', readme.indexOf('## On your server') + 3))
const guide = readFileSync(new URL('../../docs/server.md', import.meta.url), 'utf8')
/** The js and ts blocks of a Markdown text. */
const blocks = (markdown: string) => [...markdown.matchAll(/^```(?:js|ts)\n([\s\S]*?)^```$/gm)].map((m) => m[1]!)

let cluster: MockCluster
beforeAll(async () => { cluster = await startCluster({ apiKey: 'readme-key', knownKeys: ['V1'] }) })
afterAll(() => cluster.close())

describe("the README's server example", () => {
  it('runs as printed, answers the checkout at once, and logs a payment that eSales refuses without failing the order', async () => {
    const code = blocks(section)[0]!.replace(/^import .*$/gm, '').replaceAll("clusterId: 'w1A2B3C4D'", `endpoint: '${cluster.url}'`)
    let app: express.Express | undefined
    const orders: unknown[] = []
    const logged: unknown[][] = []
    const shopExpress = Object.assign((...args: Parameters<typeof express>) => (app = express(...args)), express)
    const placeOrder = async (body: { lines: unknown[] }) => { orders.push(body); return { id: orders.length, lines: body.lines } }
    const log = { error: (...args: unknown[]) => { logged.push(args) } }
    const env = { ESALES_API_KEY: 'readme-key' }
    new Function('express', 'readKeys', 'keysMiddleware', 'sendPayment', 'createProxy', 'toNodeHandler', 'placeOrder', 'consentLevel', 'process', 'console', code)(
      shopExpress, server.readKeys, server.keysMiddleware, server.sendPayment, server.createProxy, server.toNodeHandler, placeOrder, () => 'granted', { env }, log)
    expect(app).toBeDefined()
    const listening = app!.listen(0, '127.0.0.1')
    await new Promise((done) => listening.once('listening', done))
    const url = `http://127.0.0.1:${(listening.address() as { port: number }).port}`
    try {
      const page = await fetch(url + '/')
      const cookie = page.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ')
      for (const [label, line, refused] of [['known', { sku: 'V1', quantity: 1, unitPrice: 10 }, false], ['unknown variant', { sku: 'V9', quantity: 1, unitPrice: 10 }, true],
        ['price as a string', { sku: 'V1', quantity: 1, unitPrice: '10.00' }, true]] as const) {
        logged.length = 0
        const r = await fetch(url + '/checkout', { method: 'POST', redirect: 'manual', headers: { cookie, 'content-type': 'application/json' }, body: JSON.stringify({ lines: [line] }) })
        expect([label, r.status]).toEqual([label, 303])
        await new Promise((done) => setTimeout(done, 100))
        expect([label, logged.length]).toEqual([label, refused ? 1 : 0])
        if (refused) expect(String(logged[0]![0])).toMatch(/payment not sent to eSales/)
      }
    } finally {
      listening.closeAllConnections()
      await new Promise((done) => listening.close(done))
    }
  })
})

describe('the cookie options of the examples', () => {
  it('are one object for the middleware and the proxy, wherever an example sets a domain', () => {
    for (const [doc, text] of [['README.md', section], ['docs/server.md', guide]] as const) {
      for (const code of blocks(text)) {
        // A domain is written once, in the shared object, never inline in a call.
        expect([doc, code]).not.toEqual([doc, expect.stringMatching(/(keysMiddleware|withKeyCookies|createProxy)\([^)]*domain:/)])
        for (const call of code.matchAll(/createProxy\(\{([^}]*)\}/g)) {
          if (/keysMiddleware|withKeyCookies/.test(code)) expect([doc, call[1]]).toEqual([doc, expect.stringContaining('...cookies')])
        }
      }
    }
  })
})
