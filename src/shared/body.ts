// Notification bodies, built by hand: a page may have replaced JSON.stringify (before or after
// this script loaded) or added Array.prototype.toJSON (Prototype.js did).

/**
 * A JSON string literal. `"` and `\` are escaped as JSON.stringify escapes them, and so is a
 * lone surrogate (`\ud800`: well-formed JSON.stringify, ES2019), which the browser would
 * otherwise send as U+FFFD: a body is byte for byte what the official client sends for any
 * printable ticket. Control characters are written as `\u00XX` (equal JSON, where
 * JSON.stringify would write `\n` and the like).
 * @param value - the string.
 */
export const quote = (value: string): string =>
  // With the u flag a surrogate pair is one code point, outside the class: only a lone
  // surrogate matches it.
  '"' + value.replace(/["\\\0-\x1f\ud800-\udfff]/gu, (c) => '\\' + (c == '"' || c == '\\' ? c : 'u' + (c.charCodeAt(0) + 65536).toString(16).slice(1))) + '"'

/**
 * `{"field":"value"}` for a non-blank string value, else undefined.
 * @param field - the body's one field: ticket, productKey or variantKey.
 * @param value - its value, sent byte-exact.
 */
export const stringBody = (field: string, value: unknown): string | undefined =>
  typeof value == 'string' && value.trim() ? `{"${field}":${quote(value)}}` : undefined

/**
 * The body of add-favorite and remove-favorite: a product key, `{ productKey }` or `{ variantKey }`.
 * @param key - what the shop passed.
 */
export const favoriteBody = (key: unknown): string | undefined => {
  const k = key as { productKey?: unknown; variantKey?: unknown } | null
  return typeof key == 'string' ? stringBody('productKey', key)
    : k ? (k.variantKey != null ? stringBody('variantKey', k.variantKey) : stringBody('productKey', k.productKey)) : undefined
}

/**
 * `{"removeAll":true}`, or `{"field":["a","b"]}` for a non-empty array of non-blank strings, as
 * the official client writes them; else undefined.
 * @param field - phrases or productKeys.
 * @param value - what the shop passed.
 */
export const listBody = (field: string, value: unknown): string | undefined => {
  if (value === 'removeAll') return '{"removeAll":true}'
  if (!Array.isArray(value) || !value.length) return undefined
  let out = ''
  for (let i = 0; i < value.length; i++) {
    const item: unknown = value[i]
    if (typeof item != 'string' || !item.trim()) return undefined
    out += (i ? ',' : '') + quote(item)
  }
  return `{"${field}":[${out}]}`
}
