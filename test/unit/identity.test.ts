import { describe, expect, it } from 'vitest'
import { createIdentity, CUSTOMER_COOKIE, IDLE_MS, MIRROR, RENEW_CUSTOMER_MS, RENEW_SESSION_MS, SESSION_COOKIE, type Keys } from '../../src/page/identity'
import { cookieJar, type Store } from '../../src/page/storage'
import { blockedCookieHost, blockedStore, cookieHost, fakeClock, memoryStore, seededRandom, UUID_V4 } from './fakes'
import { uuid } from '../../src/shared/uuid'

const MIN = 60_000
const DAY = 24 * 60 * MIN

/**
 * An identity over a browser-like cookie jar (the real cookieJar on a fake document.cookie
 * that expires cookies by the clock) and an in-memory localStorage.
 */
function setup(opts: { storage?: Record<string, string>; preset?: Partial<Keys>; blocked?: boolean; cookieDomain?: string; personal?: boolean } = {}) {
  const clock = fakeClock()
  // The consent level: personal (granted) unless said otherwise; a test may change it.
  const level = { personal: opts.personal ?? true }
  const cookies = cookieHost(clock.now)
  const s = memoryStore(opts.storage)
  const storage: Store = opts.blocked ? blockedStore() : s.store
  const jar = cookieJar(opts.blocked ? blockedCookieHost : () => cookies.host, true, opts.cookieDomain)
  const random = seededRandom()
  const identity = createIdentity(jar, storage, clock.now, () => uuid(random), () => level.personal, undefined, { ...opts.preset, cookieDomain: opts.cookieDomain })
  /** Writes of one cookie, as `value;max-age`. */
  const writes = (name: string) => cookies.writes.filter((w) => w.startsWith(name + '=')).map((w) => /=([^;]*).*max-age=(\d+)/.exec(w)!.slice(1).join(';'))
  const mirror = () => JSON.parse(s.data.get(MIRROR)!) as Record<string, unknown>
  const mirrorWrites = () => s.sets.filter(([name]) => name == MIRROR).length
  return { identity, clock, cookies, storage: s, writes, mirror, mirrorWrites, level }
}

const mirrorOf = (customerKey: string, sessionKey: string, lastActive: number, renewed = lastActive, domain = '') =>
  JSON.stringify({ customerKey, sessionKey, lastActive, renewed, domain })

describe('createIdentity: a first visit', () => {
  it('reads and writes nothing until the first keys()', () => {
    const { cookies, storage } = setup()
    expect(cookies.writes).toEqual([])
    expect(storage.sets).toEqual([])
  })

  it('makes UUID v4 keys and writes both cookies and the mirror', () => {
    const { identity, cookies, clock, storage } = setup()
    const keys = identity.keys()
    expect(keys.customerKey).toMatch(UUID_V4)
    expect(keys.sessionKey).toMatch(UUID_V4)
    expect(keys.customerKey).not.toBe(keys.sessionKey)
    expect(cookies.writes).toEqual([
      `apptus.customerKey=${keys.customerKey};path=/;samesite=lax;max-age=31536000;secure`,
      `apptus.sessionKey=${keys.sessionKey};path=/;samesite=lax;max-age=1800;secure`
    ])
    expect(storage.data.get(MIRROR)).toBe(
      `{"customerKey":"${keys.customerKey}","sessionKey":"${keys.sessionKey}","lastActive":${clock.t},"renewed":${clock.t},"domain":""}`)
  })

  it('returns the same keys on the next calls', () => {
    const { identity, clock } = setup()
    const first = identity.keys()
    clock.t += 5 * MIN
    expect(identity.keys()).toEqual(first)
  })

  it.each(['apptus.session', 'voyado.session'])('takes the customer key from the official entry %s, never its session key', (name) => {
    const { identity } = setup({ storage: { [name]: '{"customerKey":"c-official","sessionKey":"s-official"}' } })
    const keys = identity.keys()
    expect(keys.customerKey).toBe('c-official')
    expect(keys.sessionKey).toMatch(UUID_V4)
  })

  it('prefers apptus.session over voyado.session, and passes over an unsafe official key', () => {
    expect(setup({ storage: { 'apptus.session': '{"customerKey":"c-a"}', 'voyado.session': '{"customerKey":"c-v"}' } }).identity.keys().customerKey).toBe('c-a')
    expect(setup({ storage: { 'apptus.session': '{"customerKey":"a b"}', 'voyado.session': '{"customerKey":"c-v"}' } }).identity.keys().customerKey).toBe('c-v')
    expect(setup({ storage: { 'voyado.session': '{"customerKey":"me@example.com"}' } }).identity.keys().customerKey).toMatch(UUID_V4)
  })

  it('takes the official entry on a first visit only: the mirror and the cookie come first', () => {
    const withMirror = setup({ storage: { 'apptus.session': '{"customerKey":"c-official"}', [MIRROR]: mirrorOf('c-mirror', 's-mirror', 0) } })
    expect(withMirror.identity.keys().customerKey).toBe('c-mirror')
    const withCookie = setup({ storage: { 'apptus.session': '{"customerKey":"c-official"}' } })
    withCookie.cookies.add(CUSTOMER_COOKIE, 'c-cookie')
    expect(withCookie.identity.keys().customerKey).toBe('c-cookie')
  })
})

describe('createIdentity: the cookies and the mirror', () => {
  it('takes keys from cookies that another party wrote, and writes no older key over them', () => {
    const t = fakeClock().t
    const { identity, cookies, writes, mirror } = setup({ storage: { [MIRROR]: mirrorOf('c-mirror', 's-mirror', t - MIN) } })
    cookies.add(CUSTOMER_COOKIE, 'c-server')
    cookies.add(SESSION_COOKIE, 's-server', { seconds: 1800 })
    expect(identity.keys()).toEqual({ customerKey: 'c-server', sessionKey: 's-server' })
    expect(cookies.values(CUSTOMER_COOKIE)).toEqual(['c-server'])
    expect(cookies.values(SESSION_COOKIE)).toEqual(['s-server'])
    expect([...writes(CUSTOMER_COOKIE), ...writes(SESSION_COOKIE)].join()).not.toMatch(/mirror/)
    // The mirror follows the cookies.
    expect(mirror()).toMatchObject({ customerKey: 'c-server', sessionKey: 's-server' })
  })

  it('lets a session cookie of another value win however old the mirror is', () => {
    const t = fakeClock().t
    const { identity, cookies } = setup({ storage: { [MIRROR]: mirrorOf('c', 's-mirror', t - 5 * IDLE_MS) } })
    cookies.add(SESSION_COOKIE, 's-other', { seconds: 1800 })
    expect(identity.keys().sessionKey).toBe('s-other')
  })

  it('follows a cookie that changes while the page is open (another tab, the server at sign-in)', () => {
    const { identity, cookies, clock, writes } = setup()
    const first = identity.keys()
    clock.t += MIN / 2
    cookies.add(CUSTOMER_COOKIE, 'c-signed-in')
    expect(identity.keys()).toEqual({ customerKey: 'c-signed-in', sessionKey: first.sessionKey })
    clock.t += 2 * DAY / 3
    identity.keys()
    expect(writes(CUSTOMER_COOKIE).map((w) => w.split(';')[0])).toEqual([first.customerKey])
  })

  it("keeps its key beside a stale cookie of the same name on a deeper path; a newer cookie on the same path (another domain's) wins", () => {
    const t = fakeClock().t
    for (const deeper of [true, false]) {
      const { identity, cookies, writes } = setup({ storage: { [MIRROR]: mirrorOf('c-mine', 's-mine', t - MIN, t - MIN) } })
      // A deeper path is listed first; on the same path, the newer cookie comes after the older one.
      if (deeper) {
        cookies.add(CUSTOMER_COOKIE, 'c-stale', { path: '/account' })
        cookies.add(SESSION_COOKIE, 's-stale', { path: '/account' })
      }
      cookies.add(CUSTOMER_COOKIE, 'c-mine')
      cookies.add(SESSION_COOKIE, 's-mine', { seconds: 1800 })
      if (!deeper) {
        // The shop's server, with Domain=, after the snippet's host-only cookies.
        cookies.add(CUSTOMER_COOKIE, 'c-server', { domain: '.shop.example' })
        cookies.add(SESSION_COOKIE, 's-server', { domain: '.shop.example' })
      }
      const want = deeper ? { customerKey: 'c-mine', sessionKey: 's-mine' } : { customerKey: 'c-server', sessionKey: 's-server' }
      expect(identity.keys(), deeper ? 'deeper path' : 'other domain').toEqual(want)
      expect(writes(CUSTOMER_COOKIE).join()).not.toContain('stale')
      expect(writes(SESSION_COOKIE).join()).not.toContain('stale')
    }
  })

  it("where no cookie of a name holds the mirror's key, the last listed wins: a stale deeper cookie does not beat the server's new one on Path=/", () => {
    const t = fakeClock().t
    const { identity, cookies, writes } = setup({ storage: { [MIRROR]: mirrorOf('c-old', 's', t - MIN) } })
    cookies.add(SESSION_COOKIE, 's', { seconds: 1800 })
    cookies.add(CUSTOMER_COOKIE, 'c-stale', { path: '/account' })
    // The server's Set-Cookie at sign-in.
    cookies.add(CUSTOMER_COOKIE, 'c-signed-in')
    expect(identity.keys().customerKey).toBe('c-signed-in')
    expect(writes(CUSTOMER_COOKIE)).toEqual([])
  })

  it('a shop that sets a cookie domain later: the first decision writes the keys with the domain and removes the host-only pair', () => {
    const t = fakeClock().t
    // The mirror of a page without a cookie domain, and its host-only cookies.
    const { identity, cookies, clock } = setup({ storage: { [MIRROR]: mirrorOf('c', 's', t - MIN, t - MIN) }, cookieDomain: 'shop.example' })
    cookies.add(CUSTOMER_COOKIE, 'c')
    cookies.add(SESSION_COOKIE, 's', { seconds: 1800 })
    expect(identity.keys()).toEqual({ customerKey: 'c', sessionKey: 's' })
    expect(cookies.writes).toEqual([
      'apptus.customerKey=;path=/;samesite=lax;max-age=0;secure',
      'apptus.sessionKey=;path=/;samesite=lax;max-age=0;secure',
      'apptus.customerKey=c;path=/;samesite=lax;max-age=31536000;secure;domain=shop.example',
      'apptus.sessionKey=s;path=/;samesite=lax;max-age=1800;secure;domain=shop.example'
    ])
    expect(cookies.values(CUSTOMER_COOKIE)).toEqual(['c'])
    // Once moved, the next decisions write nothing more.
    clock.t += 1000
    identity.keys()
    expect(cookies.writes).toHaveLength(4)
  })

  it('restores both keys from the mirror when the cookies are gone, and writes them back', () => {
    const t = fakeClock().t
    const { identity, cookies } = setup({ storage: { [MIRROR]: mirrorOf('c-mirror', 's-mirror', t - 10 * MIN) } })
    expect(identity.keys()).toEqual({ customerKey: 'c-mirror', sessionKey: 's-mirror' })
    expect(cookies.values(CUSTOMER_COOKIE)).toEqual(['c-mirror'])
    expect(cookies.values(SESSION_COOKIE)).toEqual(['s-mirror'])
  })

  it('restores the session key from the mirror only within 30 minutes of lastActive', () => {
    const t = fakeClock().t
    const just = setup({ storage: { [MIRROR]: mirrorOf('c-mirror', 's-mirror', t - IDLE_MS + 1) } })
    expect(just.identity.keys()).toEqual({ customerKey: 'c-mirror', sessionKey: 's-mirror' })
    const late = setup({ storage: { [MIRROR]: mirrorOf('c-mirror', 's-mirror', t - IDLE_MS) } })
    const keys = late.identity.keys()
    expect(keys.customerKey).toBe('c-mirror')
    expect(keys.sessionKey).toMatch(UUID_V4)
    expect(late.cookies.values(SESSION_COOKIE)).toEqual([keys.sessionKey])
  })

  it('does not restore a session key from a mirror without a valid lastActive', () => {
    for (const lastActive of ['"yesterday"', 'null', '{}']) {
      const { identity } = setup({ storage: { [MIRROR]: `{"customerKey":"c","sessionKey":"s","lastActive":${lastActive}}` } })
      const keys = identity.keys()
      expect(keys.customerKey).toBe('c')
      expect(keys.sessionKey, lastActive).toMatch(UUID_V4)
    }
  })

  it('keeps a session whose cookie is there, even where this origin last saw activity over 30 minutes ago (another subdomain renewed it)', () => {
    const t = fakeClock().t
    const { identity, cookies } = setup({ storage: { [MIRROR]: mirrorOf('c-mine', 's-mine', t - IDLE_MS - 1) } })
    cookies.add(CUSTOMER_COOKIE, 'c-mine')
    cookies.add(SESSION_COOKIE, 's-mine')
    expect(identity.keys()).toEqual({ customerKey: 'c-mine', sessionKey: 's-mine' })
  })

  it('reads a key cookie that the server percent-encoded (Express does): user%3A42 is user:42', () => {
    const { identity, cookies } = setup()
    cookies.add(CUSTOMER_COOKIE, 'user%3A42')
    expect(identity.keys().customerKey).toBe('user:42')
  })

  it('starts a new session after 30 idle minutes on the same page, and not before; the customer stays', () => {
    const { identity, clock, cookies } = setup()
    const first = identity.keys()
    clock.t += IDLE_MS - 1
    expect(identity.keys()).toEqual(first)
    clock.t += IDLE_MS
    // The session cookie (Max-Age 1800) has expired by now.
    expect(cookies.values(SESSION_COOKIE)).toEqual([])
    const later = identity.keys()
    expect(later.customerKey).toBe(first.customerKey)
    expect(later.sessionKey).toMatch(UUID_V4)
    expect(later.sessionKey).not.toBe(first.sessionKey)
  })

  it('passes over broken JSON and unsafe values in the mirror, the official entries and the cookies', () => {
    for (const broken of ['[1,2', 'null', '"c"', '42', '{"customerKey":"a b","sessionKey":"s;x","lastActive":1}', '{"customerKey":5,"sessionKey":["s"]}']) {
      const { identity, cookies } = setup({ storage: { [MIRROR]: broken, 'apptus.session': '{not json', 'voyado.session': '{"customerKey":"a b","sessionKey":5}' } })
      cookies.add(CUSTOMER_COOKIE, 'me@example.com')
      cookies.add(SESSION_COOKIE, 'a%20b')
      const keys = identity.keys()
      expect(keys.customerKey, broken).toMatch(UUID_V4)
      expect(keys.sessionKey, broken).toMatch(UUID_V4)
    }
  })

  it('passes over a cookie value that is not a safe token on a first visit', () => {
    for (const value of ['+0', '', 'a b', '"c"']) {
      const { identity, cookies } = setup()
      cookies.add(CUSTOMER_COOKIE, value)
      expect(identity.keys().customerKey, JSON.stringify(value)).toMatch(UUID_V4)
    }
  })
})

describe('createIdentity: server-rendered keys', () => {
  it('win over cookies and the mirror at the first decision', () => {
    const t = fakeClock().t
    const { identity, cookies } = setup({ storage: { [MIRROR]: mirrorOf('c-mirror', 's-mirror', t) }, preset: { customerKey: 'c-server', sessionKey: 's-server' } })
    cookies.add(CUSTOMER_COOKIE, 'c-cookie')
    cookies.add(SESSION_COOKIE, 's-cookie', { seconds: 1800 })
    expect(identity.keys()).toEqual({ customerKey: 'c-server', sessionKey: 's-server' })
    expect(cookies.values(CUSTOMER_COOKIE)).toEqual(['c-server'])
    expect(cookies.values(SESSION_COOKIE)).toEqual(['s-server'])
  })

  it('win once: a later change of the cookies counts, and forget() does not bring them back', () => {
    const { identity, cookies } = setup({ preset: { customerKey: 'c-server', sessionKey: 's-server' } })
    identity.keys()
    cookies.add(CUSTOMER_COOKIE, 'c-later')
    expect(identity.keys().customerKey).toBe('c-later')
    identity.forget()
    expect(identity.keys()).toEqual({ customerKey: 'c-later', sessionKey: 's-server' })
  })

  it('are ignored where they are not safe tokens', () => {
    const { identity, cookies } = setup({ preset: { customerKey: 'me@example.com', sessionKey: 'a b' } })
    cookies.add(CUSTOMER_COOKIE, 'c-cookie')
    cookies.add(SESSION_COOKIE, 's-cookie', { seconds: 1800 })
    expect(identity.keys()).toEqual({ customerKey: 'c-cookie', sessionKey: 's-cookie' })
  })

  it('may come one at a time', () => {
    const { identity } = setup({ preset: { customerKey: 'c-server' } })
    const keys = identity.keys()
    expect(keys.customerKey).toBe('c-server')
    expect(keys.sessionKey).toMatch(UUID_V4)
  })
})

describe('createIdentity: keys(current, customerKey, sessionKey)', () => {
  it('keys(true) never starts a new session (the end notification carries the session it ends)', () => {
    const { identity, clock } = setup()
    const first = identity.keys()
    clock.t += 3 * IDLE_MS
    expect(identity.keys(true)).toEqual(first)
  })

  it('keys(true) is not activity: after it, a stale session still ends at the next keys()', () => {
    const { identity, clock } = setup()
    const first = identity.keys()
    clock.t += IDLE_MS + MIN
    expect(identity.keys(true)).toEqual(first)
    expect(identity.keys().sessionKey).not.toBe(first.sessionKey)
  })

  it('keys(false, customerKey) replaces the customer key and keeps the session', () => {
    const { identity, cookies, mirror } = setup()
    const first = identity.keys()
    expect(identity.keys(false, 'member-1')).toEqual({ customerKey: 'member-1', sessionKey: first.sessionKey })
    expect(identity.keys()).toEqual({ customerKey: 'member-1', sessionKey: first.sessionKey })
    expect(cookies.values(CUSTOMER_COOKIE)).toEqual(['member-1'])
    expect(mirror()).toMatchObject({ customerKey: 'member-1', sessionKey: first.sessionKey })
  })

  it('keys(false, a, b) replaces both keys', () => {
    const { identity, cookies } = setup()
    identity.keys()
    expect(identity.keys(false, 'c-new', 's-new')).toEqual({ customerKey: 'c-new', sessionKey: 's-new' })
    expect(identity.keys()).toEqual({ customerKey: 'c-new', sessionKey: 's-new' })
    expect([cookies.values(CUSTOMER_COOKIE), cookies.values(SESSION_COOKIE)]).toEqual([['c-new'], ['s-new']])
  })

  it('a sign-in after 30 idle minutes (keys(false, customerKey)) starts a new session with the new customer key', () => {
    const { identity, clock } = setup()
    const first = identity.keys()
    clock.t += IDLE_MS + 1
    const signedIn = identity.keys(false, 'member-5')
    expect(signedIn.customerKey).toBe('member-5')
    expect(signedIn.sessionKey).not.toBe(first.sessionKey)
  })

  it('a key given at the first decision wins over the stores', () => {
    const { identity, cookies } = setup()
    cookies.add(CUSTOMER_COOKIE, 'c-cookie')
    expect(identity.keys(false, 'c-given').customerKey).toBe('c-given')
  })
})

describe('createIdentity: renewal', () => {
  it('writes the session cookie at most once a minute of activity, and the customer cookie at most once a day', () => {
    const { identity, clock, writes } = setup()
    const keys = identity.keys()
    expect([writes(CUSTOMER_COOKIE).length, writes(SESSION_COOKIE).length]).toEqual([1, 1])
    // Clicks every 10 s for a minute: nothing due.
    for (let i = 0; i < 5; i++) { clock.t += 10_000; identity.keys() }
    expect([writes(CUSTOMER_COOKIE).length, writes(SESSION_COOKIE).length]).toEqual([1, 1])
    clock.t += RENEW_SESSION_MS - 50_000
    identity.keys()
    expect([writes(CUSTOMER_COOKIE).length, writes(SESSION_COOKIE).length]).toEqual([1, 2])
    // Activity every 10 minutes for a day: one session write each time, one customer write at the day.
    const start = clock.t
    let calls = 0
    while (clock.t - start < RENEW_CUSTOMER_MS - 10 * MIN) { clock.t += 10 * MIN; identity.keys(); calls++ }
    expect(writes(CUSTOMER_COOKIE)).toEqual([`${keys.customerKey};31536000`])
    expect(writes(SESSION_COOKIE)).toHaveLength(2 + calls)
    clock.t += 10 * MIN
    identity.keys()
    expect(writes(CUSTOMER_COOKIE)).toEqual([`${keys.customerKey};31536000`, `${keys.customerKey};31536000`])
    expect(writes(SESSION_COOKIE).every((w) => w == `${keys.sessionKey};1800`)).toBe(true)
  })

  it('renews nothing on a page that opens within a minute of the last renewal', () => {
    const t = fakeClock().t
    const { identity, cookies, mirrorWrites } = setup({ storage: { [MIRROR]: mirrorOf('c', 's', t - 30_000, t - DAY / 2) } })
    cookies.add(CUSTOMER_COOKIE, 'c')
    cookies.add(SESSION_COOKIE, 's', { seconds: 1800 })
    expect(identity.keys()).toEqual({ customerKey: 'c', sessionKey: 's' })
    expect(cookies.writes).toEqual([])
    expect(mirrorWrites()).toBe(0)
  })

  it('a key cookie the page cannot see (HttpOnly, the keys rendered into the page) is written once a page, then only when due', () => {
    const t = fakeClock().t
    const { identity, clock, cookies, writes, mirrorWrites } = setup({ storage: { [MIRROR]: mirrorOf('c', 's', t - 10 * MIN) }, preset: { customerKey: 'c', sessionKey: 's' } })
    for (let i = 0; i < 5; i++) {
      expect(identity.keys()).toEqual({ customerKey: 'c', sessionKey: 's' })
      clock.t += 1000
      // The browser keeps script from writing over an HttpOnly cookie, and never shows it.
      for (const name of [CUSTOMER_COOKIE, SESSION_COOKIE]) cookies.add(name, '', { seconds: 0 })
    }
    expect(writes(CUSTOMER_COOKIE)).toEqual(['c;31536000'])
    expect(writes(SESSION_COOKIE)).toEqual(['s;1800'])
    expect(mirrorWrites()).toBe(1)
    clock.t = t + RENEW_SESSION_MS + 5000
    identity.keys()
    expect(writes(SESSION_COOKIE)).toEqual(['s;1800', 's;1800'])
    expect(writes(CUSTOMER_COOKIE)).toEqual(['c;31536000'])
  })

  it('keeps lastActive and renewed in the mirror, and rewrites it only when something changed', () => {
    const { identity, clock, mirror, mirrorWrites } = setup()
    const t0 = clock.t
    identity.keys()
    expect(mirrorWrites()).toBe(1)
    for (let i = 0; i < 5; i++) { clock.t += 1000; identity.keys() }
    expect(mirrorWrites()).toBe(1)
    clock.t = t0 + RENEW_SESSION_MS
    identity.keys()
    expect(mirrorWrites()).toBe(2)
    expect(mirror()).toMatchObject({ lastActive: t0 + RENEW_SESSION_MS, renewed: t0 })
    identity.keys(false, 'member-9')
    expect(mirrorWrites()).toBe(3)
    expect(mirror()).toMatchObject({ customerKey: 'member-9', renewed: t0 + RENEW_SESSION_MS })
  })
})

describe('createIdentity: forget()', () => {
  it('makes the next decision read the mirror again (another tab changed it)', () => {
    // Cookies blocked: the mirror is all there is to share.
    const clock = fakeClock()
    const s = memoryStore()
    const random = seededRandom()
    const identity = createIdentity(cookieJar(blockedCookieHost, true), s.store, clock.now, () => uuid(random), () => true)
    const first = identity.keys()
    s.data.set(MIRROR, mirrorOf('c-other-tab', 's-other-tab', clock.t))
    clock.t += 1000
    // This page still knows its own keys...
    expect(identity.keys()).toEqual(first)
    s.data.set(MIRROR, mirrorOf('c-other-tab', 's-other-tab', clock.t))
    identity.forget()
    // ...until it forgets them.
    expect(identity.keys()).toEqual({ customerKey: 'c-other-tab', sessionKey: 's-other-tab' })
  })
})

describe('createIdentity: blocked stores', () => {
  it('keeps working in memory when every store is blocked', () => {
    const { identity, clock } = setup({ blocked: true })
    const first = identity.keys()
    expect(first.customerKey).toMatch(UUID_V4)
    clock.t += 10 * MIN
    expect(identity.keys()).toEqual(first)
    expect(identity.keys(false, 'member-2')).toEqual({ customerKey: 'member-2', sessionKey: first.sessionKey })
    expect(identity.keys().customerKey).toBe('member-2')
    clock.t += IDLE_MS + 1
    const later = identity.keys()
    expect(later.customerKey).toBe('member-2')
    expect(later.sessionKey).not.toBe(first.sessionKey)
    expect(identity.keys(false, 'c-x', 's-x')).toEqual({ customerKey: 'c-x', sessionKey: 's-x' })
  })

  it('keeps working with storage blocked and cookies working', () => {
    const clock = fakeClock()
    const cookies = cookieHost(clock.now)
    const random = seededRandom()
    const identity = createIdentity(cookieJar(() => cookies.host, false), blockedStore(), clock.now, () => uuid(random), () => true)
    const first = identity.keys()
    expect(cookies.values(CUSTOMER_COOKIE)).toEqual([first.customerKey])
    clock.t += MIN
    expect(identity.keys()).toEqual(first)
  })
})
