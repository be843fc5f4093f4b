// The payment notification's body (API v2), checked line by line; built in the lazy chunk.
import { quote } from './body.js'

/**
 * The body of a payment notification, `{"lines":[{variantKey,quantity,sellingPrice}]}`.
 * Built by hand, like every body: a page may have broken JSON.stringify or Array.prototype.toJSON.
 * @param lines - the order lines.
 * @throws Error that says which line is wrong and why.
 */
export function paymentBody(lines: unknown): string {
  if (!Array.isArray(lines) || !lines.length) throw new Error('lines must be a non-empty array of {variantKey, quantity, sellingPrice}')
  let out = ''
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as Partial<Record<'variantKey' | 'quantity' | 'sellingPrice', unknown>> | null
    const { variantKey, quantity, sellingPrice } = line || {}
    if (typeof variantKey != 'string' || !variantKey.trim()) throw new Error(`line ${i}: variantKey must be a non-empty string`)
    if (typeof quantity != 'number' || !Number.isInteger(quantity) || quantity < 1) throw new Error(`line ${i}: quantity must be a whole number of at least 1, not ${String(quantity)}`)
    if (typeof sellingPrice != 'number' || !Number.isFinite(sellingPrice) || sellingPrice < 0) throw new Error(`line ${i}: sellingPrice must be a number of at least 0, not ${String(sellingPrice)}`)
    out += `${i ? ',' : ''}{"variantKey":${quote(variantKey)},"quantity":${quantity},"sellingPrice":${sellingPrice}}`
  }
  return `{"lines":[${out}]}`
}
