// The public types: what a shop's code sees of the snippet (dist/index.d.ts ships this file,
// and nothing of the internals).

/** The API generation: `v2` is the seed's path, `v3` the Storefront API that replaces it. */
export type ApiVersion = 'v2' | 'v3'

/** Settings, as `createTracker` takes them; the script tag's `data-*` attributes map onto the same names. */
export interface Options {
  /** eSales cluster id: the notifications go to `https://{clusterId}.api.esales.apptus.cloud`. */
  clusterId?: string
  /** Market id, as in the data feed; required. */
  market?: string
  /** Base URL that replaces the cluster URL (a first-party proxy such as `/esales`, or a local mock). */
  endpoint?: string
  /** `v2` (default) or `v3`. */
  api?: ApiVersion
  /** Customer key rendered by the shop's server; wins over stored keys. */
  customerKey?: string
  /** Session key rendered by the shop's server; wins over stored keys. */
  sessionKey?: string
  /** Cookie `Domain`, so that subdomains share the keys (e.g. `.shop.example`). */
  cookieDomain?: string
  /** Logs each decision to the console (`true`; on the script tag, the presence of `data-debug`). */
  debug?: boolean | string
  /**
   * The consent level before the consent manager answers: `granted` (the default), `pending` or
   * `denied` (store and send nothing), `unpersonalized` (the session key only) or `anonymous`
   * (no keys, nothing stored); the last two need API v3.
   */
  consent?: ConsentLevel
  /** The eSales host under the cluster id: `api.esales.apptus.cloud` (the default) or `elevate-api.cloud`. */
  clusterHost?: 'api.esales.apptus.cloud' | 'elevate-api.cloud'
  /** `manual`: no automatic ad impressions for `data-esales-ad` elements; call `adImpression` yourself. */
  adImpressions?: 'auto' | 'manual'
}

/** What the shopper agreed to: see `Tracker.consent`. */
export type ConsentLevel = 'granted' | 'unpersonalized' | 'anonymous' | 'denied' | 'pending'

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
  /** The keys that the consent level allows, e.g. to pass to your own eSales queries: both when granted, the session key when unpersonalized, none below. */
  keys(): Partial<Keys>
  /** Sets the customer key of a signed-in visitor (a safe token: never an e-mail address). */
  setCustomerKey(key: string): void
  /** New customer and session keys, for sign-out. */
  reset(): void
  /**
   * Sets the consent level, at once, for what still waits to be sent too: `true` or `granted`
   * (both keys), `unpersonalized` (the session key only, `userContext=UNPERSONALIZED`),
   * `anonymous` (no keys, nothing stored, `userContext=ANONYMOUS`), `false`, `denied` or
   * `pending` (nothing stored or sent). Going down removes what the new level may not keep.
   */
  consent(level: boolean | ConsentLevel): void
  /**
   * Sends what waits, removes every listener, and ends the tracker: it sends nothing after this,
   * and a new `createTracker` may start another. A tracker that more than one holder got (a
   * second `createTracker` call, or the script tag's) ends when the last of them destroys it.
   */
  destroy(): void
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
