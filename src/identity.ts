import { isSafeToken } from './config'
import type { Store } from './storage'
import { uuid } from './uuid'

/** The pair of keys that every notification carries. */
export interface Keys {
  customerKey: string
  sessionKey: string
}

/** What the identity needs from the page; tests pass stand-ins. */
export interface IdentityDeps {
  cookies: Store
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
export const OFFICIAL = ['apptus.session', 'voyado.session']
/** eSales asks for a new session key after this much inactivity. */
export const IDLE_MS = 30 * 60 * 1000
const YEAR_DAYS = 365

interface Saved { customerKey?: unknown; sessionKey?: unknown; lastActive?: unknown }

const parse = (json: string | undefined): Saved => {
  try {
    const v = JSON.parse(json!)
    return v && typeof v == 'object' ? v : {}
  } catch { return {} }
}

const firstSafe = (...values: unknown[]): string | undefined => values.find(isSafeToken) as string | undefined

/**
 * Creates the identity and stores its keys once, so that the shop's server sees them
 * in cookies from the first page on.
 * @param deps - stores, clock and random source.
 * @param preset - keys rendered by the shop's server; they win over stored ones.
 */
export function createIdentity(deps: IdentityDeps, preset: Partial<Keys> = {}): Identity {
  const { cookies, storage, now } = deps
  // The last keys we know, for when every store is blocked.
  let mem: Partial<Keys> & { lastActive?: number } = {}
  // After server-rendered keys, setCustomerKey() or reset(), this page's keys are the truth:
  // a stale cookie on a deeper path, or an HttpOnly one, would shadow the one we write.
  let pinned = false

  const save = (customerKey: string, sessionKey: string) => {
    mem = { customerKey, sessionKey, lastActive: now() }
    // Refreshed on every visit: Safari caps script-set cookies at 7 days (ITP), so an
    // active visitor keeps the key and the mirror restores it after a longer gap.
    cookies.set(CUSTOMER_COOKIE, customerKey, YEAR_DAYS)
    cookies.set(SESSION_COOKIE, sessionKey)
    storage.set(MIRROR, JSON.stringify(mem))
    return { customerKey, sessionKey }
  }

  const keys = (): Keys => {
    const saved: Saved = pinned ? mem : parse(storage.get(MIRROR)[0])
    const read = (cookie: string, field: keyof Keys) => firstSafe(...(pinned ? [] : cookies.get(cookie)), saved[field], mem[field])
    let customerKey = read(CUSTOMER_COOKIE, 'customerKey')
    let sessionKey = read(SESSION_COOKIE, 'sessionKey')
    if (!customerKey) {
      // A shop moving from the official libraries keeps its visitors' history.
      for (const name of OFFICIAL) {
        const old = parse(storage.get(name)[0])
        if (isSafeToken(old.customerKey)) {
          customerKey = old.customerKey
          sessionKey = firstSafe(old.sessionKey)
          break
        }
      }
    }
    // A missing or tampered time reads as NaN, and NaN > IDLE_MS is false: the session stays.
    if (now() - Number(saved.lastActive || mem.lastActive) > IDLE_MS) sessionKey = undefined
    return save(customerKey || uuid(deps.random), sessionKey || uuid(deps.random))
  }

  const pin = (customerKey: string | undefined, sessionKey: string | undefined) => {
    const current = keys()
    pinned = true
    save(customerKey || current.customerKey, sessionKey || current.sessionKey)
  }
  const c = firstSafe(preset.customerKey)
  const s = firstSafe(preset.sessionKey)
  if (c || s) pin(c, s)
  else keys()

  return {
    keys,
    setCustomerKey: (key) => pin(key, undefined),
    reset: () => pin(uuid(deps.random), uuid(deps.random))
  }
}
