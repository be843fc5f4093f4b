// How a message shows a value that a shop (or a request, through a shop's callback) gave.

/**
 * A value as a message shows it: a string quoted and cut short (it may come from a request,
 * and must not forge log lines), a number as it is, anything else by its kind.
 * @param value - the value.
 */
export function describe(value: unknown): string {
  if (typeof value == 'string') return JSON.stringify(value.length > 40 ? value.slice(0, 40) + '…' : value)
  if (typeof value == 'bigint') return `${value}n`
  if (Array.isArray(value)) return 'an array'
  if (typeof value == 'function') return 'a function'
  if (value && typeof value == 'object') return value instanceof Promise ? 'a promise' : 'an object'
  return String(value)
}
