// What the lazily loaded chunks use of the page where the caller passed no stand-in: the main
// script passes only its settings and `notify`, to stay small, and each chunk makes the rest.
import { createLogger, type Logger } from '../page/log.js'
import { webStore, type Store } from '../page/storage.js'
import type { Context } from '../page/transport.js'

/** A context with every stand-in filled in. */
export interface Page extends Context {
  storage: Store
  log: Logger
  now: () => number
  online: () => boolean
}

const made = new WeakMap<Context, Page>()

/**
 * The context with the browser's own objects where the caller passed none; the same object
 * for the same context (and for the object it returns), so that state kept on it lasts. Its
 * signal and consent level are read from the context each time: a tracker whose consent is
 * withdrawn and given again tracks under a new signal, and a level that moves sends accordingly.
 * @param ctx - what the main script (or a test) passed.
 */
export function page(ctx: Context): Page {
  let full = made.get(ctx)
  if (!full) {
    full = Object.defineProperties({
      storage: webStore(() => localStorage),
      log: createLogger(!!ctx.debug, console),
      now: Date.now,
      online: () => navigator.onLine !== false,
      ...ctx
    }, {
      // Live: the main script changes them on the context it passed.
      signal: { get: () => ctx.signal },
      level: { get: () => ctx.level }
    }) as Page
    made.set(ctx, full)
    // A handler that kept the full context passes it back: the same object.
    made.set(full, full)
  }
  return full
}
