import { listen } from './capture'
import { isSafeToken, resolveConfig, type Options } from './config'
import { createIdentity, type Keys } from './identity'
import { createLogger } from './log'
import { cookieStore, webStore } from './storage'
import { createTransport, notificationUrl, type FallbackModule } from './transport'

/** The tracker: the same methods as `window.esales`. None of them throws. */
export interface Tracker {
  /** Sends a click notification for a ticket by hand. */
  click(ticket: string): void
  /** The current customer and session keys, e.g. to pass to your own eSales queries. */
  keys(): Keys
  /** Sets the customer key of a signed-in visitor (a safe token: never an e-mail address). */
  setCustomerKey(key: string): void
  /** New customer and session keys, for sign-out. */
  reset(): void
  /** Removes the listeners; the tracker sends nothing after this. */
  destroy(): void
}

/** What the tracker uses of the browser. The entry points pass the real ones; tests pass stand-ins. */
export interface Env {
  /** `window`, or an object with the same members. Its `localStorage` is read on each use, since the getter itself may throw. */
  window: Pick<Window, 'document' | 'location' | 'localStorage'> & { navigator?: Partial<Navigator>; console: Pick<Console, 'log' | 'error'> }
  /** The clock, in milliseconds. */
  now: () => number
  /** n cryptographically random bytes (nanoid's `random`). */
  random: (bytes: number) => Uint8Array
  /** Loads the ky fallback chunk (each entry point has its own way to find it). */
  loadFallback: () => Promise<FallbackModule>
}

/**
 * Creates a tracker that reports clicks on `[data-esales-ticket]` elements to eSales.
 * A misconfiguration logs one `esales:` error and returns a tracker that does nothing.
 * @param options - the settings (the script tag's `data-*` attributes, camelCased).
 * @param env - the browser objects to use.
 */
export function createTracker(options: Options, env: Env): Tracker {
  const tracker = noopTracker()
  try {
    setUp(tracker, options, env)
  } catch {}
  return tracker
}

/** A tracker that does nothing: what a misconfigured page, or a server-side render, gets. */
export const noopTracker = (): Tracker => ({
  click() {},
  keys: () => ({ customerKey: '', sessionKey: '' }),
  setCustomerKey() {},
  reset() {},
  destroy() {}
})

function setUp(tracker: Tracker, options: Options, env: Env) {
  const win = env.window
  const doc = win.document
  const page = win.location.href
  const config = resolveConfig(options || {}, page)
  const log = createLogger(typeof config != 'string' && config.debug, win.console)
  if (typeof config == 'string') {
    return log.error(config)
  }
  const identity = createIdentity({
    ...env,
    cookies: cookieStore(() => doc, page.startsWith('https:'), config.cookieDomain),
    storage: webStore(() => win.localStorage)
  }, config)
  const refuse = (key: unknown) => log.error(`key "${key}" refused: use 1-128 of A-Za-z0-9._~:-, never an e-mail (GDPR)`)
  for (const k of [config.customerKey, config.sessionKey]) if (k != null && !isSafeToken(k)) refuse(k)
  const send = createTransport(win.navigator, env.loadFallback, log)

  let live = true
  const click = (ticket: string) => {
    try {
      if (live && typeof ticket == 'string' && ticket.trim()) {
        send(notificationUrl(config.base, 'click', config.market, identity.keys()), JSON.stringify({ ticket }))
      } else log.debug('no ticket')
    } catch {}
  }
  const stop = listen(doc, click)

  Object.assign(tracker, {
    click,
    keys: identity.keys,
    setCustomerKey: (key: string) => isSafeToken(key) ? identity.setCustomerKey(key) : refuse(key),
    reset: identity.reset,
    destroy() {
      stop()
      live = false
    }
  })
}
