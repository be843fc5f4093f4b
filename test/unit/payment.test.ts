import { describe, expect, it } from 'vitest'
import { paymentBody } from '../../src/shared/payment'

describe('paymentBody', () => {
  it('writes the lines as JSON.stringify would', () => {
    const lines = [{ variantKey: 'V1"x', quantity: 2, sellingPrice: 9.5 }, { variantKey: 'V2 🛒', quantity: 1, sellingPrice: 0 }, { variantKey: 'V3', quantity: 1e3, sellingPrice: 1e21 }]
    expect(paymentBody(lines)).toBe(JSON.stringify({ lines }))
  })

  it('writes only the three fields, in this order, whatever else a line has', () => {
    expect(paymentBody([{ sellingPrice: 1, extra: 'x', quantity: 2, variantKey: 'V' }])).toBe('{"lines":[{"variantKey":"V","quantity":2,"sellingPrice":1}]}')
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
    [[], /^lines must be a non-empty array/],
    ['lines', /^lines must be a non-empty array/],
    [undefined, /^lines must be a non-empty array/],
    [[{ quantity: 1, sellingPrice: 1 }], /^line 0: variantKey must be a non-empty string$/],
    [[{ variantKey: ' ', quantity: 1, sellingPrice: 1 }], /^line 0: variantKey/],
    [[{ variantKey: 5, quantity: 1, sellingPrice: 1 }], /^line 0: variantKey/],
    [[{ variantKey: 'V', quantity: -1, sellingPrice: 1 }], /^line 0: quantity must be a whole number of at least 1, not -1$/],
    [[{ variantKey: 'V', quantity: 0, sellingPrice: 1 }], /^line 0: quantity .* not 0$/],
    [[{ variantKey: 'V', quantity: 1.5, sellingPrice: 1 }], /^line 0: quantity .* not 1.5$/],
    [[{ variantKey: 'V', quantity: '2', sellingPrice: 1 }], /^line 0: quantity .* not 2$/],
    [[{ variantKey: 'V', quantity: 1, sellingPrice: '9.90' }], /^line 0: sellingPrice must be a number of at least 0, not 9.90$/],
    [[{ variantKey: 'V', quantity: 1, sellingPrice: NaN }], /^line 0: sellingPrice .* not NaN$/],
    [[{ variantKey: 'V', quantity: 1, sellingPrice: Infinity }], /^line 0: sellingPrice .* not Infinity$/],
    [[{ variantKey: 'V', quantity: 1, sellingPrice: -1 }], /^line 0: sellingPrice .* not -1$/],
    [[{ variantKey: 'V', quantity: 1, sellingPrice: 1 }, null], /^line 1: variantKey/]
  ])('refuses %j', (lines, message) => {
    expect(() => paymentBody(lines)).toThrow(message)
  })
})
