// @ts-check
// The admin API's payment notification, as a shop's server sends it: POST
// /api/admin/v3/notifications/payment (or v4) with an Api-Key header, the shopper's keys in the
// query, and {"lines":[{variantKey | productKey, quantity, sellingPrice, cost?}]}. The answers:
// 204; 400 for no lines, bad arguments or unknown variant keys (the lines with known keys are
// still taken); 403 for a missing or wrong Api-Key.
import { timingSafeEqual } from 'node:crypto'

/** The Api-Key the local cluster takes when it is given none: for development only. */
export const DEFAULT_API_KEY = 'local-dev-api-key'

/** The admin payment paths, by version. */
export const ADMIN_PAYMENT = /^\/api\/admin\/(v3|v4)\/notifications\/payment$/

const REQUIRED = ['customerKey', 'market', 'sessionKey']
const LINE_FIELDS = ['variantKey', 'productKey', 'quantity', 'sellingPrice', 'cost']

/**
 * @typedef {object} AdminVerdict
 * @property {204 | 400 | 403 | 404 | 405} status
 * @property {string} reason why it was refused ('' when taken)
 * @property {'admin v3' | 'admin v4' | undefined} api
 * @property {any} [json] the parsed body, when it parsed
 * @property {any[]} [taken] the lines eSales keeps: all of a 204, those with known keys of a 400 for unknown keys
 */

/**
 * Whether the Api-Key header is the cluster's key, compared in constant time.
 * @param {string | string[] | undefined} given the header
 * @param {string} apiKey the cluster's key
 */
export function rightKey(given, apiKey) {
  if (typeof given != 'string') return false
  const a = Buffer.from(given)
  const b = Buffer.from(apiKey)
  return a.length == b.length && timingSafeEqual(a, b)
}

/** @param {unknown} v */
const isText = (v) => typeof v == 'string' && v.trim().length > 0

/**
 * Checks one line; returns the reason it is wrong, or ''.
 * @param {any} line @param {number} i
 */
function lineProblem(line, i) {
  if (!line || typeof line != 'object' || Array.isArray(line)) return `line ${i} must be an object`
  const extra = Object.keys(line).filter((k) => !LINE_FIELDS.includes(k))
  if (extra.length) return `line ${i} has fields other than ${LINE_FIELDS.join(', ')}: ${extra.join(', ')}`
  if (line.variantKey != null && line.productKey != null) return `line ${i}: "variantKey" and "productKey" both given`
  if (!isText(line.variantKey ?? line.productKey)) return `line ${i}: "variantKey" (or "productKey") must be a non-empty string`
  if (!Number.isInteger(line.quantity) || line.quantity < 1) return `line ${i}: "quantity" must be a positive integer`
  if (typeof line.sellingPrice != 'number' || !Number.isFinite(line.sellingPrice) || line.sellingPrice < 0) return `line ${i}: "sellingPrice" must be a number >= 0`
  if ('cost' in line && !(typeof line.cost == 'number' && line.cost != 0 && line.cost < line.sellingPrice)) return `line ${i}: "cost" must be a non-zero number below "sellingPrice"`
  return ''
}

/**
 * Checks one admin payment request against the contract.
 * @param {{ method: string, url: string, apiKeyHeader: string | string[] | undefined, contentType?: string | undefined, body: string }} req
 * @param {{ apiKey: string, knownKeys?: ReadonlySet<string> | undefined }} cluster the cluster's key, and its catalog's
 *   variant and product keys where it has one (without one, every key is known)
 * @returns {AdminVerdict}
 */
export function validateAdminPayment(req, { apiKey, knownKeys }) {
  const url = new URL(req.url, 'http://cluster.invalid')
  const match = ADMIN_PAYMENT.exec(url.pathname)
  const api = match ? /** @type {'admin v3' | 'admin v4'} */ (`admin ${match[1]}`) : undefined
  /** @param {AdminVerdict['status']} status @param {string} reason @returns {AdminVerdict} */
  const no = (status, reason) => ({ status, reason, api })
  if (!match) return no(404, `unknown admin path ${url.pathname}: this cluster has ${'/api/admin/{v3,v4}/notifications/payment'} only`)
  if (req.method != 'POST') return no(405, `method ${req.method}: payments are POST`)
  // The key is checked before anything else is looked at, and its value is never repeated.
  if (req.apiKeyHeader == null) return no(403, 'no Api-Key header')
  if (!rightKey(req.apiKeyHeader, apiKey)) return no(403, 'the Api-Key is not this cluster\'s')
  for (const name of REQUIRED) {
    const values = url.searchParams.getAll(name)
    if (values.length != 1 || !values[0]) return no(400, values.length > 1 ? `query parameter ${name} given ${values.length} times` : `missing query parameter ${name}`)
  }
  if ((req.contentType || '').toLowerCase().split(';')[0]?.trim() != 'application/json') return no(400, `content type "${req.contentType || ''}": use application/json`)
  let json
  try {
    json = JSON.parse(req.body)
  } catch {
    return no(400, 'body is not JSON')
  }
  if (!json || typeof json != 'object' || Array.isArray(json) || Object.keys(json).some((k) => k != 'lines')) return { ...no(400, 'body must be {"lines": [...]}'), json }
  if (!Array.isArray(json.lines) || json.lines.length == 0) return { ...no(400, '"lines" must be a non-empty array'), json }
  for (const [i, line] of json.lines.entries()) {
    const problem = lineProblem(line, i)
    if (problem) return { ...no(400, problem), json }
  }
  const unknown = knownKeys ? json.lines.map((/** @type {any} */ l, /** @type {number} */ i) => [i, l.variantKey ?? l.productKey]).filter((/** @type {[number, string]} */ [, k]) => !knownKeys.has(k)) : []
  const taken = json.lines.filter((/** @type {any} */ l) => !knownKeys || knownKeys.has(l.variantKey ?? l.productKey))
  if (unknown.length) {
    const list = unknown.map((/** @type {[number, string]} */ [i, k]) => `line ${i} (${JSON.stringify(k)})`).join(', ')
    return { status: 400, reason: `unknown variant keys: ${list}; the ${taken.length} other line${taken.length == 1 ? ' was' : 's were'} taken`, api, json, taken }
  }
  return { status: 204, reason: '', api, json, taken }
}
