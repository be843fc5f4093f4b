// What a key may be, for the page and the server alike: a value that eSales accepts and that a
// cookie holds as it is, so that neither side ever needs to encode or escape one.

/** A key eSales accepts and a cookie can hold as is: 1 to 128 characters of `A-Za-z0-9._~:-`. */
export const isSafeToken = (value: unknown): value is string =>
  typeof value == 'string' && /^[\w.~:-]{1,128}$/.test(value)
