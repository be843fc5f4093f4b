import { describe, expect, it } from 'vitest'
import { decodeTicket, MAX_BODY, validateNotification } from '../../cluster/contract.js'

const Q = '?customerKey=c-1&market=UK&sessionKey=s-1'
const CLICK = '/api/v2/notifications/click'
const TEXT = 'text/plain;charset=utf-8'
const ok = (over: Partial<Parameters<typeof validateNotification>[0]> = {}) =>
  validateNotification({ method: 'POST', url: CLICK + Q, contentType: TEXT, body: '{"ticket":"T"}', ...over })

describe('validateNotification: what eSales accepts', () => {
  it('accepts the seed example, as text/plain and as application/json, any charset case', () => {
    expect(ok()).toMatchObject({ ok: true, api: 'v2', type: 'click', query: { customerKey: 'c-1', market: 'UK', sessionKey: 's-1', userContext: 'PERSONALIZED' }, json: { ticket: 'T' } })
    expect(ok({ contentType: 'application/json;charset=utf-8' }).ok).toBe(true)
    expect(ok({ contentType: 'text/plain;charset=UTF-8' }).ok).toBe(true)
    expect(ok({ contentType: 'text/plain; charset=utf-8' }).ok).toBe(true)
  })
  it('accepts the v3 path', () => {
    expect(ok({ url: '/api/storefront/v3/notifications/click' + Q })).toMatchObject({ ok: true, api: 'v3' })
  })
  it('accepts the other notifications with their bodies', () => {
    const v2 = (type: string, body: string, contentType = TEXT) => validateNotification({ method: 'POST', url: `/api/v2/notifications/${type}${Q}`, contentType, body })
    expect(v2('add-to-cart', '{"ticket":"T"}').ok).toBe(true)
    expect(v2('add-favorite', '{"productKey":"p1"}').ok).toBe(true)
    expect(v2('remove-favorite', '{"variantKey":"v1"}').ok).toBe(true)
    expect(v2('payment', '{"lines":[{"variantKey":"v1","quantity":2,"sellingPrice":9.5}]}').ok).toBe(true)
    expect(v2('end', '', undefined as unknown as string).ok).toBe(true)
  })
  it('takes the Storefront v3 notifications of the official client 3.5.1, and refuses the v3-only ones on API v2', () => {
    const at = (api: 'v2' | 'v3', type: string, body: string) =>
      validateNotification({ method: 'POST', url: `${api == 'v2' ? '/api/v2/notifications/' : '/api/storefront/v3/notifications/'}${type}${Q}`, contentType: TEXT, body })
    expect(at('v3', 'ad-impression', '{"ticket":"T"}').ok).toBe(true)
    expect(at('v3', 'remove-recent-searches', '{"phrases":["dress","jacket"]}').ok).toBe(true)
    expect(at('v3', 'remove-recent-searches', '{"removeAll":true}').ok).toBe(true)
    expect(at('v2', 'remove-recent-searches', '{"phrases":["dress"]}').ok).toBe(true)
    expect(at('v3', 'remove-recently-viewed', '{"productKeys":["p1"]}').ok).toBe(true)
    expect(at('v3', 'remove-recently-viewed', '{"removeAll":true}').ok).toBe(true)
    expect(at('v2', 'ad-impression', '{"ticket":"T"}')).toMatchObject({ ok: false, reason: 'ad-impression notifications are Storefront API v3 only' })
    expect(at('v2', 'remove-recently-viewed', '{"removeAll":true}')).toMatchObject({ ok: false, reason: 'remove-recently-viewed notifications are Storefront API v3 only' })
    for (const body of ['{"phrases":[]}', '{"phrases":["a",1]}', '{"phrases":[""]}', '{"removeAll":false}', '{"removeAll":true,"phrases":["a"]}', '{"phrases":"a"}']) {
      expect(at('v3', 'remove-recent-searches', body)).toMatchObject({ ok: false, reason: 'body must be {"phrases": [strings]} or {"removeAll": true}' })
    }
    expect(at('v3', 'ad-impression', '{"ticket":""}')).toMatchObject({ ok: false, reason: '"ticket" is empty' })
  })
})

describe('validateNotification: userContext, the Storefront v3 consent levels', () => {
  const V3 = '/api/storefront/v3/notifications/click'
  const at = (url: string) => validateNotification({ method: 'POST', url, contentType: TEXT, body: '{"ticket":"T"}' })
  it('takes each level with the keys it requires', () => {
    expect(at(V3 + '?customerKey=c&market=UK&sessionKey=s')).toMatchObject({ ok: true, query: { userContext: 'PERSONALIZED' } })
    expect(at(V3 + '?customerKey=c&market=UK&sessionKey=s&userContext=PERSONALIZED')).toMatchObject({ ok: true, query: { userContext: 'PERSONALIZED' } })
    expect(at(V3 + '?market=UK&sessionKey=s&userContext=UNPERSONALIZED')).toMatchObject({ ok: true, query: { market: 'UK', sessionKey: 's', userContext: 'UNPERSONALIZED' } })
    expect(at(V3 + '?market=UK&userContext=ANONYMOUS')).toMatchObject({ ok: true, query: { market: 'UK', userContext: 'ANONYMOUS' } })
    expect(at(V3 + '?customerKey=c&market=UK&sessionKey=s&userContext=SYNTHETIC')).toMatchObject({ ok: true })
  })
  it.each([
    ['a customer key with UNPERSONALIZED', '?customerKey=c&market=UK&sessionKey=s&userContext=UNPERSONALIZED', 'query parameter customerKey is not allowed with userContext UNPERSONALIZED'],
    ['a customer key with ANONYMOUS', '?customerKey=c&market=UK&userContext=ANONYMOUS', 'query parameter customerKey is not allowed with userContext ANONYMOUS'],
    ['a session key with ANONYMOUS', '?market=UK&sessionKey=s&userContext=ANONYMOUS', 'query parameter sessionKey is not allowed with userContext ANONYMOUS'],
    ['no session key with UNPERSONALIZED', '?market=UK&userContext=UNPERSONALIZED', 'missing query parameter sessionKey (required with userContext UNPERSONALIZED)'],
    ['no customer key, PERSONALIZED by default', '?market=UK&sessionKey=s', 'missing query parameter customerKey'],
    ['no market with ANONYMOUS', '?userContext=ANONYMOUS', 'missing query parameter market (required with userContext ANONYMOUS)'],
    ['an unknown level', '?market=UK&userContext=anonymous', 'userContext "anonymous": use PERSONALIZED, UNPERSONALIZED, ANONYMOUS, SYNTHETIC'],
    ['two levels', '?market=UK&userContext=ANONYMOUS&userContext=ANONYMOUS', 'query parameter userContext given 2 times']
  ])('refuses %s', (_what, query, reason) => {
    expect(at(V3 + query)).toMatchObject({ ok: false, reason })
  })
  it('refuses userContext on API v2, which has none', () => {
    expect(at(CLICK + '?market=UK&userContext=ANONYMOUS')).toMatchObject({ ok: false, reason: 'userContext is a Storefront API v3 parameter: API v2 has none' })
  })
})

describe('validateNotification: every way a click can be wrong gets a reason', () => {
  it.each([
    ['missing customerKey', { url: CLICK + '?market=UK&sessionKey=s' }, 'missing query parameter customerKey'],
    ['missing market', { url: CLICK + '?customerKey=c&sessionKey=s' }, 'missing query parameter market'],
    ['missing sessionKey', { url: CLICK + '?customerKey=c&market=UK' }, 'missing query parameter sessionKey'],
    ['empty customerKey', { url: CLICK + '?customerKey=&market=UK&sessionKey=s' }, 'query parameter customerKey is empty'],
    ['empty market', { url: CLICK + '?customerKey=c&market=&sessionKey=s' }, 'query parameter market is empty'],
    ['empty sessionKey', { url: CLICK + '?customerKey=c&market=UK&sessionKey=' }, 'query parameter sessionKey is empty'],
    ['a parameter twice', { url: CLICK + Q + '&market=SE' }, 'query parameter market given 2 times'],
    ['GET', { method: 'GET' }, 'method GET: notifications are POST'],
    ['PUT', { method: 'PUT' }, 'method PUT: notifications are POST'],
    ['a wrong path', { url: '/api/v2/click' + Q }, 'unknown path /api/v2/click'],
    ['an unknown notification', { url: '/api/v2/notifications/clicks' + Q }, 'unknown notification "clicks"'],
    ['no content type', { contentType: undefined }, 'content type ""'],
    ['form encoding', { contentType: 'application/x-www-form-urlencoded' }, 'content type "application/x-www-form-urlencoded"'],
    ['text/plain without charset', { contentType: 'text/plain' }, 'content type "text/plain"'],
    ['a latin-1 charset', { contentType: 'text/plain;charset=iso-8859-1' }, 'content type'],
    ['a body that is not JSON', { body: 'ticket=T' }, 'body is not JSON'],
    ['an empty body', { body: '' }, 'body is not JSON'],
    ['a JSON array', { body: '["T"]' }, 'body must be a JSON object'],
    ['a JSON string', { body: '"T"' }, 'body must be a JSON object'],
    ['no ticket', { body: '{}' }, 'body has no "ticket"'],
    ['a numeric ticket', { body: '{"ticket":42}' }, '"ticket" must be a string'],
    ['a null ticket', { body: '{"ticket":null}' }, '"ticket" must be a string'],
    ['an empty ticket', { body: '{"ticket":""}' }, '"ticket" is empty'],
    ['extra fields', { body: '{"ticket":"T","x":1}' }, 'body has fields other than "ticket"'],
    ['an oversized body', { body: JSON.stringify({ ticket: 'x'.repeat(MAX_BODY) }) }, `body over ${MAX_BODY} bytes`]
  ])('%s', (_name, over, reason) => {
    const verdict = ok(over as Partial<Parameters<typeof validateNotification>[0]>)
    expect(verdict.ok).toBe(false)
    expect(verdict.reason).toContain(reason)
  })

  it('refuses payment on v3 and bad payment lines', () => {
    const pay = (body: string, api = 'v2') => validateNotification({ method: 'POST', url: `/api/${api == 'v2' ? 'v2' : 'storefront/v3'}/notifications/payment${Q}`, contentType: TEXT, body }).reason
    expect(pay('{"lines":[{"variantKey":"v","quantity":1,"sellingPrice":1}]}', 'v3')).toContain('not part of API v3')
    expect(pay('{"lines":[]}')).toContain('non-empty array')
    expect(pay('{"lines":[{"variantKey":"v","quantity":-1,"sellingPrice":1}]}')).toContain('positive integer')
    expect(pay('{"lines":[{"variantKey":"v","quantity":1,"sellingPrice":"9"}]}')).toContain('sellingPrice')
    expect(pay('{"lines":[{"quantity":1,"sellingPrice":1}]}')).toContain('variantKey')
  })

  it('refuses favorite bodies without exactly one key', () => {
    const fav = (body: string) => validateNotification({ method: 'POST', url: `/api/v2/notifications/add-favorite${Q}`, contentType: TEXT, body }).reason
    expect(fav('{}')).toContain('productKey')
    expect(fav('{"productKey":"p","variantKey":"v"}')).toContain('productKey')
    expect(fav('{"productKey":""}')).toContain('non-empty')
  })

  it('refuses an end notification with a body', () => {
    expect(validateNotification({ method: 'POST', url: `/api/v2/notifications/end${Q}`, contentType: TEXT, body: '{}' }).reason).toContain('no body')
  })
})

describe('decodeTicket', () => {
  it('decodes the seed example into its readable path', () => {
    expect(decodeTicket('Oy9mYXNoaW9uL0RFU0tUT1AvQ09OVEVOVF9TRUFSQ0hfUEFHRS9QUklNQVJZX0xJU1Q7Iztjb250ZW50X2tleTtkMDAxOyM7IzsjOyM7'))
      .toBe(';/fashion/DESKTOP/CONTENT_SEARCH_PAGE/PRIMARY_LIST;#;content_key;d001;#;#;#;#;')
  })
  it('returns nothing for tickets that are not base64 of such a path', () => {
    expect(decodeTicket('T1')).toBeUndefined()
    expect(decodeTicket('not base64!')).toBeUndefined()
    expect(decodeTicket(Buffer.from('no separators here').toString('base64'))).toBeUndefined()
    expect(decodeTicket(42)).toBeUndefined()
  })
})
