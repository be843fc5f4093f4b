// Consent levels: what the shopper agreed to, and so what the snippet may store and send. The
// Storefront v3 notifications say it with `userContext` (PERSONALIZED, the default when it is
// left out; UNPERSONALIZED: a session key and no customer key; ANONYMOUS: no key at all).
import type { Keys } from '../api.js'

/**
 * The levels, by what `consent()` and `data-consent` take: 0 sends and stores nothing
 * (`denied`, `pending`, `false`); 1 `anonymous` (no keys, nothing stored); 2 `unpersonalized`
 * (the session key only, in the session cookie); 3 `granted` (`true`: both keys, as always).
 */
// Without a prototype: consent('toString') is no level.
export const LEVELS: Record<string, number> = { __proto__: null, denied: 0, pending: 0, false: 0, anonymous: 1, unpersonalized: 2, granted: 3, true: 3 } as never

/**
 * The keys that a level may send: both at 3, the session key at 2, none below.
 * @param keys - the keys as they were made.
 * @param level - the level now.
 */
export const cut = (keys: Partial<Keys>, level: number): Partial<Keys> =>
  level > 2 ? keys : level > 1 ? { sessionKey: keys.sessionKey } : {}
