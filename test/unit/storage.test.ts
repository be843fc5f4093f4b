import { describe, expect, it } from 'vitest'
import { cookieJar, webStore } from '../../src/storage'

describe('cookieJar', () => {
  it('writes path, SameSite, lifetime, Secure and Domain; 0 days removes', () => {
    const host = { cookie: '' }
    cookieJar(() => host, true, '.shop.example').set('apptus.customerKey', 'a b', 365)
    expect(host.cookie).toBe('apptus.customerKey=a%20b;path=/;samesite=lax;max-age=31536000;secure;domain=.shop.example')
    cookieJar(() => host, false).set('apptus.sessionKey', 's')
    expect(host.cookie).toBe('apptus.sessionKey=s;path=/;samesite=lax')
    cookieJar(() => host, false).set('apptus.sessionKey', '', 0)
    expect(host.cookie).toBe('apptus.sessionKey=;path=/;samesite=lax;max-age=0')
  })

  it('reads leniently: parts without "=", bad percent-encoding and duplicates', () => {
    const host = { cookie: 'junk; apptus.customerKey=%E0%A4%A; other=1; apptus.customerKey=good; apptus.customerKeyX=no; apptus.customerKey=%41' }
    expect(cookieJar(() => host, false).get('apptus.customerKey')).toEqual(['good', 'A'])
    expect(cookieJar(() => host, false).get('missing')).toEqual([])
  })

  it('never throws when document.cookie throws', () => {
    const host = { get cookie(): string { throw new DOMException('blocked', 'SecurityError') }, set cookie(_v: string) { throw new DOMException('blocked', 'SecurityError') } }
    const jar = cookieJar(() => host, false)
    expect(jar.get('x')).toEqual([])
    expect(() => jar.set('x', 'y')).not.toThrow()
  })
})

describe('webStore', () => {
  it('never throws when the localStorage getter or setItem throws', () => {
    const blocked = webStore(() => { throw new DOMException('denied', 'SecurityError') })
    expect(blocked.get('x')).toBeUndefined()
    expect(() => blocked.set('x', 'y')).not.toThrow()
    expect(() => blocked.remove('x')).not.toThrow()
    const full = webStore(() => ({ getItem: () => 'v', setItem: () => { throw new DOMException('full', 'QuotaExceededError') } }) as unknown as Storage)
    expect(full.get('x')).toBe('v')
    expect(() => full.set('x', 'y')).not.toThrow()
  })
})
