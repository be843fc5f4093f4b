import { describe, expect, it } from 'vitest'
import { stringBody, favoriteBody } from '../../src/body'
import { explain } from '../../src/explain'
import { paymentBody, quote } from '../../src/payment'

describe('body builders', () => {
  it('builds ticket and key bodies byte-exact, and refuses blank or non-string values', () => {
    expect(stringBody('ticket', 'a"b 🛒')).toBe(JSON.stringify({ ticket: 'a"b 🛒' }))
    for (const bad of ['', '  ', undefined, null, 42, {}]) expect(stringBody('ticket', bad)).toBeUndefined()
  })
  it('builds favorite bodies from a key, {productKey} or {variantKey}', () => {
    expect(favoriteBody('P1')).toBe('{"productKey":"P1"}')
    expect(favoriteBody({ productKey: 'P1' })).toBe('{"productKey":"P1"}')
    expect(favoriteBody({ variantKey: 'V1' })).toBe('{"variantKey":"V1"}')
    for (const bad of ['', {}, { productKey: '' }, { variantKey: 5 }, null, undefined, 7]) expect(favoriteBody(bad)).toBeUndefined()
  })
})

describe('paymentBody', () => {
  it('writes the lines as JSON.stringify would', () => {
    const lines = [{ variantKey: 'V1"x', quantity: 2, sellingPrice: 9.5 }, { variantKey: 'V2', quantity: 1, sellingPrice: 0 }]
    expect(paymentBody(lines)).toBe(JSON.stringify({ lines }))
  })
  it('ignores a page that broke JSON.stringify or added Array.prototype.toJSON', () => {
    const original = JSON.stringify
    const proto = Array.prototype as unknown as { toJSON?: () => string }
    try {
      JSON.stringify = () => '{}'
      proto.toJSON = () => 'broken'
      expect(paymentBody([{ variantKey: 'V', quantity: 1, sellingPrice: 1 }])).toBe('{"lines":[{"variantKey":"V","quantity":1,"sellingPrice":1}]}')
    } finally {
      JSON.stringify = original
      delete proto.toJSON
    }
  })
  it.each([
    [[], /non-empty array/],
    ['lines', /non-empty array/],
    [[{ quantity: 1, sellingPrice: 1 }], /line 0: variantKey/],
    [[{ variantKey: ' ', quantity: 1, sellingPrice: 1 }], /line 0: variantKey/],
    [[{ variantKey: 'V', quantity: -1, sellingPrice: 1 }], /line 0: quantity .* not -1/],
    [[{ variantKey: 'V', quantity: 1.5, sellingPrice: 1 }], /line 0: quantity/],
    [[{ variantKey: 'V', quantity: 1, sellingPrice: '9.90' }], /line 0: sellingPrice .* not 9.90/],
    [[{ variantKey: 'V', quantity: 1, sellingPrice: NaN }], /sellingPrice/],
    [[{ variantKey: 'V', quantity: 1, sellingPrice: -1 }], /sellingPrice/],
    [[{ variantKey: 'V', quantity: 1, sellingPrice: 1 }, null], /line 1: variantKey/]
  ])('refuses %j', (lines, message) => {
    expect(() => paymentBody(lines)).toThrow(message)
  })
})

describe('quote', () => {
  it('matches JSON.stringify for every UTF-16 code unit and for surrogate pairs', () => {
    for (let i = 0; i < 0x10000; i++) {
      const s = String.fromCharCode(i)
      if (quote(s) !== JSON.stringify(s)) throw new Error(`differs at U+${i.toString(16)}`)
    }
    for (const s of ['🛒👟', 'a\ud800b', '\udc00', 'x"\\\n\t\u2028']) expect(quote(s)).toBe(JSON.stringify(s))
  })
})

describe('explain', () => {
  it('names the attribute, its value and the fix', () => {
    expect(explain('data-market', '')).toBe('data-market="" is not valid: required: your market id, as in the data feed (1 to 100 characters).')
    expect(explain('data-endpoint', 'javascript:alert(1)')).toMatch(/^data-endpoint="javascript:alert\(1\)" is not valid: use an https: URL/)
    expect(explain('data-cluster-id', undefined)).toMatch(/^data-cluster-id=undefined is not valid: set data-cluster-id to the cluster id alone/)
  })
  it('names the method, the argument and the fix', () => {
    expect(explain('setCustomerKey', 'me@example.com')).toMatch(/^setCustomerKey\("me@example.com"\) refused: .*never an e-mail address \(GDPR\)\.$/)
    expect(explain('addFavorite', {})).toMatch(/^addFavorite\(\{\}\) refused: pass a product key/)
    const circular: Record<string, unknown> = {}
    circular.self = circular
    expect(explain('click', circular)).toMatch(/^click\(\[object Object\]\) refused/)
  })
})
