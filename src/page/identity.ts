// The customer and session keys: decided from the key cookies (the truth the shop's server and
// its other subdomains share), restored from this origin's localStorage mirror when a cookie is
// gone, adopted from the official libraries' entries on a first visit, or made new.
import type { Keys } from '../api.js'
import { isSafeToken } from './config.js'
import type { CookieJar, Store } from './storage.js'
import { CUSTOMER_COOKIE, IDLE_MS, SESSION_COOKIE, YEAR_S } from '../shared/cookies.js'

export type { Keys }

/** Reads, adopts, rotates and stores the customer and session keys. */
export interface Identity {
  /**
   * The keys now: one read of `document.cookie`, and writes only where a key changed or a
   * cookie is due for renewal. Counts as activity, and starts a new session after 30 idle
   * minutes; a `customerKey` or `sessionKey` given replaces the key (sign-in, sign-out). With
   * `current`, the keys as they stand, without a new session and without a write (the end
   * notification of the session that is ending). Without `personal`, no customer key: none is
   * read, the customer cookie is removed, and the mirror keeps the session key alone.
   */
  keys(current?: boolean, customerKey?: string, sessionKey?: string): Partial<Keys>
  /** Forgets what this page knew, so that the next `keys()` reads the mirror again (another tab changed it). */
  forget(): void
}

export { CUSTOMER_COOKIE, IDLE_MS, SESSION_COOKIE } from '../shared/cookies.js'
/** Our localStorage mirror: `{ customerKey, sessionKey, lastActive, renewed, domain }` (times in ms; the cookie `Domain` last written with). */
export const MIRROR = 'esales.keys'
/** The official libraries' entries (`@apptus/esales-lifestyle-api`, `@apptus/esales-api` 3). */
export const OFFICIAL = ['apptus.session', 'voyado.session'] as const
/** The session cookie (and the mirror's lastActive) is renewed at most this often. */
export const RENEW_SESSION_MS = 60 * 1000
/** The customer cookie is renewed at most this often; it lives a year. */
export const RENEW_CUSTOMER_MS = 24 * 60 * 60 * 1000

interface Saved { customerKey?: unknown; sessionKey?: unknown; lastActive?: unknown; renewed?: unknown; domain?: unknown }

// Object() turns null and primitives (a tampered entry) into objects without our fields.
const parse = (json: string | null | undefined): Saved => {
  try { return Object(JSON.parse(json!)) } catch { return {} }
}
const safe = (value: unknown) => isSafeToken(value) && value

/**
 * Creates the identity. It reads and writes nothing until the first `keys()`.
 *
 * The key cookies are the truth that the shop's server and its other subdomains share. A cookie
 * that holds another key than the snippet's was written by someone else (the server at sign-in,
 * another subdomain, another tab) and wins; the snippet never writes an older key over it.
 * Where a name has several cookies, the newest on the shortest path wins (a stale one on a
 * deeper path does not). Where a cookie is gone, the page's key or the mirror restores it, a
 * session key only within 30 minutes of activity (the session cookie's own `Max-Age`, renewed
 * with activity, ends it for everyone who reads it). The official libraries' entries give a
 * customer key on a first visit; their session keys never expire, so they are not reused.
 *
 * A shop that sets a cookie domain after the snippet has written host-only cookies would keep
 * two cookies of each name on the host that had them: the first decision under the new domain
 * writes the keys with it and removes the host-only pair, so that the other subdomains see them.
 * @param cookies - the key cookies.
 * @param storage - localStorage, for the mirror and the official libraries' entries.
 * @param now - the clock.
 * @param fresh - makes a new key.
 * @param personal - whether a customer key may be kept and sent (consent `granted`); without, the session key alone (`unpersonalized`).
 * @param debug - logs a decision (debug only): where the keys came from.
 * @param preset - keys rendered by the shop's server (they win at this page's first decision), and the cookie domain.
 */
export function createIdentity(cookies: CookieJar, storage: Store, now: () => number, fresh: () => string, personal: () => boolean,
  debug?: (...parts: unknown[]) => void, preset: Partial<Keys> & { cookieDomain?: string | undefined } = {}): Identity {
  const domain = preset.cookieDomain || ''
  // What this page wrote to each cookie: a cookie that the browser will not show (HttpOnly, with
  // the keys rendered into the page) is not written again on every decision.
  const wrote: string[] = []
  // This page's keys and times; undefined until the first decision, and again after forget().
  let mine: Saved | undefined
  // The mirror's text as last read or written, so that an unchanged mirror is not written again.
  let stored: string | null | undefined
  return {
    keys(current, customerKey, sessionKey) {
      const t = now()
      const first = !mine
      if (!mine) {
        mine = parse(stored = storage.get(MIRROR))
        // Server-rendered keys are this page's truth, once.
        customerKey ||= safe(preset.customerKey) || undefined
        sessionKey ||= safe(preset.sessionKey) || undefined
        preset = {}
        mine.customerKey = safe(mine.customerKey) || safe(parse(storage.get(OFFICIAL[0])).customerKey) || parse(storage.get(OFFICIAL[1])).customerKey
      }
      const mayKeep = personal()
      const ourCustomer = safe(mine.customerKey)
      const ourSession = safe(mine.sessionKey)
      const cookie = cookies.read()
      const customerCookie = cookie(CUSTOMER_COOKIE, isSafeToken)
      const sessionCookie = cookie(SESSION_COOKIE, isSafeToken)
      let lastActive = +(mine.lastActive as number) || 0
      let renewed = +(mine.renewed as number) || 0
      const moved = mine.domain !== domain
      // Where the keys come from, the first time, for data-debug: the chunk says it in words.
      first && debug?.('from', mayKeep, customerKey, customerCookie, ourCustomer, sessionKey, sessionCookie, ourSession)
      customerKey = mayKeep ? customerKey || customerCookie || ourCustomer || fresh() : undefined
      // A session cookie that is there is alive: its Max-Age is the idle limit, and whoever renewed
      // it (this page, another tab or subdomain, the server) saw activity.
      sessionKey ||= sessionCookie || (current || t - lastActive < IDLE_MS) && ourSession || fresh()
      // `current`: the keys as they stand, written nowhere.
      if (!current) {
        if (moved && domain) for (const name of [CUSTOMER_COOKIE, SESSION_COOKIE]) cookies.set(name, '', 0, true)
        // (Unpersonalized removes a customer cookie once, at the move to it: another tab that may
        // keep one writes it again, and is not to lose its key on every click.)
        // Safari (ITP, since 13.1) caps cookies that script writes at 7 days, and deletes all
        // script-writable storage, this mirror included, after 7 days without a visit: a customer
        // key that must last longer needs a cookie from the shop's server, which the rule above
        // (a cookie that holds another key wins) adopts.
        if (customerKey && (moved || customerKey != customerCookie && customerKey != wrote[0] || t - renewed >= RENEW_CUSTOMER_MS)) {
          cookies.set(CUSTOMER_COOKIE, wrote[0] = customerKey, YEAR_S)
          renewed = t
        }
        if (moved || sessionKey != sessionCookie && sessionKey != wrote[1] || t - lastActive >= RENEW_SESSION_MS) {
          cookies.set(SESSION_COOKIE, wrote[1] = sessionKey, IDLE_MS / 1000)
          lastActive = t
        }
        mine = { customerKey, sessionKey, lastActive, renewed, domain }
        // By hand rather than JSON.stringify, which a page may have replaced; the keys are safe
        // tokens, and the domain passed the settings' check.
        const json = `{${customerKey ? `"customerKey":"${customerKey}",` : ''}"sessionKey":"${sessionKey}","lastActive":${lastActive},"renewed":${renewed},"domain":"${domain}"}`
        if (json != stored) storage.set(MIRROR, stored = json)
      }
      return { customerKey, sessionKey }
    },
    forget() { mine = undefined }
  }
}
