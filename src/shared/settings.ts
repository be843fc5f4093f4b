// What a setting may be, for the page and the server alike: a cookie Domain and a market id,
// checked by one rule wherever a shop gives them.

/**
 * A cookie `Domain` as a shop gives it (`data-cookie-domain`, `domain`): a host name of two labels
 * or more, each of letters, digits and hyphens with no hyphen first or last, with an optional
 * leading dot, such as `shop.example`. No IP address (the last label starts with a letter, as
 * every top-level domain does), no single label (`com`, `localhost`: browsers refuse or scope
 * them away).
 * @param value - what the shop gave.
 */
export const isCookieDomain = (value: unknown): value is string =>
  typeof value == 'string' && /^\.?([a-z\d]([a-z\d-]*[a-z\d])?\.)+[a-z]([a-z\d-]*[a-z\d])?$/i.test(value)

/**
 * A market id as a shop gives it (`data-market`, `market`): 1 to 100 characters, no white space at
 * either end, and no control, format or unpaired surrogate characters anywhere (which a URL
 * cannot carry, or which make two ids that look alike differ).
 * @param value - what the shop gave.
 */
export const isMarket = (value: unknown): value is string =>
  // No lookbehind: Safari before 16.4 cannot parse one, and would fail the whole script.
  typeof value == 'string' && /^(?!\s)[^\p{C}\p{Zl}\p{Zp}]{0,99}[^\s\p{C}]$/u.test(value)
