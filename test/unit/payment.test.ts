import { describe, expect, it } from 'vitest'
import { adminLine, paymentBody } from '../../src/shared/payment'

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

describe('paymentBody for the admin API', () => {
  it('writes cost where given, and a productKey in place of a variantKey', () => {
    const lines = [{ variantKey: 'V1', quantity: 2, sellingPrice: 39, cost: 15.2 }, { productKey: 'P2', quantity: 1, sellingPrice: 0.5 }]
    expect(paymentBody(lines, adminLine)).toBe(JSON.stringify({ lines }))
  })

  it('leaves cost and productKey to the admin API: the client-side body has neither', () => {
    expect(paymentBody([{ variantKey: 'V', quantity: 1, sellingPrice: 9, cost: 1, productKey: 'P' }])).toBe('{"lines":[{"variantKey":"V","quantity":1,"sellingPrice":9}]}')
    expect(() => paymentBody([{ productKey: 'P', quantity: 1, sellingPrice: 9 }])).toThrow(/^line 0: variantKey must be a non-empty string$/)
  })

  it.each([
    [[{ variantKey: 'V', productKey: 'P', quantity: 1, sellingPrice: 1 }], /^line 0: give variantKey or productKey, not both$/],
    [[{ quantity: 1, sellingPrice: 1 }], /^line 0: variantKey \(or productKey\) must be a non-empty string$/],
    [[{ productKey: '', quantity: 1, sellingPrice: 1 }], /^line 0: variantKey \(or productKey\)/],
    [[{ variantKey: 'V', quantity: 1, sellingPrice: 10, cost: 0 }], /^line 0: cost must be a number above 0 and below sellingPrice \(10\), not 0$/],
    [[{ variantKey: 'V', quantity: 1, sellingPrice: 10, cost: 10 }], /^line 0: cost .* not 10$/],
    [[{ variantKey: 'V', quantity: 1, sellingPrice: 10, cost: -1 }], /^line 0: cost .* not -1$/],
    [[{ variantKey: 'V', quantity: 1, sellingPrice: 10, cost: NaN }], /^line 0: cost .* not NaN$/],
    [[{ variantKey: 'V', quantity: 1, sellingPrice: 10, cost: '5' }], /^line 0: cost .* not 5$/],
    [[{ variantKey: 'V', quantity: 1, sellingPrice: 10, cost: null }], /^line 0: cost .* not null$/],
    [[{ variantKey: 'V', quantity: 1, sellingPrice: 1 }, { variantKey: 'W', quantity: 0, sellingPrice: 1 }], /^line 1: quantity/]
  ])('refuses %j', (lines, message) => {
    expect(() => paymentBody(lines, adminLine)).toThrow(message)
  })
})
