// The notifications that the proxy forwards: those the snippet sends, per API generation. The
// admin API (payments with an Api-Key) is never among them.

/** API v2's notification names. */
export const V2_NAMES: readonly string[] = ['click', 'add-to-cart', 'add-favorite', 'remove-favorite', 'payment', 'end', 'remove-recent-searches']
/** Storefront v3's notification names (v3 has no client-side payment). */
export const V3_NAMES: readonly string[] = ['click', 'add-to-cart', 'add-favorite', 'remove-favorite', 'remove-recent-searches', 'remove-recently-viewed', 'ad-impression', 'end']

/** The path of each generation's notifications, after the proxy's base path, and its names. */
export const ROUTES: readonly (readonly [prefix: string, names: readonly string[]])[] = [
  ['/api/v2/notifications/', V2_NAMES],
  ['/api/storefront/v3/notifications/', V3_NAMES]
]
