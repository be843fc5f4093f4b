/** Cookies: every value under a name (the browser lists the most specific path first), and writes. */
export interface CookieJar {
  get(name: string): string[]
  /** Stores a value; `days` sets a lifetime, none makes a session cookie, 0 removes it. */
  set(name: string, value: string, days?: number): void
}

/** Web Storage with every access guarded: a blocked or broken store reads as null and ignores writes. */
export interface Store {
  get(name: string): string | null | undefined
  set(name: string, value: string): void
  remove(name: string): void
}

/** Where cookies are read and written: `document`, or a stand-in in tests. */
export interface CookieHost { cookie: string }

/**
 * Cookies, read leniently: parts without `=` or with bad percent-encoding are passed over,
 * and a `document.cookie` that throws (sandboxed iframes) reads as none.
 * @param host - returns `document`, or any object with a `cookie` string.
 * @param secure - adds `Secure` (on https pages).
 * @param domain - the cookie `Domain`, or none for a host-only cookie.
 */
export function cookieJar(host: () => CookieHost, secure: boolean, domain?: string): CookieJar {
  return {
    get(name) {
      const found: string[] = []
      try {
        // document.cookie joins pairs with "; ".
        for (const part of host().cookie.split('; ')) {
          if (part.startsWith(name + '=')) try { found.push(decodeURIComponent(part.slice(name.length + 1))) } catch {}
        }
      } catch {}
      return found
    },
    set(name, value, days) {
      try {
        host().cookie = `${name}=${encodeURIComponent(value)};path=/;samesite=lax` + (days == null ? '' : ';max-age=' + days * 86400) +
          (secure ? ';secure' : '') + (domain ? ';domain=' + domain : '')
      } catch {}
    }
  }
}

/**
 * `localStorage`, guarded: the getter itself throws where storage is blocked (sandboxed
 * iframes, disabled cookies), and `setItem` throws when the quota is full.
 * @param storage - returns the storage; called on every access, never at import time.
 */
export function webStore(storage: () => Storage): Store {
  const run = <T>(use: (s: Storage) => T) => { try { return use(storage()) } catch {} }
  return {
    get: (name) => run((s) => s.getItem(name)),
    set: (name, value) => run((s) => s.setItem(name, value)),
    remove: (name) => run((s) => s.removeItem(name))
  }
}
