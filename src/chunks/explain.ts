// The words for a misconfiguration, a refused call, an unknown command or attribute. They live
// in the lazily loaded chunk: only a misconfigured page, or a misused API, needs them.

const DNS_LABEL = 'the cluster id alone: 1 to 63 letters, digits and hyphens, not a host name or URL'
const TOKEN = 'an opaque id of 1 to 128 characters of A-Za-z0-9._~:-, never an e-mail address (GDPR)'
const LEVELS = 'true, false, or one of granted, unpersonalized, anonymous, denied and pending'
const V2_LEVELS = 'API v2 has no userContext, so unpersonalized and anonymous need data-api="v3"; nothing is sent until a level that API v2 has (granted)'

/** The script tag's attributes (and createTracker's options, camelCased). */
export const ATTRIBUTES = ['cluster-id', 'cluster-host', 'market', 'endpoint', 'api', 'customer-key', 'session-key', 'cookie-domain', 'consent', 'ad-impressions', 'debug']
/** The commands of `esales(name, …)`: the tracker's methods. */
export const COMMANDS = ['click', 'addToCart', 'addFavorite', 'removeFavorite', 'payment', 'removeRecentSearches', 'removeRecentlyViewed', 'adImpression', 'end', 'keys', 'setCustomerKey', 'reset', 'consent', 'destroy']

const FIXES: Record<string, string> = {
  'data-api': 'use v2 or v3',
  'data-market': 'your market id, as in the data feed (1 to 100 characters of well-formed text, no space at either end), is required',
  'data-cluster-id': `set data-cluster-id to ${DNS_LABEL}, or set data-endpoint`,
  'data-cluster-host': 'use api.esales.apptus.cloud (the default) or elevate-api.cloud',
  'data-endpoint': 'use an https: URL, a same-origin path such as /esales, or http: on this machine only (localhost, *.localhost, 127.x.x.x, [::1]); no user or password',
  'data-ad-impressions': 'use auto (the default) or manual',
  'data-consent': 'use granted (the default), denied, pending, or with data-api="v3" unpersonalized or anonymous',
  'data-cookie-domain': 'use this page\'s host name or a domain it belongs to, such as shop.example on www.shop.example',
  click: 'pass the ticket, a non-empty string',
  addToCart: 'pass the ticket, a non-empty string',
  addFavorite: 'pass a product key, {productKey} or {variantKey}, each a non-empty string',
  removeFavorite: 'pass a product key, {productKey} or {variantKey}, each a non-empty string',
  setCustomerKey: `use ${TOKEN}`,
  payment: 'API v3 takes no payments from the page: send them from your server (esales-snippet/server, sendPayment)',
  removeRecentSearches: "pass a non-empty array of search phrases (non-empty strings), or 'removeAll'",
  removeRecentlyViewed: "pass a non-empty array of product keys (non-empty strings), or 'removeAll'",
  adImpression: "pass the sponsored item's ticket, a non-empty string",
  consent: `pass ${LEVELS} (data-consent takes the same); nothing is sent until one comes`
}

/** Why a call that exists in one API generation only is refused in the other. */
const ONLY_IN: Record<string, string> = {
  removeRecentlyViewed: 'API v2 has no remove-recently-viewed notification: it is Storefront API v3 only (data-api="v3")',
  adImpression: 'API v2 has no ad-impression notification: it is Storefront API v3 only (data-api="v3")',
  ads: 'sponsored items (data-esales-ad) need Storefront API v3 (data-api="v3"), which has the ad-impression notification; no impressions are sent'
}

// A customer key that was refused may be personal data (an e-mail address, or a whole user
// object that holds one), and a console line may end up in an error tracker: its kind, and a
// string's length, are shown, never the value; null and undefined as they are.
const hide = (value: unknown) => value == null ? String(value) :
  (typeof value == 'object' ? 'an object' : 'a ' + typeof value) + (typeof value == 'string' ? ` of ${value.length} characters` : '')

const show = (value: unknown) => {
  try { return JSON.stringify(value) ?? String(value) } catch {}
  try { return String(value) } catch { return 'a value that cannot be shown' }
}

/** clusterId → cluster-id: an option's name as the script tag's attribute. */
const kebab = (name: string) => name.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase())

/** How many one-character edits (insert, delete, replace) turn `a` into `b` (Levenshtein). */
export function distance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 0; i < a.length; i++) {
    const next = [i + 1]
    for (let j = 0; j < b.length; j++) next[j + 1] = Math.min(row[j + 1]! + 1, next[j]! + 1, row[j]! + (a[i] == b[j] ? 0 : 1))
    row = next
  }
  return row[b.length]!
}

/**
 * The valid name nearest to a misspelt one, if it is near enough to be its typo: a difference
 * of case, dashes or underscores, or at most a third of its letters (and never more than 3).
 * @param name - what the page wrote.
 * @param names - the valid names.
 */
export function nearest(name: string, names: readonly string[]): string | undefined {
  const plain = (s: string) => s.toLowerCase().replace(/[-_]/g, '')
  let best: string | undefined
  let least = Math.min(3, Math.floor(plain(name).length / 3)) + 1
  for (const candidate of names) {
    const d = distance(plain(name), plain(candidate))
    if (d < least) [best, least] = [candidate, d]
  }
  return best
}

/**
 * The message (without the `esales: ` prefix) for a bad attribute, a refused call, an unknown
 * command (`command`) or an unknown attribute on the script tag (`attribute`, with its dataset
 * name); '' for an attribute that is no typo of the snippet's (another script's, such as a
 * consent manager's), which is not the snippet's business.
 * @param what - `data-…` (or `data-` and the option's name) for an attribute, `command`,
 *   `attribute`, or the API method.
 * @param value - what it was given.
 */
export function explain(what: string, value: unknown): string {
  if (what == 'command') {
    const near = nearest(String(value), COMMANDS)
    return `esales(${show(value)}) refused: there is no such command${near ? `; did you mean '${near}'?` : `: use one of ${COMMANDS.join(', ')}`}`
  }
  if (what == 'attribute') {
    const name = kebab(String(value))
    const near = nearest(name, ATTRIBUTES)
    return near ? `data-${name} is not an attribute of the snippet, and is ignored: did you mean data-${near}?` : ''
  }
  const level = /^"(unpersonalized|anonymous)"$/.test(show(value))
  if (what.startsWith('data-')) {
    what = kebab(what)
    if (what == 'data-consent' && level) return `data-consent="${value}" is not valid: ${V2_LEVELS}.`
    return value == null || value === '' ? `${what} is missing: ${FIXES[what]}.` : `${what}=${show(value)} is not valid: ${FIXES[what]}.`
  }
  if (what == 'consent' && level) return `consent(${show(value)}) refused: ${V2_LEVELS}; what was stored is removed.`
  return `${what}(${(what == 'setCustomerKey' ? hide : show)(value)}) refused: ${FIXES[what] || 'see the README'}.`
}

/**
 * The message (without the `esales: ` prefix) for a call, or for sponsored items, on API v2,
 * which lacks their notification.
 * @param what - the API method, or `ads` for `data-esales-ad` elements.
 */
export function v3Only(what: string): string {
  return `${what}${what == 'ads' ? '' : '()'} refused: ${ONLY_IN[what]}.`
}
