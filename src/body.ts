// Notification bodies. Captured when this script runs: a page that later replaces
// JSON.stringify with a broken version (old Prototype.js-era code does) cannot break them.
const stringify = JSON.stringify

/**
 * `{"field":"value"}` for a non-blank string value, else undefined.
 * @param field - the body's one field: ticket, productKey or variantKey.
 * @param value - its value, sent byte-exact.
 */
export const stringBody = (field: string, value: unknown): string | undefined =>
  typeof value == 'string' && value.trim() ? stringify({ [field]: value }) : undefined

/**
 * The body of add-favorite and remove-favorite: a product key, `{ productKey }` or `{ variantKey }`.
 * @param key - what the shop passed.
 */
export const favoriteBody = (key: unknown): string | undefined => {
  const k = key as { productKey?: unknown; variantKey?: unknown } | null
  return typeof key == 'string' ? stringBody('productKey', key)
    : k ? (k.variantKey != null ? stringBody('variantKey', k.variantKey) : stringBody('productKey', k.productKey)) : undefined
}
