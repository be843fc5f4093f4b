// The snippet's two stores, each access guarded: cookies (which the shop's server and its other
// subdomains share) and localStorage (this origin's mirror and outbox).
import { cookieReader } from '../shared/cookies.js'

/** Cookies: one read of `document.cookie` per decision, and writes. */
export interface CookieJar {
  /**
   * Reads `document.cookie` once (none where it throws, as in sandboxed iframes). The result
   * gives a name's last value that passes `accept`: the browser lists deeper paths first, and
   * among equal paths the older cookie first (RFC 6265, 5.4), so the last is the newest on the
   * shortest path, where the snippet and a shop's server write.
   */
  read(): (name: string, accept: (value: string) => boolean) => string | undefined
  /** Stores a value for `seconds` (`Max-Age`); 0 removes it. `hostOnly`: without the jar's `Domain`. */
  set(name: string, value: string, seconds: number, hostOnly?: boolean): void
}

/** Web Storage with every access guarded: a blocked or broken store reads as null and ignores writes. */
export interface Store {
  get(name: string): string | null | undefined
  /** Stores a value; true when the write took. */
  set(name: string, value: string): true | void
  remove(name: string): void
  /** The names of every entry (none where storage is blocked). */
  names(): string[]
}

/** Where cookies are read and written: `document`, or a stand-in in tests. */
export interface CookieHost { cookie: string }

/**
 * Cookies, guarded. Values are written as they are (the keys are safe tokens, which need no
 * encoding) and read percent-decoded; `accept` passes over a value that is not a key. Where a name has several values
 * (another path, another domain), the browser lists the deepest path first, then the oldest (RFC 6265, 5.4).
 * @param host - returns `document`, or any object with a `cookie` string.
 * @param secure - adds `Secure` (on https pages).
 * @param domain - the cookie `Domain`, or none for a host-only cookie.
 */
export const cookieJar = (host: () => CookieHost, secure: boolean, domain?: string): CookieJar => ({
  read() {
    let all = ''
    try { all = host().cookie } catch {}
    return cookieReader(all)
  },
  set(name, value, seconds, hostOnly) {
    try {
      host().cookie = `${name}=${value};path=/;samesite=lax;max-age=${seconds}` + (secure ? ';secure' : '') + (domain && !hostOnly ? ';domain=' + domain : '')
    } catch {}
  }
})

/**
 * `localStorage`, guarded: the getter itself throws where storage is blocked (sandboxed
 * iframes, disabled cookies), and `setItem` throws when the quota is full.
 * @param storage - returns the storage; called on every access, never at import time.
 */
export function webStore(storage: () => Storage): Store {
  const guard = <T>(use: (s: Storage) => T) => { try { return use(storage()) } catch {} }
  return {
    get: (name) => guard((s) => s.getItem(name)),
    set: (name, value) => guard((s) => { s.setItem(name, value); return true }),
    remove: (name) => guard((s) => s.removeItem(name)),
    names: () => {
      const all: string[] = []
      // key(i), not Object.keys: a page may have broken Array methods, and Storage's own members would show.
      guard((s) => { for (let i = 0; i < s.length; i++) all[i] = s.key(i)! })
      return all
    }
  }
}
