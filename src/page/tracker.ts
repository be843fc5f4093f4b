// The tracker: wires the settings, the keys, click capture, the queue, the transport and the
// lazily loaded chunks together, and is the API (`window.esales`, `createTracker`).
import { watchForAds, type AdsModule } from './ads.js'
import type { FavoriteKey, PaymentLine, StandIns, Tracker } from '../api.js'
import { stringBody } from '../shared/body.js'
import { ADD_TO_CART, FAVORITE, listen, type Target } from './capture.js'
import { isSafeToken, resolveConfig, type Config, type Settings } from './config.js'
import { createIdentity, CUSTOMER_COOKIE, MIRROR, SESSION_COOKIE, type Identity, type Keys } from './identity.js'
import { createLogger } from './log.js'
import { hasOutbox } from './outbox.js'
import { createQueue, type Pending } from './queue.js'
import { cookieJar, webStore } from './storage.js'
import { createTransport, notificationUrl, type ChunkCall, type Context, type FallbackModule } from './transport.js'
import { uuid } from '../shared/uuid.js'

export type { FavoriteKey, PaymentLine, Tracker }

/** What the tracker uses of the browser. The entry points pass the real ones; tests pass stand-ins. */
export interface Env extends Required<StandIns> {
  /** Loads the fallback chunk (ky, the outbox replay, rare API calls, messages). */
  loadFallback: () => Promise<FallbackModule>
  /** Loads the viewability chunk, on pages with `data-esales-ad` elements. */
  loadAds: () => Promise<AdsModule>
}

/** API calls that are rarely made and rarely followed by a navigation: the chunk builds them. */
const CHUNK_CALLS: ChunkCall[] = ['addFavorite', 'removeFavorite', 'payment', 'removeRecentSearches', 'removeRecentlyViewed', 'adImpression']
/** Where the page's live tracker is kept: one tracker a page, whichever entry point made it, and how many hold it. */
const LIVE = Symbol.for('esales.tracker')
type Live = [tracker: Tracker, holders: number]

/**
 * Creates a tracker that reports clicks on `[data-esales-ticket]` elements to eSales, or
 * returns the page's live one. A misconfiguration logs one `esales:` error and returns a
 * tracker that does nothing.
 * @param options - the settings (the script tag's `data-*` attributes, camelCased).
 * @param env - the browser objects to use.
 */
export function createTracker(options: Settings, env: Env): Tracker {
  const win = env.window
  const registry = win as unknown as Record<typeof LIVE, Live | undefined>
  const doc = win.document
  const nav = win.navigator
  const page = win.location.href
  const load = env.loadFallback
  const config = resolveConfig(options || {}, page) as Config
  const valid = !Array.isArray(config)
  const log = createLogger(valid && config.debug, win.console)
  const cookies = cookieJar(() => doc, page.startsWith('https:'), config.cookieDomain)
  const storage = webStore(() => win.localStorage)
  const fresh = () => uuid(env.random)
  // Set while tracking: from start-up (or consent) to destroy() (or withdrawn consent).
  let identity: Identity | undefined
  // Key changes asked for before consent, made when it comes; null once destroyed.
  let beforeConsent: ((identity: Identity) => void)[] | null = []
  // Aborts to remove every listener and observer that tracking added.
  let running: AbortController
  // What the last click recorded: a later click of the same user action drops it.
  let thisAction: Pending | undefined

  // The chunk once loaded: used at once, not through import(), whose promise settles in a later
  // task, which a page on its way out (pagehide) never runs.
  let chunk: FallbackModule | undefined
  const withChunk = (use: (m: FallbackModule) => unknown) => {
    if (!chunk) return void load().then((m) => use(chunk = m)).catch(() => {})
    try { use(chunk) } catch {}
  }
  // Only a misuse needs the words, so they live in the chunk; without it, a shorter message.
  const refuse = (what: string, value: unknown) => { load().then((m) => log.error(m.explain(what, value))).catch(() => log.error('bad ' + what)) }
  // A notification with keys of its own (an API call that waited for the chunk) is sent after destroy() too.
  const record = (name: Pending[0], body?: string, keys?: Keys) => (identity || keys) && queue.push([name, body, keys])
  // How often consent was withdrawn: an API call made before that is not sent when the chunk comes.
  let withdrawn = 0
  const ctx: Context = { ...config, notify: record }
  let live: Live
  const post = createTransport({ nav, storage, now: env.now, id: fresh, debug: log.debug, withChunk }, ctx)
  const queue = createQueue(win, (batch, leaving) => {
    const keys = identity && identity.keys()
    for (const entry of batch) {
      toggled(entry)
      const [name, body, fixed] = entry
      try {
        (fixed || keys) && name && post(notificationUrl(config.base, name as string, config.market, (fixed || keys)!), body, leaving)
      } catch {}
    }
  })
  const flushOutbox = () => { identity && hasOutbox(storage) && withChunk((m) => m.flush(ctx)) }
  // A ticket for click and add-to-cart; the API refuses a bad one, a click on a blank tile sends nothing.
  const byTicket = (name: string, ticket: unknown, method?: string): Pending | undefined => {
    const body = stringBody('ticket', ticket)
    return body ? record(name, body) : void (method && refuse(method, ticket))
  }
  // A favorite toggle's notification, by its state once its click is done: add-favorite when it
  // is pressed (aria-pressed) or checked (a checkbox, or a label's checkbox), else remove-favorite.
  // It is read at the next click, or when the queue sends: the page's own handler has run by
  // then (a synchronous one), and a checkbox whose click the page prevented is unchecked again.
  // A next click on the checkbox itself has flipped it already, before any listener (HTML,
  // legacy-pre-activation behaviour): the state it left is the other one. A toggle that the page
  // replaced (a re-render) is found again by its product key.
  const toggled = (entry: Pending, hit?: EventTarget) => {
    let el = entry[0] as HTMLInputElement
    try {
      if (typeof el == 'object') {
        el.isConnected || (el = doc.querySelector(`[${FAVORITE}="${CSS.escape(el.getAttribute(FAVORITE)!)}"]`) || el)
        const box = ((el as unknown as HTMLLabelElement).control || el) as HTMLInputElement
        entry[0] = el.getAttribute('aria-pressed') == 'true' || (box.checked === true) != (hit == box) ? 'add-favorite' : 'remove-favorite'
      }
    } catch {
      entry[0] = ''
    }
  }
  // The keys change now (or at consent): what waits keeps the keys it was made with.
  const change = (use: (identity: Identity) => void) => {
    if (!identity) return beforeConsent && void (beforeConsent = [...beforeConsent, use])
    const now = identity
    queue.fix(() => now.keys())
    use(now)
  }
  const newKeys = (now: Identity) => { now.keys(false, fresh(), fresh()) }
  const stop = (clean?: boolean) => {
    clean ? queue.clear() : queue.flush()
    if (identity) running.abort()
    identity = undefined
  }

  const start = () => {
    if (identity || !beforeConsent || !valid) return
    identity = createIdentity({ ...env, cookies, storage }, config)
    const { signal } = running = new AbortController()
    // The chunks listen with it too: destroy() and withdrawn consent end their listeners as well.
    ctx.signal = signal
    const on = (target: Pick<EventTarget, 'addEventListener'>, type: string, listener: (event: Event) => void) => target.addEventListener(type, listener, { signal })
    listen(win, ([attr, value, el], again, hit) => {
      if (thisAction) {
        // The last click is done: a favorite toggle has its state now.
        toggled(thisAction, hit)
        // A later click of the same action (a label clicks its control) is its meaning.
        if (again) thisAction[0] = ''
      }
      // A favorite waits for its state: the page's handler may flip it after this listener.
      const key = stringBody('productKey', value)
      thisAction = attr != FAVORITE ? byTicket(attr == ADD_TO_CART ? 'add-to-cart' : 'click', value) : key ? record(el, key) : undefined
    }, signal)
    // Without a beacon every notification needs the chunk, also the click that navigates away
    // before an idle moment comes: it loads now.
    nav?.sendBeacon || withChunk(() => {})
    on(win, 'pagehide', () => queue.flush(true))
    on(doc, 'visibilitychange', () => { doc.visibilityState == 'hidden' && queue.flush() })
    on(win, 'online', flushOutbox)
    // Another tab changed the keys: read them again at the next decision.
    on(win, 'storage', (event) => { (event as StorageEvent).key == MIRROR && identity && identity.forget() })
    // Keys, cookies, the outbox and ads wait for an idle moment (or the first notification).
    const idle = () => {
      if (signal.aborted) return
      // A key cookie written with a cookie domain that cannot be read back: the chunk finds out why.
      const { sessionKey } = identity!.keys()
      config.cookieDomain && cookies.read()(SESSION_COOKIE, isSafeToken) != sessionKey && withChunk((m) => m.checkCookieDomain(ctx))
      flushOutbox()
      try {
        if (config.adImpressions != 'manual') watchForAds(doc as Document, () => env.loadAds().then((m) => { signal.aborted || m.watchViewability(doc as Document, ctx, signal) }, () => {}), signal)
      } catch {}
    }
    // The timeout: a page that is never idle still gets its cookies and its outbox sent.
    win.requestIdleCallback ? win.requestIdleCallback(idle, { timeout: 2000 }) : win.setTimeout(idle, 50)
    for (const use of beforeConsent) change(use)
    beforeConsent = []
  }

  const tracker = {
    click: (ticket) => { byTicket('click', ticket, 'click') },
    addToCart: (ticket) => { byTicket('add-to-cart', ticket, 'addToCart') },
    // Before consent nothing was tracked: only the keys change.
    end: () => change(identity ? (now) => {
      queue.push(['end', undefined, now.keys(true)])
      newKeys(now)
    } : newKeys),
    keys: () => identity ? identity.keys() : {} as Keys,
    setCustomerKey: (key) => isSafeToken(key) ? change((now) => now.keys(false, key)) : refuse('setCustomerKey', key),
    reset: () => change(newKeys),
    consent(granted) {
      if (granted) return start()
      if (beforeConsent) beforeConsent = []
      withdrawn++
      stop(true)
      for (const name of [CUSTOMER_COOKIE, SESSION_COOKIE]) cookies.set(name, '', 0)
      storage.remove(MIRROR)
      // The chunk only where there is an outbox to remove: a visitor who declines loads nothing.
      hasOutbox(storage) && withChunk((m) => m.forget(ctx))
    },
    destroy() {
      // Shared with every holder (another createTracker call, the script tag): the last one ends it.
      if (--live[1]) return log.debug('destroy(): held elsewhere too')
      stop()
      beforeConsent = null
      if (registry[LIVE] == live) registry[LIVE] = undefined
    }
  } as Tracker
  // The keys at the time of the call: a key change may come before the chunk does.
  for (const method of CHUNK_CALLS) {
    tracker[method] = (arg: unknown) => {
      if (identity) {
        const keys = identity.keys()
        const at = withdrawn
        withChunk((m) => { at == withdrawn && m.call(method, arg, ctx, keys) })
      }
    }
  }
  live = [tracker, 1]
  if (!valid) refuse('data-' + config[0], config[1])
  else if (registry[LIVE]) {
    log.debug('a tracker runs already: this is it')
    registry[LIVE][1]++
    return registry[LIVE][0]
  } else {
    registry[LIVE] = live
    if (config.consent != 'pending') start()
  }
  return tracker
}
