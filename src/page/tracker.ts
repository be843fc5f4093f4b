// The tracker: wires the settings, the keys, click capture and the lazily loaded chunks
// together, keeps the notifications that wait and hands them to the browser, and is the API
// (`window.esales`, `createTracker`).
import { watchForAds, type AdsModule } from './ads.js'
import type { FavoriteKey, PaymentLine, StandIns, Tracker } from '../api.js'
import { stringBody } from '../shared/body.js'
import { ADD_TO_CART, FAVORITE, listen } from './capture.js'
import { isSafeToken, KNOWN, resolveConfig, type Config, type Settings } from './config.js'
import { cut, LEVELS } from './consent.js'
import { createIdentity, CUSTOMER_COOKIE, MIRROR, SESSION_COOKIE, type Identity, type Keys } from './identity.js'
import { refuse as say } from './log.js'
import { append, clearOutbox, hasOutbox, type Entry } from './outbox.js'
import { cookieJar, webStore } from './storage.js'
import { notificationUrl, type ChunkCall, type Context, type FallbackModule } from './transport.js'
import { uuid } from '../shared/uuid.js'

export type { FavoriteKey, PaymentLine, Tracker }

/** What the tracker uses of the browser. The entry points pass the real ones; tests pass stand-ins. */
export interface Env extends Required<StandIns> {
  /** Loads the fallback chunk (ky, the outbox replay, rare API calls, messages). */
  loadFallback: () => Promise<FallbackModule>
  /** Loads the viewability chunk, on pages with `data-esales-ad` elements. */
  loadAds: () => Promise<AdsModule>
}

/**
 * A notification waiting in memory: its name (empty once dropped; a favorite toggle until its
 * state is known), body, and the keys it must carry when they were fixed before a key change.
 */
export type Pending = [name: string | Element, body?: string, keys?: Partial<Keys>, late?: Event]

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
export const createTracker = (options: Settings, env: Env): Tracker =>
  track(options, env.window, env.now, env.random, env.loadFallback, env.loadAds)

/**
 * `createTracker` with the browser objects one by one: the script tag's entry calls it so, and
 * saves the names of an `Env` object.
 * @param options - the settings.
 * @param win - `window`, or a stand-in.
 * @param clock - the clock, in milliseconds.
 * @param random - n cryptographically random bytes.
 * @param load - loads the fallback chunk.
 * @param loadAds - loads the viewability chunk.
 */
export function track(options: Settings, win: Env['window'], clock: Env['now'], random: Env['random'], load: Env['loadFallback'], loadAds: Env['loadAds']): Tracker {
  const registry = win as unknown as Record<typeof LIVE, Live | undefined>
  const doc = win.document
  const nav = win.navigator
  const page = win.location.href
  const config = resolveConfig(options || {}, page) as Config
  const valid = !Array.isArray(config)
  const refuse = (what: string, value: unknown) => say(win.console, load, what, value)
  // data-debug's lines are in the chunk's words: such a page loads it at once.
  const debug = (...parts: unknown[]) => { valid && config.debug && withChunk((m) => m.say(ctx, ...(parts as [string]))) }
  // The consent level (consent.ts). Below 2 nothing touches cookies or localStorage: the stores
  // then stand on nothing, and every access fails quietly, as a blocked store's would; `wipe`
  // lets the removal of what a lower level may not keep through.
  let level = 0
  let wipe: unknown
  const cookies = cookieJar(() => (level > 1 || wipe ? doc : null)!, page.startsWith('https:'), config.cookieDomain)
  const storage = webStore(() => (level > 1 || wipe ? win.localStorage : null)!)
  const fresh = () => uuid(random)
  // The keys' store, from level 2.
  let identity: Identity | undefined
  // Key changes asked for before there were keys, made when there are; null once destroyed.
  let beforeConsent: ((identity: Identity) => void)[] | null = []
  // Set while tracking (level 1 and up); aborts to remove every listener and observer it added.
  let running: AbortController | undefined
  // What the last click recorded: a later click of the same user action drops it.
  let thisAction: Pending | undefined
  // How often consent was withdrawn: an API call made before that is not sent when the chunk comes.
  let withdrawn = 0
  // The notifications that wait: the click handler only records one, and the send happens in a
  // task after the next paint, so that it costs nothing inside the interaction (INP).
  let waiting: Pending[] = []

  // The chunk once loaded: used at once, not through import(), whose promise settles in a later
  // task, which a page on its way out (pagehide) never runs.
  let chunk: FallbackModule | undefined
  const withChunk = (use: (m: FallbackModule) => unknown) => {
    if (!chunk) return void load().then((m) => use(chunk = m)).catch(() => {})
    try { use(chunk) } catch {}
  }
  // The keys the level allows now.
  const keys = (): Partial<Keys> => identity ? cut(identity.keys(), level) : {}
  // Records a notification, and returns it, so that a later click of the same action can drop
  // it (`entry[0] = ''`). One with keys of its own (an API call that waited for the chunk) is
  // sent after destroy() too.
  const record = (name: Pending[0], body?: string, fixed?: Partial<Keys>): Pending | undefined => {
    if (running || fixed) {
      const entry: Pending = [name, body, fixed]
      // Not Array.prototype.push: the page may have broken it.
      waiting[waiting.length] = entry
      if (waiting.length == 1) {
        // After the next paint. A hidden page paints no frames, and a throttled one (an iframe
        // out of view) may paint late: the timer sends for them.
        win.requestAnimationFrame?.(() => win.setTimeout(() => flush()))
        win.setTimeout(() => flush(), 250)
      }
      return entry
    }
  }
  // Sends everything that waits, now. Synchronous on purpose: on `pagehide` and on a hidden page
  // it is the last moment before the page is gone, frozen in the back/forward cache, or left in
  // the background where it may never run a task again. The keys are decided once for all of
  // them, and only where something waits (asking may start a new session).
  //
  // Each goes by `navigator.sendBeacon` with a string body, sent as text/plain;charset=UTF-8
  // (Fetch, extract a body: CORS-safelisted, so no preflight, as a Blob of that type would be, at
  // a third of the main-thread cost; it survives page unload). When the beacon is missing,
  // refused (it returns false past the 64 KiB keepalive quota) or the browser is offline (a
  // beacon would be accepted, then lost), the notification goes into the outbox at once, and to
  // the chunk, which sends it with ky. The chunk gets the entry itself too, so that nothing is
  // lost where localStorage is blocked or full, and learns whether the page is going away
  // (`leaving`, on `pagehide`).
  const flush = (leaving?: boolean) => {
    const batch = waiting
    waiting = []
    const current = batch.length && running && keys()
    for (const entry of batch) {
      toggled(entry)
      const [name, body, fixed, late] = entry
      const keys = fixed || current
      try {
        // A click that moved a little and that the page cancelled was a carousel's drag.
        if (keys && name && !late?.defaultPrevented) {
          const url = notificationUrl(config.base, name as string, config.market, keys)
          let sent
          try { sent = nav!.onLine !== false && nav!.sendBeacon!(url, body) } catch {}
          if (sent) debug('beacon', url, body)
          else {
            debug('outbox', url)
            const kept: Entry = { id: fresh(), url, body, t: clock(), leaving }
            append(storage, kept)
            withChunk((m) => m.send(kept, ctx))
          }
        }
      } catch {}
    }
  }
  // Sets the keys of what waits from those it was made with (the keys of now, asked only if
  // something waits: asking may start a new session), or `to` a lower level's.
  const fix = (to: number) => {
    let current: Partial<Keys> | undefined
    for (const entry of waiting) entry[2] = cut(entry[2] || (current ||= keys()), to)
  }
  const ctx: Context = { ...config, notify: record, storage }
  let live: Live
  const flushOutbox = () => { running && hasOutbox(storage) && withChunk((m) => m.flush(ctx)) }
  // A ticket for click and add-to-cart; the API refuses a bad one, a click on a blank tile sends nothing.
  const byTicket = (name: string, ticket: unknown, method?: string): Pending | undefined => {
    const body = stringBody('ticket', ticket)
    return body ? record(name, body) : void (method && refuse(method, ticket))
  }
  // A favorite toggle's notification, by its state once its click is done: add-favorite when it
  // is pressed (aria-pressed) or checked (a checkbox, or a label's checkbox), else remove-favorite.
  // It is read at the next click, or when the notifications are sent: the page's own handler has
  // run by then (a synchronous one), and a checkbox whose click the page prevented is unchecked
  // again. A next click on the checkbox itself has flipped it already, before any listener
  // (HTML, legacy-pre-activation behaviour): the state it left is the other one. A toggle that
  // the page replaced (a re-render) is found again by its product key.
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
  // The keys change now (or once the level has keys): what waits keeps the keys it was made with.
  const change = (use: (identity: Identity) => void) => {
    if (!identity) return beforeConsent && void (beforeConsent = [...beforeConsent, use])
    fix(level)
    use(identity)
    debug('keys', keys())
  }
  const newKeys = (now: Identity) => { now.keys(false, fresh(), fresh()) }
  // Stops tracking: the listeners and observers go, and so do the keys of this page.
  const stop = () => {
    running?.abort()
    running = identity = undefined
  }

  // Tracking: the listeners, and the idle start-up (keys, cookies, the outbox and ads wait for
  // an idle moment, or the first notification).
  const start = () => {
    const { signal } = running = new AbortController()
    // The chunks listen with it too: destroy() and withdrawn consent end their listeners as well.
    ctx.signal = signal
    const on = (target: Pick<EventTarget, 'addEventListener'>, type: string, listener: (event: Event) => void) => target.addEventListener(type, listener, { signal })
    listen(win, ([attr, value, el], again, hit, late) => {
      if (thisAction) {
        // The last click is done: a favorite toggle has its state now.
        toggled(thisAction, hit)
        // A later click of the same action (a label clicks its control) is its meaning.
        if (again) thisAction[0] = ''
      }
      // A favorite waits for its state: the page's handler may flip it after this listener.
      const key = stringBody('productKey', value)
      thisAction = attr != FAVORITE ? byTicket(attr == ADD_TO_CART ? 'add-to-cart' : 'click', value) : key ? record(el, key) : undefined
      if (thisAction) thisAction[3] = late
    }, signal)
    // Without a beacon every notification needs the chunk, also the click that navigates away
    // before an idle moment comes: it loads now.
    nav?.sendBeacon || withChunk(() => {})
    on(win, 'pagehide', () => flush(true))
    on(doc, 'visibilitychange', () => { doc.visibilityState == 'hidden' && flush() })
    on(win, 'online', flushOutbox)
    // Another tab changed the keys: read them again at the next decision. Another tab removed
    // them (its shopper went below unpersonalized): this one sends nothing more either.
    on(win, 'storage', (event) => {
      const { key, newValue } = event as StorageEvent
      key == MIRROR && (newValue ? identity?.forget() : level > 1 && tracker.consent('pending'))
    })
    const idle = () => {
      if (signal.aborted) return
      // A key cookie written with a cookie domain that cannot be read back: the chunk finds out why.
      const { sessionKey } = keys()
      sessionKey && config.cookieDomain && cookies.read()(SESSION_COOKIE, isSafeToken) != sessionKey && withChunk((m) => m.checkCookieDomain(ctx))
      flushOutbox()
      try {
        if (config.adImpressions != 'manual') watchForAds(doc as Document, () => loadAds().then((m) => { signal.aborted || m.watchViewability(doc as Document, ctx, signal) }, () => {}), signal)
      } catch {}
    }
    // The timeout: a page that is never idle still gets its cookies and its outbox sent.
    win.requestIdleCallback ? win.requestIdleCallback(idle, { timeout: 2000 }) : win.setTimeout(idle, 50)
  }

  const tracker = {
    click: (ticket) => { byTicket('click', ticket, 'click') },
    addToCart: (ticket) => { byTicket('add-to-cart', ticket, 'addToCart') },
    // Without keys nothing was tracked under them: only the keys change.
    end: () => change(identity ? (now) => {
      record('end', undefined, cut(now.keys(true), level))
      newKeys(now)
    } : newKeys),
    keys,
    // A numeric id (user.id) is its digits. Below granted the key waits for it: no customer key then.
    setCustomerKey: (key) => isSafeToken(key = Number.isSafeInteger(key) ? '' + key : key) ? change(function set(now) {
      level > 2 ? now.keys(false, key) : beforeConsent = [...beforeConsent!, set]
    }) : refuse('setCustomerKey', key),
    reset: () => change(newKeys),
    // Moves to a consent level. What waits was made with the keys of its level or a lower one:
    // up, it keeps them; down, and a shopper's no (not a pending answer), it loses the keys that
    // the new level may not send, and so does the outbox, and the cookies and the mirror what
    // the level may not keep; at 0 everything that waits is dropped, and tracking stops. Up,
    // tracking starts (listeners at 1, keys from 2), and key changes asked for before are made.
    consent(value) {
      let to = LEVELS[String(value).trim().toLowerCase()]
      // A value that is no level sends nothing, as pending: a typo must not track, nor erase.
      if (to == null) refuse('consent', value), to = 0, value = 'pending'
      // API v2 has no userContext: nothing is sent rather than more than the shopper allowed.
      if (to % 3 && config.api == 'v2') refuse('consent', value), to = 0
      if (!beforeConsent || !valid) return
      debug('consent', value)
      // Down, and a shopper's no, and unpersonalized (a customer cookie from an earlier visit
      // goes): not a pending answer, which keeps what is stored until the answer comes.
      const down = value != 'pending' && (to < level || !to || to == 2)
      fix(to)
      level = ctx.level = to
      if (down) {
        wipe = 1
        to < 3 && cookies.set(CUSTOMER_COOKIE, '', 0)
        if (to < 2) {
          cookies.set(SESSION_COOKIE, '', 0)
          storage.remove(MIRROR)
          // Nothing may stay stored: without the chunk here now (a visitor who declines, or
          // offline), what waits in the outbox goes at once, unsent.
          chunk || clearOutbox(storage)
        }
        wipe = 0
        // Below unpersonalized the keys of this page go too: a move up makes or adopts new ones.
        if (to < 2) identity = undefined
        // The chunk strips the outbox (and what it keeps in memory) to the new level; it is
        // loaded for that only where the outbox may stay.
        ;(chunk || to > 1 && hasOutbox(storage)) && withChunk((m) => m.restrict(ctx))
      }
      if (!to) {
        withdrawn++
        beforeConsent = []
        waiting = []
        return stop()
      }
      if (to > 1) identity ||= createIdentity(cookies, storage, clock, fresh, () => level > 2, debug, config)
      // Unpersonalized keeps no customer key: the mirror is written again without it now, not at
      // the next notification (which may never come).
      down && to == 2 && identity!.keys()
      running || start()
      if (identity) {
        const asked = beforeConsent
        beforeConsent = []
        for (const use of asked) change(use)
      }
    },
    destroy() {
      // Shared with every holder (another createTracker call, the script tag): the last one ends it.
      if (--live[1]) return debug('held')
      flush()
      stop()
      beforeConsent = null
      if (registry[LIVE] == live) registry[LIVE] = undefined
    }
  } as Tracker
  // The keys at the time of the call: a key change may come before the chunk does, and a lower
  // level since takes its keys away.
  for (const method of CHUNK_CALLS) {
    tracker[method] = (arg: unknown) => {
      if (running) {
        const made = keys()
        const at = withdrawn
        withChunk((m) => { at == withdrawn && m.call(method, arg, ctx, cut(made, level)) })
      }
    }
  }
  live = [tracker, 1]
  // A misspelt attribute (data-markets) is said once; one that starts unlike any of the snippet's
  // (another script's, data-turbo-track) loads nothing to say so.
  for (const name in options) name in KNOWN || !(' ' + Object.keys(KNOWN).join(' ')).toLowerCase().includes(' ' + name.slice(0, 4).toLowerCase()) || refuse('attribute', name)
  if (!valid) refuse('data-' + config[0], config[1])
  else if (registry[LIVE]) {
    debug('runs')
    registry[LIVE][1]++
    return registry[LIVE][0]
  } else {
    registry[LIVE] = live
    debug('start')
    tracker.consent(config.consent ?? 'granted')
  }
  return tracker
}
