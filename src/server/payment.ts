// Payments from the shop's server to the cluster's admin API, with the shopper's keys: checked
// before sending, retried where another attempt may succeed, and never telling the API key.
import ky, { HTTPError, TimeoutError } from 'ky'
import { adminLine, paymentBody } from '../shared/payment.js'
import { isMarket } from '../shared/settings.js'
import { isSafeToken } from '../shared/token.js'
import { describe } from './describe.js'
import { askedWait, isRetriable, retryWait, timer } from './retry.js'
import { clusterBase, type TargetError } from './target.js'
import type { PaymentOptions, PaymentResult } from './types.js'

/** An error of `sendPayment`: `status` is eSales' answer (0 where none came), `attempts` the requests sent. */
export class PaymentError extends Error {
  override name = 'PaymentError'
  /** The cluster's status, or 0: not sent (a refused argument), or no answer (network, timeout). */
  readonly status: number
  /** How many requests were sent. */
  readonly attempts: number
  /** The option that was refused, such as `keys.customerKey` or `lines`, for a payment not sent. */
  readonly field: string | undefined
  constructor(message: string, status: number, attempts: number, field?: string) {
    super(message)
    this.status = status
    this.attempts = attempts
    this.field = field
  }
}

const PREFIX = 'esales-snippet/server: sendPayment()'
const refuse = (field: string, why: string) => new PaymentError(`${PREFIX} refused: ${field} ${why}; nothing was sent`, 0, 0, field)

/**
 * A value as the message about it shows it: a string quoted and said to be one (`"2"` is not 2).
 * @param value - what the shop gave.
 */
const given = (value: unknown): string => describe(value) + (typeof value == 'string' ? ' (a string)' : '')

/**
 * What is wrong with a line's amounts, where the shared check is not enough: it describes a
 * string as a string, and a quantity above `Number.MAX_SAFE_INTEGER` (which JSON numbers do not
 * keep) is refused. The messages have the shared check's form, `line 1: …`.
 * @param line - the line (its `cost` read as absent where it is null).
 * @param i - its index.
 */
function amountProblem(line: unknown, i: number): Error | undefined {
  const { quantity, sellingPrice, cost } = (line || {}) as Record<string, unknown>
  if (!(typeof quantity == 'number' && Number.isSafeInteger(quantity) && quantity >= 1)) {
    const huge = typeof quantity == 'number' && Number.isInteger(quantity) && quantity >= 1
    return new Error(`line ${i}: quantity must be a whole number of at least 1${huge ? ` and at most ${Number.MAX_SAFE_INTEGER}` : ''}, not ${given(quantity)}`)
  }
  if (!(typeof sellingPrice == 'number' && Number.isFinite(sellingPrice) && sellingPrice >= 0)) return new Error(`line ${i}: sellingPrice must be a number of at least 0, not ${given(sellingPrice)}`)
  if (cost != null && !(typeof cost == 'number' && cost > 0 && cost < sellingPrice)) return new Error(`line ${i}: cost must be a number above 0 and below sellingPrice (${sellingPrice}), not ${given(cost)}`)
  return undefined
}

/**
 * An admin payment's line: the shared check and body (`adminLine`), with `cost: null` read as
 * no cost (a shop's "no margin known"), and the amounts described as `amountProblem` does.
 * @param line - the shop's line.
 * @param i - its index.
 * @throws Error that says which line is wrong and why.
 */
function serverLine(line: unknown, i: number): string {
  // A copy that reads as the line, but for a cost of undefined: the shared check skips it.
  const l = line && typeof line == 'object' && (line as { cost?: unknown }).cost === null ? Object.create(line, { cost: { value: undefined } }) as unknown : line
  let text: string
  try {
    text = adminLine(l, i)
  } catch (error) {
    throw /^line \d+: (quantity|sellingPrice|cost) /.test((error as Error).message) ? amountProblem(l, i) ?? error : error
  }
  const problem = amountProblem(l, i)
  if (problem) throw problem
  return text
}

/**
 * Replaces the API key in a text, in each form a server or a network error may repeat it:
 * verbatim, percent-encoded (UTF-8 or Latin-1 bytes, hex in either case, a space as `+`) and
 * JSON-escaped (`\"`, `\\`, `\/`, `\u00e9`), or any mix of them, character by character.
 * @param key - the API key (Latin-1: checked before).
 */
export function scrubber(key: string): (text: string) => string {
  const literal = (c: string) => c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  const percent = (bytes: Iterable<number>) => [...bytes].map((b) => '%' + b.toString(16).padStart(2, '0')).join('')
  const encoder = new TextEncoder()
  const forms = [...key].map((c) => {
    const code = c.charCodeAt(0)
    const each = [literal(c), percent(encoder.encode(c)), percent([code]), '\\\\u' + code.toString(16).padStart(4, '0')]
    if (c == '"' || c == '\\' || c == '/') each.push('\\\\' + literal(c))
    if (c == ' ') each.push('\\+')
    return `(?:${[...new Set(each)].join('|')})`
  })
  // Case-insensitive for the hex digits; that it also matches the key in another case only removes more.
  const pattern = new RegExp(forms.join(''), 'gi')
  return (text) => text.replace(pattern, '[Api-Key]')
}

/**
 * The request's URL and body, or the first refused option.
 * @param options - what the shop passed.
 */
function request(options: PaymentOptions): { url: string; body: string } {
  if (!options || typeof options != 'object') throw refuse('options', 'must be an object: { clusterId or endpoint, apiKey, market, keys, lines }')
  const { apiKey, market, keys, version = 'v3' } = options
  let base: string
  try {
    base = clusterBase(options, 'sendPayment()')
  } catch (error) {
    throw new PaymentError(`${(error as TargetError).message}; nothing was sent`, 0, 0, (error as TargetError).field)
  }
  // The key's value is never shown, not even a wrong one.
  if (typeof apiKey != 'string' || !apiKey) throw refuse('apiKey', 'must be the cluster\'s admin API key, a non-empty string')
  // What a header cannot carry, fetch refuses at every attempt (or, spaces at either end, drops
  // and sends another key): refused here, once, without the network error's words.
  if (/[^\x20-\x7e\xa0-\xff]/.test(apiKey)) throw refuse('apiKey', 'has characters that an HTTP header cannot carry (beyond Latin-1, or control characters): check that it is the cluster\'s admin API key itself')
  if (/^ | $/.test(apiKey)) throw refuse('apiKey', 'begins or ends with a space, which a header drops: trim it')
  if (version != 'v3' && version != 'v4') throw refuse('version', `must be v3 or v4, not ${JSON.stringify(version)}`)
  if (!isMarket(market)) throw refuse('market', `must be the market id, as in the data feed: 1 to 100 characters, no spaces at either end, no control characters, not ${given(market)}`)
  for (const name of ['customerKey', 'sessionKey'] as const) {
    if (!isSafeToken(keys?.[name])) throw refuse(`keys.${name}`, 'is missing or not a safe token: pass readKeys(request) of the checkout\'s request, whose cookies carry the keys of the clicks before it')
  }
  let body: string
  try {
    body = paymentBody(options.lines, serverLine)
  } catch (error) {
    const message = (error as Error).message
    // "line 1: quantity must be …" names lines[1].quantity.
    const line = /^line (\d+): (?:give )?(\w+)/.exec(message)
    throw new PaymentError(`${PREFIX} refused: ${line ? message.replace(/^line (\d+): /, 'lines[$1]: ') : message}; nothing was sent`, 0, 0, line ? `lines[${line[1]}].${line[2]}` : 'lines')
  }
  const query = new URLSearchParams({ customerKey: keys.customerKey!, market, sessionKey: keys.sessionKey! })
  return { url: `${base}/api/admin/${version}/notifications/payment?${query}`, body }
}

/**
 * Sends a payment notification to the cluster's admin API (`POST
 * /api/admin/v3/notifications/payment`, or v4), with the `Api-Key` header and the shopper's
 * keys, so that eSales ties the order to the clicks that led to it.
 *
 * The options are checked first; a refused one rejects with a `PaymentError` whose `field`
 * names it, and nothing is sent. Network errors, timeouts, 429 and 5xx are retried (3 times by
 * default), after what `Retry-After` asks for or a backoff of 0.5, 1, 2, … s; a `Retry-After`
 * longer than `maxRetryAfter` ends the attempts at once, with a message that says so. 400 (a
 * wrong payment, or unknown variant keys: eSales keeps the lines it knows) and 403 (the API key)
 * are never retried. Each attempt may take `timeout`: with the defaults, a payment may take
 * minutes to fail, so send it after the response, never in its way. The API key appears in no error message, in no
 * encoding; a key that a header cannot carry (beyond Latin-1, control characters) is refused
 * before sending. A line's `cost: null` is no cost.
 *
 * eSales has no idempotency key: a payment sent twice counts twice. Where your order webhook
 * may be delivered again, send a payment once per order id (keep a record of the ids sent, and
 * send only when the record is new), and send it from one place only.
 *
 * @example
 * import { readKeys, sendPayment } from 'esales-snippet/server'
 * const { status, attempts } = await sendPayment({
 *   clusterId: 'w1A2B3C4D', apiKey: process.env.ESALES_API_KEY!, market: 'UK', keys: readKeys(req),
 *   lines: [{ variantKey: 'V123', quantity: 2, sellingPrice: 39.0, cost: 15.2 }]
 * })
 * @param options - the cluster (`clusterId` and `clusterHost`, or `endpoint`), `apiKey`, `market`, `keys`, `lines`, and `version`, `retries`, `timeout`, `maxRetryAfter`, `fetch`, `sleep`, `now`.
 * @returns `{ status, attempts }`: the cluster's status (204) and the requests it took.
 * @throws PaymentError with `status` (0 where none came), `attempts` and, for a refused option, `field`.
 */
export async function sendPayment(options: PaymentOptions): Promise<PaymentResult> {
  const { url, body } = request(options)
  const { apiKey, retries = 3, timeout = 10_000, maxRetryAfter = 30_000, sleep = timer, now = Date.now } = options
  if (!(Number.isInteger(retries) && retries >= 0 && retries <= 10)) throw refuse('retries', `must be a whole number from 0 to 10, not ${String(retries)}`)
  if (!(timeout > 0 && timeout <= 600_000)) throw refuse('timeout', `must be a number of ms above 0, at most 600000, not ${String(timeout)}`)
  // A message may quote what the cluster answered; the key never shows, whatever it sent back.
  if (!(typeof maxRetryAfter == 'number' && maxRetryAfter >= 0)) throw refuse('maxRetryAfter', `must be a number of ms of at least 0, not ${String(maxRetryAfter)}`)
  const scrub = scrubber(apiKey)
  let attempts = 0
  // A Retry-After beyond maxRetryAfter: eSales asked for a longer wait than the shop allows.
  let tooLong: number | undefined
  try {
    const response = await ky.post(url, {
      body,
      headers: { 'content-type': 'application/json;charset=utf-8', 'api-key': apiKey },
      timeout,
      // A redirect would turn the POST into a GET elsewhere: it is an answer, and a wrong one.
      redirect: 'manual',
      ...(options.fetch && { fetch: options.fetch }),
      retry: {
        limit: retries,
        methods: ['post'],
        // The wait is ours (beforeRetry), so that it honours Retry-After with a cap and tests can pass a sleep.
        delay: () => 0,
        afterStatusCodes: [],
        shouldRetry: ({ error }) => {
          if (!isRetriable(error instanceof HTTPError ? error.response.status : undefined)) return false
          // Sooner than the server asked would be refused again, and adds to its load: give up.
          const asked = error instanceof HTTPError ? askedWait(error.response.headers.get('retry-after'), now) : undefined
          if (asked != null && asked > maxRetryAfter) {
            tooLong = asked
            return false
          }
          return true
        }
      },
      hooks: {
        beforeRequest: [() => { attempts++ }],
        beforeRetry: [async ({ error, retryCount }) => {
          await sleep(retryWait(retryCount, error instanceof HTTPError ? error.response.headers.get('retry-after') : null, now))
        }]
      }
    })
    return { status: response.status, attempts }
  } catch (error) {
    throw await failureOf(error, attempts, timeout, scrub, tooLong == null ? undefined : { asked: tooLong, max: maxRetryAfter })
  }
}

/**
 * The PaymentError for what ended the attempts. ky's errors are not passed on as a cause:
 * they hold the request, and with it the Api-Key header.
 * @param error - what ky threw.
 * @param attempts - the requests sent.
 * @param timeout - the per-attempt limit, for the message.
 * @param scrub - removes the key from a text.
 * @param wait - where the attempts stopped at a `Retry-After` beyond `maxRetryAfter`: what it asked, and the limit (ms).
 */
async function failureOf(error: unknown, attempts: number, timeout: number, scrub: (text: string) => string,
  wait?: { asked: number; max: number }): Promise<PaymentError> {
  const tries = `${attempts} attempt${attempts == 1 ? '' : 's'}`
  if (error instanceof HTTPError) {
    const { status } = error.response
    let reason = ''
    // Scrubbed before it is cut short, so that no part of the key is left at the cut.
    try { reason = scrub(await error.response.text()).replace(/\s+/g, ' ').trim().slice(0, 300) } catch {}
    const what = status == 403 ? 'the Api-Key was refused' : status == 400 ? 'the payment was refused' : status == 429 ? 'too many requests'
      : isRetriable(status) ? 'eSales is unavailable' : 'not what the admin API answers: check clusterId or endpoint'
    const retried = wait ? `${tries}, not retried: eSales asked to wait ${Math.ceil(wait.asked / 1000)} s, more than maxRetryAfter (${wait.max} ms)`
      : isRetriable(status) ? `after ${tries}` : `${tries}, not retried`
    return new PaymentError(scrub(`${PREFIX}: eSales answered ${status} (${what}${reason ? `: ${reason}` : ''}), ${retried}`), status, attempts)
  }
  if (error instanceof TimeoutError) return new PaymentError(`${PREFIX}: no answer within ${timeout} ms, after ${tries}`, 0, attempts)
  const cause = (error as { cause?: { code?: unknown; message?: unknown } } | null)?.cause
  const detail = String(cause?.code || cause?.message || (error as Error | null)?.message || error)
  return new PaymentError(scrub(`${PREFIX}: eSales could not be reached (${detail}), after ${tries}`), 0, attempts)
}
