// The payment notification's body, checked line by line: built in the lazy chunk for a page's
// client-side payment (API v2, `clientLine`), and by the server entry for the admin API's
// payment (`adminLine`). Each side's bundle keeps only the line it uses.
import { quote } from './body.js'

type Line = Partial<Record<'variantKey' | 'productKey' | 'quantity' | 'sellingPrice' | 'cost', unknown>> | null

/**
 * `"quantity":…,"sellingPrice":…` of a line, checked.
 * @throws Error that names the line and the field.
 */
const amounts = ({ quantity, sellingPrice }: NonNullable<Line>, i: number): string => {
  if (typeof quantity != 'number' || !Number.isInteger(quantity) || quantity < 1) throw new Error(`line ${i}: quantity must be a whole number of at least 1, not ${String(quantity)}`)
  if (typeof sellingPrice != 'number' || !Number.isFinite(sellingPrice) || sellingPrice < 0) throw new Error(`line ${i}: sellingPrice must be a number of at least 0, not ${String(sellingPrice)}`)
  return `"quantity":${quantity},"sellingPrice":${sellingPrice}`
}

/**
 * A client-side payment's line (API v2): `{variantKey, quantity, sellingPrice}`.
 * @param line - the shop's line.
 * @param i - its index, for the message.
 * @throws Error that says which line is wrong and why.
 */
export function clientLine(line: unknown, i: number): string {
  const { variantKey } = (line || {}) as NonNullable<Line>
  if (typeof variantKey != 'string' || !variantKey.trim()) throw new Error(`line ${i}: variantKey must be a non-empty string`)
  return `{"variantKey":${quote(variantKey)},${amounts(line as NonNullable<Line>, i)}}`
}

/**
 * An admin API payment's line: a `variantKey`, or a `productKey` where the variant is not
 * known; `quantity`, `sellingPrice`; and `cost` where sent, above 0 and below `sellingPrice`.
 * @param line - the shop's line.
 * @param i - its index, for the message.
 * @throws Error that says which line is wrong and why.
 */
export function adminLine(line: unknown, i: number): string {
  const l = (line || {}) as NonNullable<Line>
  const { variantKey, productKey, sellingPrice, cost } = l
  // A line with both is ambiguous: which one eSales should count is not the package's guess.
  if (variantKey != null && productKey != null) throw new Error(`line ${i}: give variantKey or productKey, not both`)
  const field = variantKey == null && productKey != null ? 'productKey' : 'variantKey'
  const key = field == 'variantKey' ? variantKey : productKey
  if (typeof key != 'string' || !key.trim()) throw new Error(`line ${i}: variantKey (or productKey) must be a non-empty string`)
  const checked = amounts(l, i)
  if (cost !== undefined && (typeof cost != 'number' || !(cost > 0 && cost < (sellingPrice as number)))) throw new Error(`line ${i}: cost must be a number above 0 and below sellingPrice (${String(sellingPrice)}), not ${String(cost)}`)
  return `{"${field}":${quote(key)},${checked}${cost !== undefined ? `,"cost":${cost}` : ''}}`
}

/**
 * The body of a payment notification, `{"lines":[…]}`. Built by hand, like every body: a page
 * may have broken JSON.stringify or Array.prototype.toJSON.
 * @param lines - the order lines.
 * @param line - checks and writes one line: `clientLine` (the default) or `adminLine`.
 * @throws Error that says which line is wrong and why.
 */
export function paymentBody(lines: unknown, line: (line: unknown, i: number) => string = clientLine): string {
  if (!Array.isArray(lines) || !lines.length) throw new Error('lines must be a non-empty array of {variantKey, quantity, sellingPrice}')
  let out = ''
  for (let i = 0; i < lines.length; i++) out += (i ? ',' : '') + line(lines[i], i)
  return `{"lines":[${out}]}`
}
