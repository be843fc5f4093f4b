// Which key cookies each consent level allows, for the middleware (which asks the shop) and the
// proxy (which reads the notification's userContext). The levels are the snippet's.
import type { ConsentLevel } from './types.js'

/** The consent levels, for checking what a shop's callback returned. */
export const CONSENT_LEVELS: readonly ConsentLevel[] = ['granted', 'unpersonalized', 'anonymous', 'denied', 'pending']

/** Which key cookies a level allows: the customer cookie, the session cookie. */
export interface Allowed { customer: boolean; session: boolean }

/**
 * The key cookies a consent level allows.
 * @param level - the shopper's consent level.
 * @throws TypeError for anything but the five levels, so that a typo never tracks by default.
 */
export function allowedBy(level: unknown): Allowed {
  if (!CONSENT_LEVELS.includes(level as ConsentLevel)) {
    throw new TypeError(`esales-snippet/server: consent must be one of ${CONSENT_LEVELS.join(', ')}, not ${JSON.stringify(level) ?? String(level)}`)
  }
  return { customer: level == 'granted', session: level == 'granted' || level == 'unpersonalized' }
}

/**
 * The key cookies that a Storefront v3 notification's `userContext` allows its response to
 * renew: none for `ANONYMOUS` (the notification carries no keys), the session cookie for
 * `UNPERSONALIZED` (it carries no customer key), both otherwise (`PERSONALIZED`, the default).
 * @param userContext - the query parameter, or null where there is none (API v2).
 */
export function allowedByUserContext(userContext: string | null): Allowed {
  const context = (userContext || '').toUpperCase()
  return { customer: context != 'ANONYMOUS' && context != 'UNPERSONALIZED', session: context != 'ANONYMOUS' }
}
