import { describe, expect, it } from 'vitest'
import { cookieStore, webStore } from '../../src/storage'

describe('cookieStore', () => {
  it('writes path, lifetime, SameSite, Secure and Domain', () => {
    const host = { cookie: '' }
    cookieStore(() => host, true, '.shop.example').set('apptus.customerKey', 'a b', 365)
    expect(host.cookie).toBe('apptus.customerKey=a%20b;path=/;max-age=31536000;samesite=lax;secure;domain=.shop.example')
    cookieStore(() => host, false).set('apptus.sessionKey', 's')
    expect(host.cookie).toBe('apptus.sessionKey=s;path=/;samesite=lax')
  })

  it('reads leniently: no "=", bad percent-encoding and duplicates', () => {
    const host = { cookie: 'junk; apptus.customerKey=%E0%A4%A; other=1;apptus.customerKey=good ; apptus.customerKey=%41' }
    expect(cookieStore(() => host, false).get('apptus.customerKey')).toEqual(['good', 'A'])
    expect(cookieStore(() => host, false).get('missing')).toEqual([])
  })

  it('never throws when document.cookie throws', () => {
    const host = { get cookie(): string { throw new DOMException('blocked', 'SecurityError') }, set cookie(_v: string) { throw new DOMException('blocked', 'SecurityError') } }
    const store = cookieStore(() => host, false)
    expect(store.get('x')).toEqual([])
    expect(() => store.set('x', 'y')).not.toThrow()
  })
})

describe('webStore', () => {
  it('never throws when the localStorage getter or setItem throws', () => {
    const blocked = webStore(() => { throw new DOMException('denied', 'SecurityError') })
    expect(blocked.get('x')).toEqual([])
    expect(() => blocked.set('x', 'y')).not.toThrow()
    const full = webStore(() => ({ getItem: () => 'v', setItem: () => { throw new DOMException('full', 'QuotaExceededError') } }) as unknown as Storage)
    expect(full.get('x')).toEqual(['v'])
    expect(() => full.set('x', 'y')).not.toThrow()
  })
})
