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

// The page (src/page/config.ts) writes the three rules below out in its own check rather than
// importing them: every shop page pays for each byte, and an import costs some. A unit test
// (settings.test.ts) holds the two to the same answers.

/** A cluster id: a DNS label, 1 to 63 letters, digits and hyphens, neither first nor last a hyphen. */
export const CLUSTER_ID = /^[a-z\d]([a-z\d-]{0,61}[a-z\d])?$/i

/** The hosts that a cluster id answers under, the default first (`data-cluster-host`, `clusterHost`). */
export const CLUSTER_HOSTS = ['api.esales.apptus.cloud', 'elevate-api.cloud'] as const

/**
 * A host name of this machine: localhost, a name under .localhost (RFC 6761), 127.0.0.0/8 or
 * [::1]. Plain http may go there; the local cluster runs there, and eSales does not.
 */
export const LOCAL_HOST = /^(.+\.)?localhost$|^127\.\d+\.\d+\.\d+$|^\[::1\]$/
