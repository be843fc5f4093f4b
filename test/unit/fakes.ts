// Stand-ins for the browser objects the snippet takes as dependencies: a cookie jar that behaves
// like document.cookie (paths, Max-Age against a clock), Web Storage, a clock, random bytes and
// a log that keeps its lines. Not a test file: the unit tests import it.
import type { Logger } from '../../src/page/log'
import type { Store } from '../../src/page/storage'

/** A settable clock, in ms. */
export const fakeClock = (t = 1_700_000_000_000) => {
  const clock = { t, now: () => clock.t }
  return clock
}

interface Cookie { name: string; value: string; path: string; domain: string; created: number; expires: number }

/**
 * `document.cookie` as a browser keeps it: one cookie per name, path and domain; `max-age`
 * against `now`, 0 removes; read back as `name=value; …`, deeper paths first, then the oldest.
 * `writes` holds every assignment as it was made.
 */
export function cookieHost(now: () => number = () => 0) {
  const jar: Cookie[] = []
  const writes: string[] = []
  let created = 0
  const host = {
    get cookie(): string {
      const t = now()
      return jar.filter((c) => c.expires > t)
        .sort((a, b) => b.path.length - a.path.length || a.created - b.created)
        .map((c) => `${c.name}=${c.value}`).join('; ')
    },
    set cookie(text: string) {
      writes.push(text)
      const [pair = '', ...attrs] = text.split(';')
      const eq = pair.indexOf('=')
      const name = pair.slice(0, eq)
      const value = pair.slice(eq + 1)
      let path = '/'
      let domain = ''
      let maxAge = Infinity
      for (const attr of attrs) {
        const [k = '', v = ''] = attr.split('=')
        if (k.toLowerCase() == 'path') path = v
        else if (k.toLowerCase() == 'domain') domain = v
        else if (k.toLowerCase() == 'max-age') maxAge = +v
      }
      add(name, value, { path, domain, seconds: maxAge })
    }
  }
  /** Sets a cookie as a server (or another subdomain, or another path) would. */
  function add(name: string, value: string, { path = '/', domain = '', seconds = Infinity }: { path?: string; domain?: string; seconds?: number } = {}) {
    const i = jar.findIndex((c) => c.name == name && c.path == path && c.domain == domain)
    if (seconds <= 0) {
      if (i >= 0) jar.splice(i, 1)
      return
    }
    const cookie = { name, value, path, domain, created: i >= 0 ? jar[i]!.created : created++, expires: now() + seconds * 1000 }
    if (i >= 0) jar[i] = cookie
    else jar.push(cookie)
  }
  /** The live values of a name, in the order document.cookie lists them. */
  const values = (name: string) => host.cookie.split('; ').filter((p) => p.startsWith(name + '=')).map((p) => p.slice(name.length + 1))
  return { host, writes, jar, add, values, clear: () => { jar.length = 0 } }
}

/** `document` where `document.cookie` throws, as in a sandboxed iframe. */
export const blockedCookieHost = () => ({
  get cookie(): string { throw new DOMException('The document is sandboxed', 'SecurityError') },
  set cookie(_v: string) { throw new DOMException('The document is sandboxed', 'SecurityError') }
})

/**
 * A Web Storage object in memory. `refuse(name)` makes `setItem` throw for that name
 * (QuotaExceededError), as a full store does. `sets` lists every successful write.
 */
export function fakeStorage(initial: Record<string, string> = {}, refuse: (name: string) => boolean = () => false) {
  const data = new Map<string, string>(Object.entries(initial))
  const sets: [string, string][] = []
  const storage = {
    get length() { return data.size },
    key: (i: number) => [...data.keys()][i] ?? null,
    getItem: (name: string) => data.get(name) ?? null,
    setItem(name: string, value: string) {
      if (refuse(name)) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError')
      sets.push([name, String(value)])
      data.set(name, String(value))
    },
    removeItem: (name: string) => { data.delete(name) },
    clear: () => data.clear()
  }
  return { storage: storage as unknown as Storage, data, sets }
}

/** A `Store` over `fakeStorage`, with the same data and write log. */
export function memoryStore(initial: Record<string, string> = {}, refuse?: (name: string) => boolean) {
  const s = fakeStorage(initial, refuse)
  const store: Store = {
    get: (name) => s.storage.getItem(name),
    set: (name, value) => { try { s.storage.setItem(name, value); return true } catch {} },
    remove: (name) => s.storage.removeItem(name),
    names: () => [...s.data.keys()]
  }
  return { store, data: s.data, sets: s.sets }
}

/** A `Store` that reads nothing and keeps nothing (blocked storage). */
export const blockedStore = (): Store => ({ get: () => undefined, set: () => {}, remove: () => {}, names: () => [] })

/** Deterministic bytes (a linear congruential generator): different on every call. */
export function seededRandom(seed = 1) {
  return (n: number) => Uint8Array.from({ length: n }, () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) >> 16 & 255)
}

/** A logger that keeps its lines: debug lines joined with spaces, errors as given. */
export function captureLog() {
  const debug: string[] = []
  const error: string[] = []
  const log: Logger = {
    debug: (...parts) => { debug.push(parts.map(String).join(' ')) },
    error: (message) => { error.push(message) }
  }
  return { log, debug, error }
}

export const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/
