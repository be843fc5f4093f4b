import { describe, expect, it } from 'vitest'
import { checkCookieDomain, PROBE } from '../../src/chunks/domain'
import { captureLog, cookieHost } from './fakes'

/** document.cookie of a browser that refuses cookies for `refused` (a public suffix), and optionally every cookie. */
function browserCookies(refused: string, { blocked = false, hidden = false } = {}) {
  const jar = cookieHost()
  const host = {
    get cookie() { return blocked ? '' : jar.host.cookie },
    set cookie(text: string) {
      if (blocked || text.toLowerCase().includes(';domain=' + refused)) return
      // A key cookie the server set HttpOnly: script can neither see nor replace it.
      if (hidden && text.startsWith('apptus.')) return
      jar.host.cookie = text
    }
  }
  return { host, jar }
}

describe('checkCookieDomain', () => {
  it('names the attribute and the host when the browser refuses the domain (a public suffix)', () => {
    const { host, jar } = browserCookies('co.uk')
    const { log, error } = captureLog()
    checkCookieDomain({ notify: () => {}, cookieDomain: 'co.uk', log } as never, host, 'www.shop.co.uk')
    expect(error).toHaveLength(1)
    expect(error[0]).toMatch(/^data-cookie-domain="co\.uk" does not hold on www\.shop\.co\.uk: /)
    // The probe leaves nothing behind.
    expect(jar.values(PROBE)).toEqual([])
  })

  it('says nothing when the domain holds (the key cookie is hidden: HttpOnly) or when cookies are blocked altogether', () => {
    for (const options of [{ hidden: true }, { blocked: true }]) {
      const { host, jar } = browserCookies('co.uk', options)
      const { log, error, debug } = captureLog()
      checkCookieDomain({ notify: () => {}, cookieDomain: 'shop.co.uk', log } as never, host, 'www.shop.co.uk')
      expect(error).toEqual([])
      expect(debug).toHaveLength(1)
      expect(jar.values(PROBE)).toEqual([])
    }
  })

  it('does nothing without a cookie domain', () => {
    const { host, jar } = browserCookies('co.uk')
    const { log, error, debug } = captureLog()
    checkCookieDomain({ notify: () => {}, log } as never, host, 'www.shop.co.uk')
    expect([error, debug, jar.writes]).toEqual([[], [], []])
  })
})
