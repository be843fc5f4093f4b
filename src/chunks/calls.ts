// The API calls that the main script leaves to the lazily loaded chunk: favorites (by method;
// the data-esales-favorite toggles are the main script's), payment, the recent-searches and
// recently-viewed removals, and ad impressions. Each checks its
// argument, refuses a bad one with an `esales:` error, and records its notification through
// the page's queue (so it goes by beacon like a click).
import { favoriteBody, listBody, stringBody } from '../shared/body.js'
import { page } from './defaults.js'
import { clearOutbox } from '../page/outbox.js'
import { explain, v3Only } from './explain.js'
import { paymentBody } from '../shared/payment.js'
import type { ApiVersion } from '../api.js'
import type { Keys } from '../page/identity.js'
import type { ChunkCall, Context } from '../page/transport.js'

/** Each call's notification, its body builder, and the API generation that lacks the notification. */
const CALLS: Record<ChunkCall, [name: string, body: (arg: unknown) => string | undefined, lackedBy?: ApiVersion]> = {
  addFavorite: ['add-favorite', favoriteBody],
  removeFavorite: ['remove-favorite', favoriteBody],
  payment: ['payment', paymentBody, 'v3'],
  removeRecentSearches: ['remove-recent-searches', (arg) => listBody('phrases', arg)],
  removeRecentlyViewed: ['remove-recently-viewed', (arg) => listBody('productKeys', arg), 'v2'],
  adImpression: ['ad-impression', (arg) => stringBody('ticket', arg), 'v2']
}

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
  const [name, build, lackedBy] = CALLS[method]
  if (lackedBy && ctx.api == lackedBy) return ctx.log.error(lackedBy == 'v2' ? v3Only(method) : explain(method, arg))
  let body: string | undefined
  try {
    body = build(arg)
  } catch (error) {
    // The payment builder says which line is wrong.
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
