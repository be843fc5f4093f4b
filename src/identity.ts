import { isSafeToken } from './config'
import type { CookieJar, Store } from './storage'
import { uuid } from './uuid'

/** The pair of keys that every notification carries. */
export interface Keys {
  customerKey: string
  sessionKey: string
}

/** What the identity needs from the page; tests pass stand-ins. */
export interface IdentityDeps {
  cookies: CookieJar
  storage: Store
  now: () => number
  random: (bytes: number) => Uint8Array
}

/** Reads, adopts, rotates and stores the customer and session keys. */
export interface Identity {
  /** The current keys; counts as activity, and starts a new session after 30 idle minutes. */
  keys(): Keys
  /** Replaces the customer key (a signed-in visitor) and keeps the session. */
  setCustomerKey(key: string): void
  /** New customer and session keys (sign-out). */
  reset(): void
}

/** The eSales cookie names, which shops' server code already reads. */
export const CUSTOMER_COOKIE = 'apptus.customerKey'
export const SESSION_COOKIE = 'apptus.sessionKey'
/** Our localStorage mirror: `{ customerKey, sessionKey, lastActive }`. */
export const MIRROR = 'esales.keys'
/** The official libraries' entries (`@apptus/esales-lifestyle-api`, `@apptus/esales-api` 3). */
export const OFFICIAL = ['apptus.session', 'voyado.session'] as const
/** eSales asks for a new session key after this much inactivity. */
export const IDLE_MS = 30 * 60 * 1000
const YEAR_DAYS = 365

interface Saved { customerKey?: unknown; sessionKey?: unknown; lastActive?: unknown }

// Object() turns null and primitives (a tampered entry) into objects without our fields.
const parse = (json: string | null | undefined): Saved => {
  try { return Object(JSON.parse(json!)) } catch { return {} }
}

/** The first value that is a safe token. A plain loop: a page may have broken Array.prototype.find. */
const firstSafe = (...values: unknown[]): string | undefined => {
  for (let i = 0; i < values.length; i++) if (isSafeToken(values[i])) return values[i] as string
  return undefined
}

/**
 * Creates the identity and stores its keys once, so that the shop's server sees them
 * in cookies from the first page on.
 *
 * Where the keys are read, first found wins: our localStorage mirror (it always holds what this
 * snippet wrote last, even where a stale cookie on a deeper path or an HttpOnly one shadows
 * ours), the `apptus.*` cookies, this page's memory (every store blocked), then the official
 * libraries' entries, so that a shop moving from them keeps its visitors' history.
 * @param deps - stores, clock and random source.
 * @param preset - keys rendered by the shop's server; they win over stored ones.
 */
export function createIdentity(deps: IdentityDeps, preset: Partial<Keys> = {}): Identity {
  const { cookies, storage, now } = deps
  let mem: Saved = {}
  // The keys the cookies hold. document.cookie costs a round trip to the browser process, so
  // the cookies are written once per page (which renews the customer cookie's year) and
  // again only when a key changes.
  let written = ''
  const load = (name: string) => parse(storage.get(name))

  const save = (customerKey: string, sessionKey: string): Keys => {
    mem = { customerKey, sessionKey, lastActive: now() }
    if (written != customerKey + sessionKey) {
      // Renewed on every visit: Safari caps script-set cookies at 7 days (ITP), so an active
      // visitor keeps the key, and the mirror restores it after a longer gap.
      cookies.set(CUSTOMER_COOKIE, customerKey, YEAR_DAYS)
      cookies.set(SESSION_COOKIE, sessionKey)
      written = customerKey + sessionKey
    }
    storage.set(MIRROR, JSON.stringify(mem))
    return { customerKey, sessionKey }
  }

  const keys = (): Keys => {
    const saved = load(MIRROR)
    // The cookies and the official entries are read only where the mirror has no key.
    const read = (cookie: string, field: keyof Keys) =>
      firstSafe(saved[field]) || firstSafe(...cookies.get(cookie), mem[field], load(OFFICIAL[0])[field], load(OFFICIAL[1])[field])
    let sessionKey = read(SESSION_COOKIE, 'sessionKey')
    // A missing or tampered time subtracts to NaN, and NaN > IDLE_MS is false: the session stays.
    if (now() - ((saved.lastActive || mem.lastActive) as number) > IDLE_MS) sessionKey = undefined
    return save(read(CUSTOMER_COOKIE, 'customerKey') || uuid(deps.random), sessionKey || uuid(deps.random))
  }

  const current = keys()
  const c = firstSafe(preset.customerKey)
  const s = firstSafe(preset.sessionKey)
  if (c || s) save(c || current.customerKey, s || current.sessionKey)

  return {
    keys,
    setCustomerKey: (key) => { save(key, keys().sessionKey) },
    reset: () => { save(uuid(deps.random), uuid(deps.random)) }
  }
}
