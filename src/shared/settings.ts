// What a setting may be, for the page and the server alike: a cookie Domain and a market id,
// checked by one rule wherever a shop gives them.

/** One DNS label: letters, digits and hyphens, neither first nor last a hyphen, at most 63. */
const LABEL = '[a-z\\d](?:[a-z\\d-]{0,61}[a-z\\d])?'

/**
 * A cookie `Domain` as a shop gives it (`data-cookie-domain`, `domain`): a host name of two labels
 * or more, with an optional leading dot, such as `shop.example`. No IP address (a last label of
 * digits only: no top-level domain is one), no single label (`com`, `localhost`: browsers refuse
 * or scope them away), nothing but letters, digits, hyphens and dots.
 * @param value - what the shop gave.
 */
export const isCookieDomain = (value: unknown): value is string =>
  typeof value == 'string' && value.length <= 254 && new RegExp(`^\\.?(?:${LABEL}\\.)+${LABEL}$`, 'i').test(value) && !/\.\d+$/.test(value)

/**
 * A market id as a shop gives it (`data-market`, `market`): 1 to 100 characters, no white space at
 * either end, and no control, format or unpaired surrogate characters anywhere (which a URL
 * cannot carry, or which make two ids that look alike differ).
 * @param value - what the shop gave.
 */
export const isMarket = (value: unknown): value is string =>
  typeof value == 'string' && /^(?!\s)[^\p{C}\p{Zl}\p{Zp}]{1,100}$/u.test(value) && !/\s$/.test(value)
