// The words for a misconfiguration or a refused call. They live in the lazily loaded chunk:
// only a misconfigured page, or a misused API, needs them.

const DNS_LABEL = 'the cluster id alone: 1 to 63 letters, digits and hyphens, not a host name or URL'
const TOKEN = 'an opaque id of 1 to 128 characters of A-Za-z0-9._~:-, never an e-mail address (GDPR)'

const FIXES: Record<string, string> = {
  'data-api': 'use v2 or v3',
  'data-market': 'required: your market id, as in the data feed (1 to 100 characters of well-formed text)',
  'data-cluster-id': `set data-cluster-id to ${DNS_LABEL}, or set data-endpoint`,
  'data-endpoint': 'use an https: URL, a same-origin path such as /esales, or http: on localhost only; no user or password',
  click: 'pass the ticket, a non-empty string',
  addToCart: 'pass the ticket, a non-empty string',
  addFavorite: 'pass a product key, {productKey} or {variantKey}, each a non-empty string',
  removeFavorite: 'pass a product key, {productKey} or {variantKey}, each a non-empty string',
  setCustomerKey: `use ${TOKEN}`,
  payment: 'API v3 takes no client-side payments: notify them from your server',
  removeRecentSearches: "pass a non-empty array of search phrases (non-empty strings), or 'removeAll'",
  removeRecentlyViewed: "pass a non-empty array of product keys (non-empty strings), or 'removeAll'",
  adImpression: "pass the sponsored item's ticket, a non-empty string",
  'data-ad-impressions': 'use auto (the default) or manual',
  'data-consent': 'use pending (nothing is stored or sent until consent(true)) or granted (the default)',
  'data-cookie-domain': 'use this page\'s host name or a domain it belongs to, such as shop.example on www.shop.example'
}

/** Why a call that exists in one API generation only is refused in the other. */
const ONLY_IN: Record<string, string> = {
  removeRecentlyViewed: 'API v2 has no remove-recently-viewed notification: it is Storefront API v3 only (data-api="v3")',
  adImpression: 'API v2 has no ad-impression notification: it is Storefront API v3 only (data-api="v3")',
  ads: 'sponsored items (data-esales-ad) need Storefront API v3 (data-api="v3"), which has the ad-impression notification; no impressions are sent'
}

const show = (value: unknown) => {
  try { return JSON.stringify(value) ?? String(value) } catch {}
  try { return String(value) } catch { return 'a value that cannot be shown' }
}

/**
 * The message (without the `esales: ` prefix) for a bad attribute or a refused call.
 * @param what - `data-…` for an attribute, or the API method.
 * @param value - what it was given.
 */
export function explain(what: string, value: unknown): string {
  return what.startsWith('data-')
    ? `${what}=${show(value)} is not valid: ${FIXES[what]}.`
    : `${what}(${show(value)}) refused: ${FIXES[what] || 'see the README'}.`
}

/**
 * The message (without the `esales: ` prefix) for a call, or for sponsored items, on API v2,
 * which lacks their notification.
 * @param what - the API method, or `ads` for `data-esales-ad` elements.
 */
export function v3Only(what: string): string {
  return `${what}${what == 'ads' ? '' : '()'} refused: ${ONLY_IN[what]}.`
}
