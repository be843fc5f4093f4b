// @ts-check
// The local eSales cluster: one module, used by the e2e tests, the benchmark, the demo, and
// shops through `npx esales-snippet-cluster` (cli.js) or `import 'esales-snippet/cluster'`.
// It validates every notification against the contract, answers 204 or 400 with the
// reason, records what it got, streams it to a live log page, and has fault switches. Beside
// the browser's notifications, it takes the server's payments on the admin API (admin.js).
import { createServer } from 'node:http'
import { EventEmitter } from 'node:events'
import { ADMIN_PAYMENT, DEFAULT_API_KEY, validateAdminPayment } from './admin.js'
import { decodeTicket, MAX_BODY, validateNotification } from './contract.js'
import { corsHeaders, parseAllowOrigins } from './cors.js'
import { fate, transportOf, triedAgain } from './fate.js'
import { logPage } from './log-page.js'

export { DEFAULT_API_KEY }

/**
 * @typedef {object} NotificationRecord
 * @property {number} seq
 * @property {string} time ISO time of arrival
 * @property {string} method
 * @property {string} url path and query
 * @property {'v2' | 'v3' | 'admin v3' | 'admin v4' | undefined} api
 * @property {'browser' | 'server'} source the browser's notification API, or the admin API (a shop's server; its Api-Key is never recorded)
 * @property {string | undefined} type click, add-to-cart, …
 * @property {string} market
 * @property {string} customerKey empty where the query has none
 * @property {string} sessionKey empty where the query has none
 * @property {string} userContext the consent level: the query's userContext, else PERSONALIZED
 * @property {string | undefined} contentType
 * @property {string} body the raw body, as UTF-8
 * @property {any} json the parsed body, when valid
 * @property {string | undefined} ticket
 * @property {string | undefined} readable the ticket's decoded path, when it decodes
 * @property {number} status what the cluster answered (0: connection dropped)
 * @property {'accepted' | 'rejected' | 'fault'} verdict
 * @property {string} reason why it was rejected, or which fault answered
 * @property {string | undefined} origin the Origin header
 * @property {boolean} cors whether the answer carried CORS headers for that origin: when false,
 *   a page's fetch from that origin rejects, though the request arrived (a beacon does not care)
 * @property {any[]} [taken] with a server payment: the lines eSales kept (those with known keys, also of a 400)
 * @property {'beacon' | 'fetch' | undefined} transport how the browser sent it, from its
 *   Sec-Fetch-Mode header (no-cors: a beacon; cors: a fetch, such as ky's); undefined without one
 * @property {number | undefined} again the `seq` of an earlier, identical request (method, URL
 *   with its keys and market, body) whose answer its page took as a failure: this is its retry
 * @property {string} fate what the page does with this answer, in words: '' when it was
 *   accepted and the page could read it (see fate.js)
 */

/**
 * A fault switch: the next `count` notifications (of one market, when set) get it.
 * @typedef {object} Fault
 * @property {'500' | '400' | '429' | '503' | 'delay' | 'drop'} kind
 * @property {number} count
 * @property {number} [ms] how long to wait before answering: with delay, then normally; with another kind, then with that fault
 * @property {number} [retryAfter] with 503 or 429: the Retry-After header, in seconds
 * @property {string} [market]
 */

const FAULT_KINDS = ['500', '400', '429', '503', 'delay', 'drop']

/**
 * @typedef {object} ClusterOptions
 * @property {number} [port] the port to listen on; 0 (the default) takes any free one
 * @property {string} [host] the address to listen on, 127.0.0.1 by default; 0.0.0.0 or :: for every interface
 * @property {import('./cors.js').AllowOrigins} [allowOrigins] page origins that get CORS headers
 *   besides the local ones (http(s)://localhost and *.localhost, 127.0.0.0/8 and [::1], any port,
 *   always allowed):
 *   a list such as `['http://www.shop.test:8080']`, or `'*'` for any origin. Any other origin is
 *   answered without CORS headers, as a real cluster restricted by its CORS settings does: the
 *   request is recorded, but a page's fetch rejects.
 * @property {string} [apiKey] the admin API's key, which server payments must send as `Api-Key`
 *   (403 without it); a development key (`DEFAULT_API_KEY`) by default. It is never recorded or shown.
 * @property {readonly string[]} [knownKeys] the variant and product keys of the catalog: a payment
 *   line with another key is unknown (400, and the other lines are taken). Without it, every key is known.
 */

/**
 * Starts the mock cluster.
 * @example
 * import { startCluster } from 'esales-snippet/cluster'
 * const cluster = await startCluster({ port: 8081, allowOrigins: ['http://shop.test:3000'] })
 * // data-endpoint="http://127.0.0.1:8081"; then cluster.received({ market: 'UK' })
 * await cluster.close()
 * @param {ClusterOptions} [options]
 */
export async function startCluster({ port = 0, host = '127.0.0.1', allowOrigins, apiKey = DEFAULT_API_KEY, knownKeys } = {}) {
  const allowed = parseAllowOrigins(allowOrigins)
  if (typeof apiKey != 'string' || !apiKey) throw new TypeError('apiKey must be a non-empty string')
  const known = knownKeys ? new Set(knownKeys) : undefined
  /** @type {NotificationRecord[]} */
  const records = []
  /** @type {Fault[]} */
  let faults = []
  let preflights = 0
  let seq = 0
  /** @type {Map<string, NotificationRecord>} the latest record of each distinct request, to tell a retry from a first try */
  const latest = new Map()
  const events = new EventEmitter()
  events.setMaxListeners(100)

  /** @param {string} market */
  const takeFault = (market) => {
    const fault = faults.find((f) => f.count > 0 && (!f.market || f.market == market))
    if (!fault) return undefined
    fault.count--
    faults = faults.filter((f) => f.count > 0)
    events.emit('faults', faults)
    return fault
  }

  /**
   * Records a notification with what its page makes of the answer.
   * @param {NotificationRecord} r @param {number} [retryAfter] the fault's Retry-After, in seconds
   */
  const record = (r, retryAfter) => {
    const key = `${r.method} ${r.url} ${r.body}`
    const earlier = latest.get(key)
    // Only after an answer that the page took as a failure: the same tile clicked twice after an
    // accepted click sends the same request too, and is no retry.
    if (earlier && triedAgain(earlier)) r.again = earlier.seq
    latest.set(key, r)
    r.fate = r.source == 'server'
      ? (r.status >= 200 && r.status < 300 ? '' : r.status == 400 || r.status == 403 ? `sent by the shop's server: sendPayment rejects with status ${r.status} and does not try again` : "sent by the shop's server: sendPayment tries again (network errors, 429 and 5xx, a bounded number of times)")
      : fate({ ...r, retryAfter })
    records.push(r)
    events.emit('record', r)
  }
  const forget = () => {
    records.length = 0
    latest.clear()
  }

  const server = createServer((req, res) => {
    const url = req.url || '/'
    const path = url.split('?')[0]
    const cors = corsHeaders(req.headers.origin, allowed)
    if (req.method == 'OPTIONS') {
      // The snippet sends CORS-safelisted requests only; a preflight means a custom header crept in.
      preflights++
      res.writeHead(204, cors).end()
      return
    }
    // The admin API is for servers: no CORS headers, and never taken as a notification.
    if (url.startsWith('/api/admin/')) return admin(req, res, url)
    // Every other POST is taken as a notification: a wrong path is recorded and answered 400.
    if (url.startsWith('/api/') || (req.method == 'POST' && path != '/faults' && path != '/records')) return notification(req, res, url, cors)
    if (req.method == 'GET' && (path == '/' || path == '/log')) {
      res.writeHead(200, { 'content-type': 'text/html;charset=utf-8' }).end(logPage())
      return
    }
    if (req.method == 'GET' && path == '/events') return stream(req, res, cors)
    if (path == '/records') {
      if (req.method == 'DELETE') forget()
      const market = new URL(url, 'http://x').searchParams.get('market')
      json(res, records.filter((r) => !market || r.market == market), cors)
      return
    }
    if (path == '/faults') return faultApi(req, res, cors)
    res.writeHead(404, { 'content-type': 'text/plain', ...cors }).end('not found')
  })

  /**
   * @param {import('node:http').IncomingMessage} req @param {import('node:http').ServerResponse} res @param {string} url
   * @param {Record<string, string>} cors
   */
  function notification(req, res, url, cors) {
    readBody(req, async (body, size) => {
      const contentType = req.headers['content-type']
      const verdict = validateNotification({ method: req.method || '', url, contentType, body, bodyBytes: size })
      const q = new URL(url, 'http://x').searchParams
      /** @type {NotificationRecord} */
      const r = {
        seq: ++seq,
        time: new Date().toISOString(),
        method: req.method || '',
        url,
        api: verdict.api,
        source: 'browser',
        type: verdict.type,
        market: q.get('market') || '',
        customerKey: q.get('customerKey') || '',
        sessionKey: q.get('sessionKey') || '',
        userContext: q.get('userContext') || 'PERSONALIZED',
        contentType,
        body,
        json: verdict.json,
        ticket: verdict.json && verdict.json.ticket,
        readable: decodeTicket(verdict.json && verdict.json.ticket),
        status: 204,
        verdict: 'accepted',
        reason: '',
        origin: req.headers.origin,
        cors: 'access-control-allow-origin' in cors,
        // Through a first-party proxy (createProxy), the browser's mode comes in a header of its own.
        transport: transportOf(req.headers['x-esales-fetch-mode'] || req.headers['sec-fetch-mode']),
        again: undefined,
        fate: ''
      }
      if (verdict.ok && await faulted(r, req, res, cors)) return
      if (!verdict.ok) {
        r.status = 400
        r.verdict = 'rejected'
        r.reason = verdict.reason || ''
      }
      record(r)
      res.writeHead(r.status, { 'content-type': 'text/plain', ...cors }).end(r.reason)
    })
  }

  /**
   * Applies the next fault switch of the record's market, if one is on: a delay, then the
   * normal answer; or the fault's answer, recorded. True when the fault answered.
   * @param {NotificationRecord} r @param {import('node:http').IncomingMessage} req
   * @param {import('node:http').ServerResponse} res @param {Record<string, string>} cors
   */
  async function faulted(r, req, res, cors) {
    const fault = takeFault(r.market)
    if (!fault) return false
    // A delay alone answers as usual, late; with another kind, that answer comes late.
    if (fault.kind == 'delay' || fault.ms) await new Promise((done) => setTimeout(done, fault.ms ?? 1000))
    if (fault.kind == 'delay') return false
    r.verdict = 'fault'
    r.reason = `fault switch: ${fault.kind}`
    if (fault.kind == 'drop') {
      r.status = 0
      record(r)
      req.socket.destroy()
      return true
    }
    r.status = Number(fault.kind)
    record(r, fault.retryAfter)
    const headers = { 'content-type': 'text/plain', ...cors, ...(fault.retryAfter != null ? { 'retry-after': String(fault.retryAfter) } : {}) }
    const text = fault.kind == '400' ? 'fault switch: 400' : fault.kind == '429' ? 'fault switch: too many requests' : 'fault switch: server error'
    res.writeHead(r.status, headers).end(text)
    return true
  }

  /**
   * A server's payment on the admin API. The Api-Key header is compared and dropped: no record,
   * log line or live log ever holds it.
   * @param {import('node:http').IncomingMessage} req @param {import('node:http').ServerResponse} res @param {string} url
   */
  function admin(req, res, url) {
    readBody(req, async (body, size) => {
      const contentType = req.headers['content-type']
      /** @type {import('./admin.js').AdminVerdict} */
      const verdict = size > MAX_BODY
        ? { status: 400, reason: `body over ${MAX_BODY} bytes`, api: adminApi(url) }
        : validateAdminPayment({ method: req.method || '', url, apiKeyHeader: req.headers['api-key'], contentType, body }, { apiKey, knownKeys: known })
      const q = new URL(url, 'http://x').searchParams
      /** @type {NotificationRecord} */
      const r = {
        seq: ++seq,
        time: new Date().toISOString(),
        method: req.method || '',
        url,
        api: verdict.api,
        source: 'server',
        type: verdict.api ? 'payment' : undefined,
        market: q.get('market') || '',
        customerKey: q.get('customerKey') || '',
        sessionKey: q.get('sessionKey') || '',
        userContext: 'PERSONALIZED',
        contentType,
        body,
        json: verdict.json,
        ticket: undefined,
        readable: undefined,
        status: verdict.status,
        verdict: verdict.status == 204 ? 'accepted' : 'rejected',
        reason: verdict.reason,
        origin: req.headers.origin,
        cors: false,
        taken: verdict.taken,
        transport: undefined,
        again: undefined,
        fate: ''
      }
      if (verdict.status == 204 && await faulted(r, req, res, {})) return
      record(r)
      res.writeHead(r.status, { 'content-type': 'text/plain' }).end(r.reason)
    })
  }

  /**
   * @param {import('node:http').IncomingMessage} req @param {import('node:http').ServerResponse} res
   * @param {Record<string, string>} cors
   */
  function stream(req, res, cors) {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive', ...cors })
    /** @param {string} event @param {unknown} data */
    const send = (event, data) => res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`)
    send('init', { records, faults })
    /** @param {NotificationRecord} r */
    const onRecord = (r) => send('record', r)
    /** @param {Fault[]} f */
    const onFaults = (f) => send('faults', f)
    events.on('record', onRecord)
    events.on('faults', onFaults)
    req.on('close', () => {
      events.off('record', onRecord)
      events.off('faults', onFaults)
    })
  }

  /**
   * @param {import('node:http').IncomingMessage} req @param {import('node:http').ServerResponse} res
   * @param {Record<string, string>} cors
   */
  function faultApi(req, res, cors) {
    if (req.method == 'GET') return json(res, faults, cors)
    if (req.method == 'DELETE') {
      faults = []
      events.emit('faults', faults)
      return json(res, faults, cors)
    }
    let text = ''
    req.on('data', (c) => { text += c })
    req.on('end', () => {
      try {
        const f = JSON.parse(text || '{}')
        api.addFault(f)
        json(res, faults, cors)
      } catch (error) {
        res.writeHead(400, { 'content-type': 'text/plain', ...cors }).end(String(/** @type {Error} */ (error).message))
      }
    })
  }

  /** @param {import('node:http').ServerResponse} res @param {unknown} data @param {Record<string, string>} cors */
  function json(res, data, cors) {
    res.writeHead(200, { 'content-type': 'application/json', ...cors }).end(JSON.stringify(data))
  }

  await new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => resolve(undefined))
  })
  const address = /** @type {import('node:net').AddressInfo} */ (server.address())

  const api = {
    /** Base URL, e.g. http://127.0.0.1:8081 (no trailing slash): the snippet's data-endpoint. */
    url: `http://${urlHost(host)}:${address.port}`,
    port: address.port,
    /** Every request that reached a notification path, oldest first. */
    records,
    /** How many CORS preflights arrived (the snippet should cause none). */
    get preflights() { return preflights },
    /**
     * Records, filtered.
     * @param {{ market?: string, verdict?: NotificationRecord['verdict'], type?: string }} [filter]
     */
    received(filter = {}) {
      return records.filter((r) => (!filter.market || r.market == filter.market) &&
        (!filter.verdict || r.verdict == filter.verdict) && (!filter.type || r.type == filter.type))
    },
    /**
     * Turns a fault switch on.
     * @param {Partial<Fault> & { kind: Fault['kind'] }} fault
     */
    addFault(fault) {
      if (!FAULT_KINDS.includes(fault.kind)) throw new Error(`kind must be one of ${FAULT_KINDS.join(', ')}`)
      const count = fault.count ?? 1
      if (!Number.isInteger(count) || count < 1 || count > 10000) throw new Error('count must be 1 to 10000')
      faults.push({ ...fault, count })
      events.emit('faults', faults)
    },
    /** Turns every fault switch off. */
    clearFaults() {
      faults = []
      events.emit('faults', faults)
    },
    /** Forgets every record. */
    clear: forget,
    /** Subscribes to new records; returns the unsubscribe function. */
    onRecord(/** @type {(r: NotificationRecord) => void} */ fn) {
      events.on('record', fn)
      return () => { events.off('record', fn) }
    },
    /** Stops the server and ends open log streams. */
    async close() {
      server.closeAllConnections()
      await new Promise((resolve) => server.close(() => resolve(undefined)))
    }
  }
  return api
}

/**
 * Reads a request's body, then calls `done` with it (UTF-8) and its size in bytes. Only what a
 * check needs to see that a body is too large is kept: MAX_BODY + 1 bytes.
 * @param {import('node:http').IncomingMessage} req
 * @param {(body: string, size: number) => void} done
 */
function readBody(req, done) {
  /** @type {Buffer[]} */
  const chunks = []
  let size = 0
  req.on('data', (c) => {
    size += c.length
    if (size <= MAX_BODY + 1) chunks.push(c)
  })
  req.on('end', () => done(Buffer.concat(chunks).toString('utf8'), size))
}

/**
 * The admin API version of a path and query, as records name it.
 * @param {string} url
 * @returns {'admin v3' | 'admin v4' | undefined}
 */
function adminApi(url) {
  const match = ADMIN_PAYMENT.exec(url.split('?')[0] || '')
  return match ? /** @type {'admin v3' | 'admin v4'} */ (`admin ${match[1]}`) : undefined
}

/**
 * The host part of the cluster's URL. A wildcard address is reached on loopback, and the
 * snippet takes plain http: on loopback only.
 * @param {string} host
 */
function urlHost(host) {
  if (host == '0.0.0.0' || host == '') return '127.0.0.1'
  if (host == '::') return '[::1]'
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host
}

/**
 * What startCluster returns: its URL, the records, the fault switches and close().
 * @typedef {Awaited<ReturnType<typeof startCluster>>} MockCluster
 */
