// The public types: what a shop's code sees of the snippet (dist/index.d.ts ships this file,
// and nothing of the internals).

/**
 * The eSales API that notifications go to: `v3`, the Storefront API v3, for every new shop;
 * `v2` only where a shop still has it (eSales has ended it). Ad impressions and
 * remove-recently-viewed need `v3`; a payment from the page needs `v2`.
 */
export type ApiVersion = 'v2' | 'v3'

/**
 * The host under which a cluster id answers: `https://{clusterId}.{clusterHost}`. Elevate's
 * documentation shows both; the snippet's default is `api.esales.apptus.cloud`.
 */
export type ClusterHost = 'api.esales.apptus.cloud' | 'elevate-api.cloud'

/**
 * A consent level, as `data-consent` and the `consent` option take it:
 * - `granted`: both keys, in cookies and localStorage; notifications carry them.
 * - `unpersonalized`: a session key only, in the session cookie (API v3).
 * - `anonymous`: no keys, nothing stored (API v3).
 * - `denied`: nothing stored, nothing sent.
 * - `pending`: nothing yet, until `consent()` gives a level.
 */
export type Consent = 'granted' | 'unpersonalized' | 'anonymous' | 'denied' | 'pending'

/**
 * Every setting as an optional field: the script tag's `data-*` attributes, camelCased, before
 * the snippet checks them. `Options` is what `createTracker`'s types require of them.
 */
export interface OptionFields {
  /** eSales cluster id: the notifications go to `https://{clusterId}.{clusterHost}`. */
  clusterId?: string
  /** The host that the cluster id is a name under; `api.esales.apptus.cloud` by default. */
  clusterHost?: ClusterHost
  /** Market id, as in the data feed. */
  market?: string
  /** Base URL that replaces the cluster URL: a first-party proxy such as `/esales`, or the local cluster. */
  endpoint?: string
  /** `v3` (write it: the default is `v2`, for the shops that still have it). */
  api?: ApiVersion
  /** Customer key rendered by the shop's server; wins over stored keys. */
  customerKey?: string
  /** Session key rendered by the shop's server; wins over stored keys. */
  sessionKey?: string
  /** Cookie `Domain`, so that subdomains share the keys (e.g. `shop.example`). */
  cookieDomain?: string
  /** Logs each decision to the console (`true`; on the script tag, the presence of `data-debug`, unless its value is `false`). */
  debug?: boolean | string
  /** The consent level to start with; `granted` by default. `pending` waits for `consent()`. */
  consent?: Consent
  /** `manual`: no automatic ad impressions for `data-esales-ad` elements; call `adImpression` yourself. */
  adImpressions?: 'auto' | 'manual'
}

/** Notifications go to a cluster: `https://{clusterId}.{clusterHost}`. */
export interface ToCluster {
  /** eSales cluster id: the notifications go to `https://{clusterId}.{clusterHost}`. */
  clusterId: string
}

/** Notifications go to an endpoint: a first-party proxy such as `/esales`, or the local cluster. */
export interface ToEndpoint {
  /** Base URL that replaces the cluster URL. */
  endpoint: string
}

/**
 * The settings `createTracker` takes: `market`, and `clusterId` or `endpoint`, are required,
 * so that a forgotten one fails the compile rather than the page.
 * @example
 * const options: Options = { clusterId: 'w1A2B3C4D', market: 'UK', api: 'v3' }
 */
export type Options = OptionFields & { market: string } & (ToCluster | ToEndpoint)

/** The pair of keys that every notification carries. */
export interface Keys {
  customerKey: string
  sessionKey: string
}

/** A product for the favorite notifications: its key, or `{ productKey }`, or `{ variantKey }`. */
export type FavoriteKey = string | { productKey: string } | { variantKey: string }
/** One line of a payment notification. */
export interface PaymentLine { variantKey: string; quantity: number; sellingPrice: number }

/** The tracker: the same methods as `window.esales`. None of them throws. */
export interface Tracker {
  /** Sends a click notification for a ticket (a product, content item or suggestion). */
  click(ticket: string): void
  /** Sends an add-to-cart notification for a ticket. */
  addToCart(ticket: string): void
  /** Sends an add-favorite notification. */
  addFavorite(key: FavoriteKey): void
  /** Sends a remove-favorite notification. */
  removeFavorite(key: FavoriteKey): void
  /** Sends a payment notification (API v2 only; the cluster must allow client-side payments). */
  payment(lines: PaymentLine[]): void
  /** Removes search phrases from the visitor's recent searches, or all of them with `'removeAll'`. */
  removeRecentSearches(phrases: string[] | 'removeAll'): void
  /** Removes products from the visitor's recently viewed, or all of them with `'removeAll'` (API v3 only). */
  removeRecentlyViewed(productKeys: string[] | 'removeAll'): void
  /** Sends an ad-impression for a sponsored item's ticket (API v3 only; `data-esales-ad` elements send theirs when viewable). */
  adImpression(ticket: string): void
  /** Sends an end notification for the current session (the visitor signs out), then starts new keys, as reset() does. */
  end(): void
  /** The current customer and session keys, e.g. to pass to your own eSales queries; empty before consent. */
  keys(): Partial<Keys>
  /** Sets the customer key of a signed-in visitor (a safe token: never an e-mail address). */
  setCustomerKey(key: string): void
  /** New customer and session keys, for sign-out. */
  reset(): void
  /**
   * Sets the consent level from your consent manager, at once, also for what still waits to be
   * sent: `true` or `'granted'` tracks with both keys; `'unpersonalized'` with the session key
   * only (`userContext=UNPERSONALIZED`) and `'anonymous'` with none, storing nothing
   * (`userContext=ANONYMOUS`), both API v3; `false`, `'denied'` or `'pending'` sends nothing.
   * Going down removes what the new level may not keep: cookies, the mirror, outbox entries.
   */
  consent(level: boolean | Consent): void
  /**
   * Sends what waits, removes every listener, and ends the tracker: it sends nothing after this,
   * and a new `createTracker` may start another. A tracker that more than one holder got (a
   * second `createTracker` call, or the script tag's) ends when the last of them destroys it.
   */
  destroy(): void
}

/** The names of the command form: `esales('click', ticket)` calls `esales.click(ticket)`. */
export type Command = keyof Tracker

/**
 * The script tag's `window.esales`: the tracker's methods once the script has loaded, and the
 * command form at any time, which the one-line stub queues until then and the script replays in
 * order. A command returns what its method returns, once the script has loaded (before, nothing).
 * @example
 * esales('consent', 'granted')
 * esales('setCustomerKey', user.id)
 * esales('click', ticket)
 */
export interface Esales extends Tracker {
  <C extends Command>(command: C, ...args: Parameters<Tracker[C]>): ReturnType<Tracker[C]> | undefined
}

/** Stand-ins for the browser's objects that `createTracker` takes, each defaulting to the real one (for tests, and for pages that wrap them). */
export interface StandIns {
  /** `window`, or an object with the same members. Its `localStorage` is read on each use, since the getter itself may throw. */
  window?: Pick<Window, 'document' | 'location' | 'localStorage' | 'addEventListener' | 'removeEventListener' | 'setTimeout'> &
    Partial<Pick<Window, 'requestAnimationFrame' | 'requestIdleCallback'>> & { navigator?: Partial<Navigator>; console: Pick<Console, 'log' | 'error'> }
  /** The clock, in milliseconds. */
  now?: () => number
  /** n cryptographically random bytes (nanoid's `random`). */
  random?: (bytes: number) => Uint8Array
}
