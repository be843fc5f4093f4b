// @ts-check
// The eSales notification contract, as the seed page (../shared/seeds/) and the official
// libraries' endpoints describe it. The mock cluster answers with it, and its unit tests pin it.

/** Largest body the mock accepts; eSales bodies are a ticket or a few keys. */
export const MAX_BODY = 256 * 1024

/** Path prefixes of the two API generations. */
export const API_PREFIX = /** @type {const} */ ({ v2: '/api/v2/notifications/', v3: '/api/storefront/v3/notifications/' })

/**
 * The query of a notification: the market, the keys its consent level has, and that level
 * (`userContext`, Storefront v3; PERSONALIZED when left out).
 * @typedef {{ customerKey?: string, market: string, sessionKey?: string, userContext: UserContext }} NotificationQuery
 */
/** @typedef {'PERSONALIZED' | 'UNPERSONALIZED' | 'ANONYMOUS' | 'SYNTHETIC'} UserContext */

/** The Storefront v3 consent levels, and the keys each one requires (the others are not allowed). */
export const USER_CONTEXTS = /** @type {const} */ ({
  PERSONALIZED: ['customerKey', 'sessionKey'],
  UNPERSONALIZED: ['sessionKey'],
  ANONYMOUS: [],
  SYNTHETIC: ['customerKey', 'sessionKey']
})
/**
 * @typedef {object} Verdict
 * @property {boolean} ok
 * @property {string} [reason] why the request is invalid (with ok false)
 * @property {'v2' | 'v3'} [api]
 * @property {string} [type] the notification name: click, add-to-cart, …
 * @property {NotificationQuery} [query]
 * @property {any} [json] the parsed body
 */

const REQUIRED = ['customerKey', 'market', 'sessionKey']
const SUPPORTED_TYPES = ['text/plain', 'application/json']

/** @param {unknown} v */
const isText = (v) => typeof v == 'string' && v.length > 0
/** @param {any} o @param {string[]} keys */
const onlyKeys = (o, keys) => Object.keys(o).every((k) => keys.includes(k))

/**
 * Body rules per notification name. Each returns a reason, or '' when the body is fine.
 * @type {Record<string, (body: any, api: 'v2' | 'v3') => string>}
 */
const BODIES = {
  click: ticketBody,
  'add-to-cart': ticketBody,
  'ad-impression': (body, api) => api == 'v2' ? 'ad-impression notifications are Storefront API v3 only' : ticketBody(body),
  'add-favorite': favoriteBody,
  'remove-favorite': favoriteBody,
  payment(body, api) {
    if (api == 'v3') return 'payment notifications are not part of API v3'
    if (!onlyKeys(body, ['lines'])) return 'payment body has fields other than "lines"'
    if (!Array.isArray(body.lines) || body.lines.length == 0) return '"lines" must be a non-empty array'
    for (const [i, line] of body.lines.entries()) {
      if (!line || typeof line != 'object' || !onlyKeys(line, ['variantKey', 'quantity', 'sellingPrice'])) return `line ${i} must be {variantKey, quantity, sellingPrice}`
      if (!isText(line.variantKey)) return `line ${i}: "variantKey" must be a non-empty string`
      if (!Number.isInteger(line.quantity) || line.quantity < 1) return `line ${i}: "quantity" must be a positive integer`
      if (typeof line.sellingPrice != 'number' || !Number.isFinite(line.sellingPrice) || line.sellingPrice < 0) return `line ${i}: "sellingPrice" must be a number >= 0`
    }
    return ''
  },
  'remove-recent-searches': (body) => listBody(body, 'phrases'),
  'remove-recently-viewed': (body, api) => api == 'v2' ? 'remove-recently-viewed notifications are Storefront API v3 only' : listBody(body, 'productKeys')
}

/** @param {any} body */
function ticketBody(body) {
  if (!onlyKeys(body, ['ticket'])) return 'body has fields other than "ticket"'
  if (!('ticket' in body)) return 'body has no "ticket"'
  if (typeof body.ticket != 'string') return '"ticket" must be a string'
  if (!body.ticket.trim()) return '"ticket" is empty'
  return ''
}

/** @param {any} body */
function favoriteBody(body) {
  const keys = Object.keys(body)
  if (keys.length != 1 || !['productKey', 'variantKey'].includes(/** @type {string} */ (keys[0]))) return 'body must be {"productKey"} or {"variantKey"}'
  return isText(body[/** @type {string} */ (keys[0])]) ? '' : `"${keys[0]}" must be a non-empty string`
}

/** @param {any} body @param {string} field */
function listBody(body, field) {
  if (body.removeAll === true && onlyKeys(body, ['removeAll'])) return ''
  if (onlyKeys(body, [field]) && Array.isArray(body[field]) && body[field].length && body[field].every(isText)) return ''
  return `body must be {"${field}": [strings]} or {"removeAll": true}`
}

/**
 * Checks one request against the contract.
 * @param {{ method: string, url: string, contentType?: string | undefined, body: string, bodyBytes?: number }} req
 *   url is the path and query, as the server saw them.
 * @returns {Verdict}
 */
export function validateNotification(req) {
  const url = new URL(req.url, 'http://cluster.invalid')
  const api = url.pathname.startsWith(API_PREFIX.v2) ? 'v2' : url.pathname.startsWith(API_PREFIX.v3) ? 'v3' : undefined
  const type = api ? url.pathname.slice(API_PREFIX[api].length) : undefined
  /**
   * @param {string} reason
   * @returns {Verdict}
   */
  const no = (reason) => ({ ok: false, reason, api, type })
  if (!api || !type) return no(`unknown path ${url.pathname}: expected ${API_PREFIX.v2}{name} or ${API_PREFIX.v3}{name}`)
  if (!(type == 'end' || type in BODIES)) return no(`unknown notification "${type}"`)
  if (req.method != 'POST') return no(`method ${req.method}: notifications are POST`)

  const levels = url.searchParams.getAll('userContext')
  if (levels.length > 1) return no(`query parameter userContext given ${levels.length} times`)
  const userContext = /** @type {UserContext} */ (levels[0] ?? 'PERSONALIZED')
  if (levels.length && api == 'v2') return no('userContext is a Storefront API v3 parameter: API v2 has none')
  if (!(userContext in USER_CONTEXTS)) return no(`userContext "${userContext}": use ${Object.keys(USER_CONTEXTS).join(', ')}`)
  const wanted = /** @type {readonly string[]} */ (USER_CONTEXTS[userContext])
  /** @type {Record<string, string>} */
  const found = { userContext }
  for (const name of REQUIRED) {
    const values = url.searchParams.getAll(name)
    const required = name == 'market' || wanted.includes(name)
    if (!required) {
      if (values.length) return no(`query parameter ${name} is not allowed with userContext ${userContext}`)
      continue
    }
    if (values.length == 0) return no(`missing query parameter ${name}` + (userContext == 'PERSONALIZED' ? '' : ` (required with userContext ${userContext})`))
    if (values.length > 1) return no(`query parameter ${name} given ${values.length} times`)
    if (!values[0]) return no(`query parameter ${name} is empty`)
    found[name] = values[0]
  }
  const query = /** @type {NotificationQuery} */ (/** @type {unknown} */ (found))

  if ((req.bodyBytes ?? Buffer.byteLength(req.body)) > MAX_BODY) return no(`body over ${MAX_BODY} bytes`)
  if (type == 'end') {
    return req.body ? no('the end notification has no body') : { ok: true, api, type, query }
  }
  const ct = (req.contentType || '').toLowerCase().replace(/\s+/g, '')
  const [mime, ...params] = ct.split(';')
  if (!SUPPORTED_TYPES.includes(/** @type {string} */ (mime)) || !params.includes('charset=utf-8')) {
    return no(`content type "${req.contentType || ''}": use text/plain;charset=utf-8 or application/json;charset=utf-8`)
  }
  let json
  try {
    json = JSON.parse(req.body)
  } catch {
    return no('body is not JSON')
  }
  if (!json || typeof json != 'object' || Array.isArray(json)) return no('body must be a JSON object')
  const reason = /** @type {(body: any, api: 'v2' | 'v3') => string} */ (BODIES[type])(json, api)
  return reason ? no(reason) : { ok: true, api, type, query, json }
}

/**
 * The readable form of an eSales ticket: tickets are base64 of a ';'-separated path
 * (the seed's example decodes to ";/fashion/DESKTOP/…;#;content_key;d001;#;…").
 * @param {unknown} ticket
 * @returns {string | undefined} the decoded text, or undefined when it is not such a ticket
 */
export function decodeTicket(ticket) {
  if (typeof ticket != 'string' || !/^[A-Za-z0-9+/_-]+={0,2}$/.test(ticket) || ticket.length % 4 == 1) return undefined
  const text = Buffer.from(ticket, 'base64').toString('utf8')
  return text.includes(';') && !/[\u0000-\u001f\ufffd]/.test(text) ? text : undefined
}
