import { random } from 'nanoid'
import type { Options } from './config'
import { createTracker as create, noopTracker, type Env, type Tracker } from './tracker'

export type { Tracker, Env } from './tracker'
export type { Options, ApiVersion } from './config'
export type { Keys } from './identity'
export type { FallbackModule } from './transport'

/**
 * Creates a tracker that reports clicks on `[data-esales-ticket]` elements to eSales.
 * A misconfiguration logs one `esales:` error and returns a tracker that does nothing;
 * nothing here throws into the page.
 *
 * @example
 * import { createTracker } from 'esales-snippet'
 * const esales = createTracker({ clusterId: 'w1A2B3C4D', market: 'UK' })
 * esales.setCustomerKey(user.id)
 *
 * @param options - the settings (the script tag's `data-*` attributes, camelCased).
 * @param env - stand-ins for the browser's objects; each defaults to the real one.
 */
export function createTracker(options: Options, env: Partial<Env> = {}): Tracker {
  // Server-side rendering: no window, nothing to track.
  if (!env.window && typeof window == 'undefined') return noopTracker()
  return create(options, {
    window,
    now: Date.now,
    random,
    loadFallback: () => import('./fallback'),
    ...env
  })
}
