import { describe, expect, it } from 'vitest'
import { createIdentity, IDLE_MS, MIRROR } from '../../src/identity'
import type { CookieJar, Store } from '../../src/storage'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

/** Cookies in memory; `blocked` behaves like a sandboxed iframe. */
function jar(initial: Record<string, string[]> = {}, blocked = false) {
  const data = { ...initial }
  const writes: string[] = []
  const cookies: CookieJar = {
    get: (name) => (blocked ? [] : data[name] || []),
    set(name, value, days) {
      writes.push(`${name}=${value}${days ? `;${days}d` : ''}`)
      if (!blocked) data[name] = [value]
    }
  }
  return { cookies, data, writes }
}

/** localStorage in memory; `blocked` reads nothing and keeps nothing. */
function store(initial: Record<string, string> = {}, blocked = false) {
  const data = { ...initial }
  const storage: Store = {
    get: (name) => (blocked ? undefined : data[name]),
    set: (name, value) => { if (!blocked) data[name] = value },
    remove: (name) => { delete data[name] }
  }
  return { storage, data }
}

let seed = 1
const random = (n: number) => Uint8Array.from({ length: n }, () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % 256)

function setup(opts: { cookies?: Record<string, string[]>; storage?: Record<string, string>; blocked?: boolean; preset?: { customerKey?: string; sessionKey?: string } } = {}) {
  const clock = { t: 1_000_000_000_000 }
  const c = jar(opts.cookies, opts.blocked)
  const s = store(opts.storage, opts.blocked)
  const identity = createIdentity({ cookies: c.cookies, storage: s.storage, now: () => clock.t, random }, opts.preset)
  return { identity, cookies: c, storage: s, clock }
}

describe('createIdentity', () => {
  it('makes UUID v4 keys on a first visit and stores them in cookies and the mirror', () => {
    const { identity, cookies, storage } = setup()
    const keys = identity.keys()
    expect(keys.customerKey).toMatch(UUID)
    expect(keys.sessionKey).toMatch(UUID)
    expect(keys.customerKey).not.toBe(keys.sessionKey)
    expect(cookies.data['apptus.customerKey']).toEqual([keys.customerKey])
    expect(cookies.data['apptus.sessionKey']).toEqual([keys.sessionKey])
    // A year for the customer key; the session cookie has no lifetime.
    expect(cookies.writes).toContain(`apptus.customerKey=${keys.customerKey};365d`)
    expect(cookies.writes).toContain(`apptus.sessionKey=${keys.sessionKey}`)
    expect(JSON.parse(storage.data[MIRROR]!)).toMatchObject(keys)
  })

  it('adopts keys from the apptus.* cookies when there is no mirror yet', () => {
    const { identity } = setup({
      cookies: { 'apptus.customerKey': ['c-cookie'], 'apptus.sessionKey': ['s-cookie'] },
      storage: { 'apptus.session': '{"customerKey":"c-old","sessionKey":"s-old"}' }
    })
    expect(identity.keys()).toEqual({ customerKey: 'c-cookie', sessionKey: 's-cookie' })
  })

  it('takes the first safe value among duplicate cookies', () => {
    const { identity } = setup({ cookies: { 'apptus.customerKey': ['bad value', 'c-good'] } })
    expect(identity.keys().customerKey).toBe('c-good')
  })

  it('prefers its mirror over a stale cookie that shadows its own (deeper path, HttpOnly)', () => {
    const { identity } = setup({
      cookies: { 'apptus.customerKey': ['c-stale'] },
      storage: { [MIRROR]: '{"customerKey":"c-mirror","sessionKey":"s-mirror","lastActive":1000000000000}' }
    })
    expect(identity.keys()).toEqual({ customerKey: 'c-mirror', sessionKey: 's-mirror' })
  })

  it.each(['apptus.session', 'voyado.session'])('adopts the official library entry %s', (name) => {
    const { identity } = setup({ storage: { [name]: '{"customerKey":"c-old","sessionKey":"s-old"}' } })
    expect(identity.keys()).toEqual({ customerKey: 'c-old', sessionKey: 's-old' })
  })

  it('passes over broken JSON and unsafe values in the stores', () => {
    const { identity } = setup({ storage: { [MIRROR]: '[1,2', 'apptus.session': '{not json', 'voyado.session': '{"customerKey":"a b","sessionKey":5}' } })
    expect(identity.keys().customerKey).toMatch(UUID)
    expect(identity.keys().sessionKey).toMatch(UUID)
  })

  it('lets server-rendered keys win over stored ones', () => {
    const { identity } = setup({
      cookies: { 'apptus.customerKey': ['c-cookie'], 'apptus.sessionKey': ['s-cookie'] },
      storage: { [MIRROR]: '{"customerKey":"c-mirror","sessionKey":"s-mirror"}' },
      preset: { customerKey: 'c-server', sessionKey: 's-server' }
    })
    expect(identity.keys()).toEqual({ customerKey: 'c-server', sessionKey: 's-server' })
  })

  it('ignores a server-rendered key that is not a safe token', () => {
    const { identity } = setup({ cookies: { 'apptus.customerKey': ['c-cookie'] }, preset: { customerKey: 'me@example.com' } })
    expect(identity.keys().customerKey).toBe('c-cookie')
  })

  it('starts a new session after 30 idle minutes, and not before; the customer stays', () => {
    const { identity, clock } = setup()
    const first = identity.keys()
    clock.t += IDLE_MS
    expect(identity.keys()).toEqual(first)
    clock.t += IDLE_MS + 1
    const later = identity.keys()
    expect(later.customerKey).toBe(first.customerKey)
    expect(later.sessionKey).not.toBe(first.sessionKey)
  })

  it('treats a tampered lastActive as unknown: the session stays', () => {
    const { identity } = setup({ storage: { [MIRROR]: '{"customerKey":"c","sessionKey":"s","lastActive":"yesterday"}' } })
    expect(identity.keys()).toEqual({ customerKey: 'c', sessionKey: 's' })
  })

  it('setCustomerKey keeps the session; reset replaces both', () => {
    const { identity } = setup()
    const first = identity.keys()
    identity.setCustomerKey('member-1')
    expect(identity.keys()).toEqual({ customerKey: 'member-1', sessionKey: first.sessionKey })
    identity.reset()
    const after = identity.keys()
    expect(after.customerKey).not.toBe('member-1')
    expect(after.sessionKey).not.toBe(first.sessionKey)
  })

  it('writes the cookies once per page and when a key changes, not on every click', () => {
    const { identity, cookies, clock } = setup()
    expect(cookies.writes).toHaveLength(2)
    for (let i = 0; i < 10; i++) identity.keys()
    expect(cookies.writes).toHaveLength(2)
    identity.setCustomerKey('member-3')
    expect(cookies.writes.slice(2)).toEqual([expect.stringMatching(/^apptus.customerKey=member-3;365d$/), expect.stringMatching(/^apptus.sessionKey=/)])
    clock.t += IDLE_MS + 1
    identity.keys()
    expect(cookies.writes).toHaveLength(6)
  })

  it('keeps working in memory when every store is blocked', () => {
    const { identity, clock } = setup({ blocked: true })
    const first = identity.keys()
    expect(identity.keys()).toEqual(first)
    identity.setCustomerKey('member-2')
    expect(identity.keys().customerKey).toBe('member-2')
    clock.t += IDLE_MS + 1
    expect(identity.keys().sessionKey).not.toBe(first.sessionKey)
  })
})
