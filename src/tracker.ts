import { stringBody } from './body'
import { ATTRS, listen, type Target } from './capture'
import { isSafeToken, resolveConfig, type Config, type Options } from './config'
import { createIdentity, CUSTOMER_COOKIE, MIRROR, SESSION_COOKIE, type Identity, type Keys } from './identity'
import { createLogger } from './log'
import { OUTBOX } from './outbox'
import { cookieJar, webStore } from './storage'
import { notificationUrl, send, type Context, type FallbackModule } from './transport'
import { uuid } from './uuid'

/** A product for the favorite notifications: its key, or `{ productKey }`, or `{ variantKey }`. */
export type FavoriteKey = string | { productKey: string } | { variantKey: string }
/** One line of a payment notification. */
export interface PaymentLine { variantKey: string; quantity: number; sellingPrice: number }

/** The tracker: the same methods as `window.esales`. None of them throws. */
export interface Tracker {
  /** Sends a click notification for a ticket (a product, content item or suggestion). */
  click(ticket: string): void
  /** Sends an add-to-cart notification for a ticket. */
  addToCart(ticket: string): void
  /** Sends an add-favorite notification. */
  addFavorite(key: FavoriteKey): void
  /** Sends a remove-favorite notification. */
  removeFavorite(key: FavoriteKey): void
  /** Sends a payment notification (API v2 only; the cluster must allow client-side payments). */
  payment(lines: PaymentLine[]): void
  /** Sends an end notification (the visitor signs out), then starts new keys, as reset() does. */
  end(): void
  /** The current customer and session keys, e.g. to pass to your own eSales queries; empty before consent. */
  keys(): Keys
  /** Sets the customer key of a signed-in visitor (a safe token: never an e-mail address). */
  setCustomerKey(key: string): void
  /** New customer and session keys, for sign-out. */
  reset(): void
  /** `true` starts tracking (with `consent: 'pending'`); `false` removes the snippet's cookies and storage and stops it. */
  consent(granted: boolean): void
  /** Removes the listeners; the tracker sends nothing after this. */
  destroy(): void
}

/** What the tracker uses of the browser. The entry points pass the real ones; tests pass stand-ins. */
export interface Env {
  /** `window`, or an object with the same members. Its `localStorage` is read on each use, since the getter itself may throw. */
  window: Pick<Window, 'document' | 'location' | 'localStorage' | 'addEventListener' | 'removeEventListener'> & { navigator?: Partial<Navigator>; console: Pick<Console, 'log' | 'error'> }
  /** The clock, in milliseconds. */
  now: () => number
  /** n cryptographically random bytes (nanoid's `random`). */
  random: (bytes: number) => Uint8Array
  /** Loads the ky fallback chunk (each entry point has its own way to find it). */
  loadFallback: () => Promise<FallbackModule>
}

/** API calls that are rarely made and rarely followed by a navigation: the chunk builds them. */
const LATER = ['addFavorite', 'removeFavorite', 'payment'] as const

/**
 * Creates a tracker that reports clicks on `[data-esales-ticket]` elements to eSales.
 * A misconfiguration logs one `esales:` error and returns a tracker that does nothing.
 * @param options - the settings (the script tag's `data-*` attributes, camelCased).
 * @param env - the browser objects to use.
 */
export function createTracker(options: Options, env: Env): Tracker {
  const win = env.window
  const doc = win.document
  const nav = win.navigator
  const page = win.location.href
  const load = env.loadFallback
  const config = resolveConfig(options || {}, page) as Config
  const valid = !Array.isArray(config)
  const log = createLogger(valid && config.debug, win.console)
  const cookies = cookieJar(() => doc, page.startsWith('https:'), options.cookieDomain)
  const storage = webStore(() => win.localStorage)
  // Set while tracking: from start-up (or consent) to destroy() (or withdrawn consent).
  let identity: Identity | undefined
  let stop = () => {}

  const notify = (name: string, body?: string) => {
    identity && post(notificationUrl(config.base, name, config.market, identity.keys()), body)
  }
  const ctx: Context = { ...config, storage, log, online: () => nav?.onLine !== false, notify }
  const post = send(nav, load, ctx, () => uuid(env.random))
  const chunk = (use: (m: FallbackModule) => unknown) => load().then(use).catch(() => {})
  // Only a misuse needs the words, so they live in the chunk; without it, a shorter message.
  const refuse = (what: string, value: unknown) => load().then((m) => log.error(m.explain(what, value)), () => log.error('bad ' + what))
  const flush = () => { identity && storage.get(OUTBOX) && chunk((m) => m.flush(ctx)) }
  win.addEventListener('online', flush)
  // A ticket for click and add-to-cart; the API refuses a bad one, a click on a blank tile sends nothing.
  const byTicket = (name: string, ticket: unknown, method?: string) => {
    const body = stringBody('ticket', ticket)
    body ? notify(name, body) : method && refuse(method, ticket)
  }

  const start = () => {
    if (identity || !valid) return
    identity = createIdentity({ ...env, cookies, storage }, config)
    // Without a beacon every notification needs the chunk: load it now.
    nav?.sendBeacon || chunk(() => {})
    const stopClicks = listen(doc, ([attr, value, el]: Target) => {
      if (attr == ATTRS[1]) return chunk((m) => m.favorite(el, value, ctx))
      byTicket(attr == ATTRS[0] ? 'add-to-cart' : 'click', value)
    })
    stop = () => {
      stopClicks()
      // The online listener stays: without an identity, flush() does nothing.
      identity = undefined
    }
    flush()
  }

  const tracker = {
    click: (ticket) => byTicket('click', ticket, 'click'),
    addToCart: (ticket) => byTicket('add-to-cart', ticket, 'addToCart'),
    end() {
      notify('end')
      tracker.reset()
    },
    keys: () => identity ? identity.keys() : {} as Keys,
    setCustomerKey: (key) => isSafeToken(key) ? identity && identity.setCustomerKey(key) : refuse('setCustomerKey', key),
    reset: () => identity && identity.reset(),
    consent(granted) {
      if (granted) return start()
      stop()
      for (const name of [CUSTOMER_COOKIE, SESSION_COOKIE]) cookies.set(name, '', 0)
      for (const name of [MIRROR, OUTBOX]) storage.remove(name)
    },
    destroy: () => stop()
  } as Tracker
  for (const method of LATER) tracker[method] = (arg: unknown) => { identity && chunk((m) => m.run(method, arg, ctx)) }
  if (!valid) refuse('data-' + config[0], config[1])
  else if (config.consent != 'pending') start()
  return tracker
}
