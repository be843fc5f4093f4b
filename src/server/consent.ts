// Which key cookies each consent level allows, for the middleware (which asks the shop) and the
// proxy (which reads the notification's userContext). The levels are the snippet's.
import { describe } from './describe.js'
import type { ConsentLevel } from './types.js'

/** The consent levels, for reading what a shop's callback returned. */
export const CONSENT_LEVELS: readonly ConsentLevel[] = ['granted', 'unpersonalized', 'anonymous', 'denied', 'pending']

/** Which key cookies a level allows: the customer cookie, the session cookie. */
export interface Allowed { customer: boolean; session: boolean }

// The unexpected values already reported, so that a page served a thousand times logs one line.
// Bounded: a callback may pass on what a request's cookie says, which anyone can vary.
const reported = new Set<string>()
const MAX_REPORTED = 100

/**
 * The consent level of what a shop gave, failing closed: `true` is `granted` and `false`
 * `denied`, as the page takes them; a level is read in any case, trimmed; `null` and
 * `undefined` (a first visit, with no consent cookie yet) are `pending`. Anything else is
 * `pending` too, and logged once per distinct value: a typo never tracks, and never brings
 * down the page that asked.
 * @param value - what the shop's callback or option gave.
 * @param where - who gave it, for the message: `keysMiddleware(): consent(request) returned`.
 */
export function consentLevel(value: unknown, where: string): ConsentLevel {
  if (value === true) return 'granted'
  if (value === false) return 'denied'
  if (value == null) return 'pending'
  if (typeof value == 'string') {
    const level = value.trim().toLowerCase() as ConsentLevel
    if (CONSENT_LEVELS.includes(level)) return level
  }
  const shown = describe(value)
  const id = `${where} ${typeof value} ${shown}`
  if (!reported.has(id) && reported.size < MAX_REPORTED) {
    reported.add(id)
    console.error(`esales-snippet/server: ${where} ${shown}, which is not a consent level (${CONSENT_LEVELS.join(', ')}, true or false): ` +
      'it was treated as pending, so no key cookie is set and those present are removed' +
      (reported.size == MAX_REPORTED ? `. This is the ${MAX_REPORTED}th such value: the next ones are not reported` : ''))
  }
  return 'pending'
}

/**
 * The key cookies a consent level allows.
 * @param level - the shopper's consent level.
 */
export const allowedBy = (level: ConsentLevel): Allowed =>
  ({ customer: level == 'granted', session: level == 'granted' || level == 'unpersonalized' })

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
