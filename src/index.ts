// The ESM entry for bundlers: createTracker and the public types. No side effects on import;
// the chunks stay lazy imports, so a bundler splits them off.
import { random } from 'nanoid'
import type { Keys, Options, StandIns, Tracker } from './api.js'
import { createTracker as create } from './page/tracker.js'

export type {
  ApiVersion, ClusterHost, Command, Consent, Esales, FavoriteKey, Keys, OptionFields, PaymentLine, StandIns, ToCluster,
  ToEndpoint, Tracker, Options
} from './api.js'

const nothing = () => {}
/** What server-side rendering gets: a tracker that does nothing. */
const NOOP: Tracker = {
  click: nothing, addToCart: nothing, addFavorite: nothing, removeFavorite: nothing, payment: nothing,
  removeRecentSearches: nothing, removeRecentlyViewed: nothing, adImpression: nothing, end: nothing,
  keys: () => ({}) as Keys, setCustomerKey: nothing, reset: nothing, consent: nothing, destroy: nothing
}

/**
 * Creates a tracker that reports clicks on `[data-esales-ticket]` elements to eSales. One
 * tracker a page: while one runs (from this call, an earlier one, or the script tag), this
 * returns it. A misconfiguration logs one `esales:` error and returns a tracker that does
 * nothing; nothing here throws into the page.
 *
 * @example
 * import { createTracker } from 'esales-snippet'
 * const esales = createTracker({ clusterId: 'w1A2B3C4D', market: 'UK', api: 'v3' })
 * esales.setCustomerKey(user.id)
 *
 * @param options - the settings (the script tag's `data-*` attributes, camelCased): `market`,
 *   and `clusterId` or `endpoint`, are required.
 * @param env - stand-ins for the browser's objects; each defaults to the real one.
 */
export function createTracker(options: Options, env: StandIns = {}): Tracker {
  // Server-side rendering: no window, nothing to track.
  if (!env.window && typeof window == 'undefined') return NOOP
  try {
    return create(options, {
      window: env.window || window,
      now: env.now || Date.now,
      random: env.random || random,
      loadFallback: () => import('./chunks/fallback.js'),
      loadAds: () => import('./chunks/viewability.js')
    })
  } catch {
    return NOOP
  }
}
