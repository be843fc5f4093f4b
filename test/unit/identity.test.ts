import { describe, expect, it } from 'vitest'
import { createIdentity, IDLE_MS, MIRROR } from '../../src/identity'
import type { Store } from '../../src/storage'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

/** A store in memory; `broken` makes it behave like blocked storage. */
function memoryStore(initial: Record<string, string[]> = {}, broken = false): Store & { data: Record<string, string[]>; writes: string[] } {
  const data = { ...initial }
  const writes: string[] = []
  return {
    data,
    writes,
    get: (name) => (broken ? [] : data[name] || []),
    set(name, value, days) {
      writes.push(`${name}=${value}${days ? `;${days}d` : ''}`)
      if (!broken) data[name] = [value]
    }
  }
}

let seed = 1
const random = (n: number) => Uint8Array.from({ length: n }, () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % 256)

function setup(opts: { cookies?: Record<string, string[]>; storage?: Record<string, string[]>; broken?: boolean; preset?: { customerKey?: string; sessionKey?: string } } = {}) {
  const clock = { t: 1_000_000_000_000 }
  const cookies = memoryStore(opts.cookies, opts.broken)
  const storage = memoryStore(opts.storage, opts.broken)
  const identity = createIdentity({ cookies, storage, now: () => clock.t, random }, opts.preset)
  return { identity, cookies, storage, clock }
}

describe('createIdentity', () => {
  it('makes UUID v4 keys on a first visit and stores them in cookies and the mirror', () => {
    const { identity, cookies, storage } = setup()
    const keys = identity.keys()
    expect(keys.customerKey).toMatch(UUID)
    expect(keys.sessionKey).toMatch(UUID)
    expect(cookies.data['apptus.customerKey']).toEqual([keys.customerKey])
    expect(cookies.data['apptus.sessionKey']).toEqual([keys.sessionKey])
    // A year for the customer key; the session cookie has no lifetime.
    expect(cookies.writes).toContain(`apptus.customerKey=${keys.customerKey};365d`)
    expect(cookies.writes).toContain(`apptus.sessionKey=${keys.sessionKey}`)
    expect(JSON.parse(storage.data[MIRROR]![0]!)).toMatchObject(keys)
  })

  it('adopts keys from cookies first', () => {
    const { identity } = setup({
      cookies: { 'apptus.customerKey': ['c-cookie'], 'apptus.sessionKey': ['s-cookie'] },
      storage: { [MIRROR]: ['{"customerKey":"c-mirror","sessionKey":"s-mirror"}'], 'apptus.session': ['{"customerKey":"c-old","sessionKey":"s-old"}'] }
    })
    expect(identity.keys()).toEqual({ customerKey: 'c-cookie', sessionKey: 's-cookie' })
  })

  it('takes the first safe value among duplicate cookies', () => {
    const { identity } = setup({ cookies: { 'apptus.customerKey': ['bad value', 'c-good'] } })
    expect(identity.keys().customerKey).toBe('c-good')
  })

  it('restores a lost cookie from the mirror', () => {
    const { identity } = setup({ storage: { [MIRROR]: ['{"customerKey":"c-mirror","sessionKey":"s-mirror","lastActive":1000000000000}'] } })
    expect(identity.keys()).toEqual({ customerKey: 'c-mirror', sessionKey: 's-mirror' })
  })

  it.each(['apptus.session', 'voyado.session'])('adopts the official library entry %s', (name) => {
    const { identity } = setup({ storage: { [name]: ['{"customerKey":"c-old","sessionKey":"s-old"}'] } })
    expect(identity.keys()).toEqual({ customerKey: 'c-old', sessionKey: 's-old' })
  })

  it('ignores broken JSON and unsafe values in the official entries', () => {
    const { identity } = setup({ storage: { 'apptus.session': ['{not json'], 'voyado.session': ['{"customerKey":"a b","sessionKey":5}'] } })
    expect(identity.keys().customerKey).toMatch(UUID)
  })

  it('lets server-rendered keys win, and keeps them over stale cookies it cannot overwrite', () => {
    const { identity } = setup({
      cookies: { 'apptus.customerKey': ['c-cookie'], 'apptus.sessionKey': ['s-cookie'] },
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
    const { identity } = setup({ storage: { [MIRROR]: ['{"customerKey":"c","sessionKey":"s","lastActive":"yesterday"}'] } })
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

  it('keeps working in memory when every store is blocked', () => {
    const { identity, clock } = setup({ broken: true })
    const first = identity.keys()
    expect(identity.keys()).toEqual(first)
    clock.t += IDLE_MS + 1
    expect(identity.keys().sessionKey).not.toBe(first.sessionKey)
  })
})
