import { describe, expect, it } from 'vitest'
import { isSafeToken } from '../../src/page/config'
import { cookieJar, webStore } from '../../src/page/storage'
import { blockedCookieHost, fakeStorage } from './fakes'

const any = () => true

describe('cookieJar.set', () => {
  it('writes name=value;path=/;samesite=lax;max-age=N, then Secure and Domain where asked', () => {
    const host = { cookie: '' }
    cookieJar(() => host, true, '.shop.example').set('apptus.customerKey', 'c-1', 31_536_000)
    expect(host.cookie).toBe('apptus.customerKey=c-1;path=/;samesite=lax;max-age=31536000;secure;domain=.shop.example')
    cookieJar(() => host, false).set('apptus.sessionKey', 's-1', 1800)
    expect(host.cookie).toBe('apptus.sessionKey=s-1;path=/;samesite=lax;max-age=1800')
    cookieJar(() => host, true).set('apptus.sessionKey', 's-1', 1800)
    expect(host.cookie).toBe('apptus.sessionKey=s-1;path=/;samesite=lax;max-age=1800;secure')
    cookieJar(() => host, false, '').set('x', 'y', 5)
    expect(host.cookie).toBe('x=y;path=/;samesite=lax;max-age=5')
  })

  it('removes with max-age=0', () => {
    const host = { cookie: '' }
    cookieJar(() => host, false).set('apptus.sessionKey', '', 0)
    expect(host.cookie).toBe('apptus.sessionKey=;path=/;samesite=lax;max-age=0')
  })

  it('writes the value as it is (the keys are safe tokens, which need no encoding)', () => {
    const host = { cookie: '' }
    cookieJar(() => host, false).set('k', 'A.b_c~d:e-f', 1)
    expect(host.cookie).toBe('k=A.b_c~d:e-f;path=/;samesite=lax;max-age=1')
  })

  it('ignores a write where document.cookie throws', () => {
    expect(() => cookieJar(blockedCookieHost, true, '.x').set('x', 'y', 1)).not.toThrow()
  })

  it('asks for the host on every write, never before', () => {
    let calls = 0
    const host = { cookie: '' }
    const jar = cookieJar(() => (calls++, host), false)
    expect(calls).toBe(0)
    jar.set('a', '1', 1)
    jar.set('b', '2', 1)
    expect(calls).toBe(2)
  })
})

describe('cookieJar.read', () => {
  it('reads document.cookie once, however many names are looked up', () => {
    let reads = 0
    const host = { get cookie() { reads++; return 'a=1; b=2' } }
    const jar = cookieJar(() => host, false)
    expect(reads).toBe(0)
    const lookup = jar.read()
    expect([lookup('a', any), lookup('b', any), lookup('c', any)]).toEqual(['1', '2', undefined])
    expect(reads).toBe(1)
  })

  it('reads the value of exactly that name, the first and the last cookie included', () => {
    const lookup = cookieJar(() => ({ cookie: 'xapptus.customerKey=no; apptus.customerKeyX=no; apptus.customerKey=yes; last=L' }), false).read()
    expect(lookup('apptus.customerKey', any)).toBe('yes')
    expect(lookup('xapptus.customerKey', any)).toBe('no')
    expect(lookup('last', any)).toBe('L')
    expect(lookup('apptus', any)).toBeUndefined()
  })

  it('gives the last value that passes accept among duplicates (the newest on the shortest path)', () => {
    const lookup = cookieJar(() => ({ cookie: 'junk; apptus.customerKey=c-good; other=1; apptus.customerKey=c-later; apptus.customerKey=bad value' }), false).read()
    expect(lookup('apptus.customerKey', isSafeToken)).toBe('c-later')
    expect(lookup('apptus.customerKey', any)).toBe('bad value')
    expect(lookup('apptus.customerKey', () => false)).toBeUndefined()
  })

  it('never gives a value that fails accept', () => {
    const lookup = cookieJar(() => ({ cookie: 'k=; n=+0; k=ok' }), false).read()
    expect([lookup('k', isSafeToken), lookup('n', isSafeToken)]).toEqual(['ok', undefined])
  })

  it('reads an empty jar and a jar without that name as none', () => {
    expect(cookieJar(() => ({ cookie: '' }), false).read()('k', any)).toBeUndefined()
    expect(cookieJar(() => ({ cookie: 'a=1' }), false).read()('k', any)).toBeUndefined()
  })

  it('reads a throwing document.cookie as no cookies, and never throws', () => {
    const lookup = cookieJar(blockedCookieHost, false).read()
    expect(lookup('x', any)).toBeUndefined()
    let thrown = 0
    expect(cookieJar(() => { thrown++; throw new Error('no document') }, false).read()('x', any)).toBeUndefined()
    expect(thrown).toBe(1)
  })
})

describe('webStore', () => {
  it('reads, writes, removes and lists names', () => {
    const { storage, data } = fakeStorage({ a: '1' })
    const store = webStore(() => storage)
    expect(store.get('a')).toBe('1')
    expect(store.get('missing')).toBeNull()
    store.set('b', '2')
    expect(data.get('b')).toBe('2')
    expect(store.names()).toEqual(['a', 'b'])
    store.remove('a')
    expect(store.names()).toEqual(['b'])
  })

  it('lists names with key(i), not with own properties of the storage object', () => {
    const { storage } = fakeStorage({ x: '1', y: '2' })
    Object.assign(storage, { own: 'not an entry' })
    expect(webStore(() => storage).names()).toEqual(['x', 'y'])
  })

  it('never throws when the localStorage getter throws (blocked storage), and reads as none', () => {
    let calls = 0
    const blocked = webStore(() => { calls++; throw new DOMException('denied', 'SecurityError') })
    expect(calls).toBe(0)
    expect(blocked.get('x')).toBeUndefined()
    expect(() => blocked.set('x', 'y')).not.toThrow()
    expect(() => blocked.remove('x')).not.toThrow()
    expect(blocked.names()).toEqual([])
    expect(calls).toBe(4)
  })

  it('guards every method of the storage itself', () => {
    const boom = () => { throw new DOMException('full', 'QuotaExceededError') }
    const broken = webStore(() => ({ getItem: boom, setItem: boom, removeItem: boom, key: boom, get length() { return boom() } }) as unknown as Storage)
    expect(broken.get('x')).toBeUndefined()
    expect(() => broken.set('x', 'y')).not.toThrow()
    expect(() => broken.remove('x')).not.toThrow()
    expect(broken.names()).toEqual([])
    const full = webStore(() => fakeStorage({ x: 'v' }, () => true).storage)
    expect(full.get('x')).toBe('v')
    expect(() => full.set('x', 'y')).not.toThrow()
    expect(full.get('x')).toBe('v')
  })
})
