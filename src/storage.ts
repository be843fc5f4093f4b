/** A string store that never throws: a blocked or broken store reads as empty and ignores writes. */
export interface Store {
  /** Every value stored under the name, first the one the browser lists first. */
  get(name: string): string[]
  /** Stores a value; `days` sets a lifetime (cookies only; none means a session cookie). */
  set(name: string, value: string, days?: number): void
}

/** Where cookies are read and written: `document`, or a stand-in in tests. */
export interface CookieHost { cookie: string }

/**
 * Cookies, read leniently: parts without `=` or with bad percent-encoding are passed over.
 * @param host - `document`, or any object with a `cookie` string.
 * @param secure - adds `Secure` (on https pages).
 * @param domain - the cookie `Domain`, or none for a host-only cookie.
 */
export function cookieStore(host: () => CookieHost, secure: boolean, domain?: string): Store {
  const write = (name: string, value: string, age?: number) => {
    try {
      host().cookie = `${name}=${encodeURIComponent(value)};path=/` +
        (age == null ? '' : `;max-age=${age}`) + ';samesite=lax' +
        (secure ? ';secure' : '') + (domain ? ';domain=' + domain : '')
    } catch {}
  }
  return {
    get(name) {
      const found: string[] = []
      try {
        for (const part of host().cookie.split(';')) {
          const i = part.indexOf('=')
          if (i > 0 && part.slice(0, i).trim() == name) {
            try { found.push(decodeURIComponent(part.slice(i + 1).trim())) } catch {}
          }
        }
      } catch {}
      return found
    },
    set: (name, value, days) => write(name, value, days && days * 86400)
  }
}

/**
 * `localStorage` (or any Web Storage), with every access guarded: the getter itself
 * throws where storage is blocked (sandboxed iframes, disabled cookies), and
 * `setItem` throws when the quota is full.
 * @param storage - returns the storage; called on every access, never at import time.
 */
export function webStore(storage: () => Storage): Store {
  return {
    get(name) {
      try {
        const v = storage().getItem(name)
        return v == null ? [] : [v]
      } catch { return [] }
    },
    set(name, value) { try { storage().setItem(name, value) } catch {} }
  }
}
