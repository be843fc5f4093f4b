// The API calls that the main script leaves to the lazily loaded chunk: favorites (by method;
// the data-esales-favorite toggles are the main script's), payment, the recent-searches and
// recently-viewed removals, and ad impressions. Each checks its
// argument, refuses a bad one with an `esales:` error, and records its notification through
// the page's queue (so it goes by beacon like a click).
import { favoriteBody, listBody, stringBody } from './body.js'
import { page } from './defaults.js'
import { clearOutbox } from './outbox.js'
import { explain, v3Only } from './explain.js'
import { paymentBody } from './payment.js'
import type { Keys } from './identity.js'
import type { ChunkCall, Context } from './transport.js'

/** Notifications that exist in Storefront API v3 only. */
const V3_ONLY: Partial<Record<ChunkCall, string>> = { removeRecentlyViewed: 'remove-recently-viewed', adImpression: 'ad-impression' }

/**
 * Runs one API call. A bad argument, or a call that the configured API does not have, gets an
 * `esales:` error and sends nothing.
 * @param method - the method's name on the tracker.
 * @param arg - what the shop passed.
 * @param ctx - the page's notify, API generation and log.
 * @param keys - the keys when the call was made.
 */
export function call(method: ChunkCall, arg: unknown, context: Context, keys?: Keys): void {
  const ctx = page(context)
  if (method == 'payment' && ctx.api == 'v3') return ctx.log.error(explain('payment', 'v3'))
  if (V3_ONLY[method] && ctx.api == 'v2') return ctx.log.error(v3Only(method))
  let body: string | undefined
  let name = V3_ONLY[method] || ''
  try {
    if (method == 'payment') [name, body] = ['payment', paymentBody(arg)]
    else if (method == 'addFavorite' || method == 'removeFavorite') [name, body] = [method == 'addFavorite' ? 'add-favorite' : 'remove-favorite', favoriteBody(arg)]
    else if (method == 'removeRecentSearches') [name, body] = ['remove-recent-searches', listBody('phrases', arg)]
    else body = method == 'removeRecentlyViewed' ? listBody('productKeys', arg) : stringBody('ticket', arg)
  } catch (error) {
    return ctx.log.error(`${method} refused: ${(error as Error).message}.`)
  }
  body ? ctx.notify(name, body, keys) : ctx.log.error(explain(method, arg))
}

/**
 * Removes the outbox and everything appended to it (consent withdrawn); the main script has
 * removed the key cookies and the mirror already.
 * @param context - the page's storage.
 */
export function forget(context: Context): void {
  clearOutbox(page(context).storage)
}
