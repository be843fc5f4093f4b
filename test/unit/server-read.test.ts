// readKeys: the server's reading of the key cookies, on hostile and odd headers, from every kind
// of source, and against the page's own reading of the same strings.
import { createServer, request as httpRequest, type IncomingMessage } from 'node:http'
import { describe, expect, it } from 'vitest'
import { isSafeToken } from '../../src/page/config'
import { cookieJar } from '../../src/page/storage'
import { readKeys } from '../../src/server/index'

const C = 'apptus.customerKey'
const S = 'apptus.sessionKey'

/** What the snippet would pick from document.cookie = `cookies`, by its own code (cookieJar.read). */
function pageKeys(cookies: string) {
  const read = cookieJar(() => ({ cookie: cookies }), false).read()
  const customerKey = read(C, isSafeToken)
  const sessionKey = read(S, isSafeToken)
  return { ...(customerKey && { customerKey }), ...(sessionKey && { sessionKey }) }
}

/** A seeded PRNG (mulberry32), so that a failure can be run again. */
function prng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

describe('readKeys', () => {
  it('reads both keys from a Cookie header', () => {
    expect(readKeys(`a=1; ${C}=c-1; ${S}=s-1; b=2`)).toEqual({ customerKey: 'c-1', sessionKey: 's-1' })
  })

  it('leaves out a key that is missing, and gives {} for no header at all', () => {
    expect(readKeys(`${S}=s-1`)).toEqual({ sessionKey: 's-1' })
    expect(readKeys('')).toEqual({})
    expect(readKeys(undefined)).toEqual({})
    expect(readKeys(null)).toEqual({})
    expect(readKeys(new Headers())).toEqual({})
    expect(readKeys({ headers: {} })).toEqual({})
  })

  it('gives the last value that passes where a name appears more than once, as the snippet does', () => {
    expect(readKeys(`${C}=first; ${C}=second; ${C}=not a token`)).toEqual({ customerKey: 'second' })
    expect(readKeys(`${C}=c-good; ${C}=%E0%A4%A; ${C}=`)).toEqual({ customerKey: 'c-good' })
  })

  it('percent-decodes, and refuses what is not a safe token after decoding', () => {
    expect(readKeys(`${C}=user%3A42`)).toEqual({ customerKey: 'user:42' })
    expect(readKeys(`${C}=me%40example.com`)).toEqual({})
    expect(readKeys(`${C}=a%20b`)).toEqual({})
    expect(readKeys(`${C}=%E0%A4%A`)).toEqual({})
  })

  it('refuses quoted values, values with spaces and too long ones', () => {
    expect(readKeys(`${C}="c-1"; ${S}=%22s-1%22`)).toEqual({})
    expect(readKeys(`${C}=${'x'.repeat(129)}; ${S}=${'y'.repeat(128)}`)).toEqual({ sessionKey: 'y'.repeat(128) })
  })

  it('matches names case-sensitively and exactly, as browsers do', () => {
    expect(readKeys(`Apptus.CustomerKey=no; APPTUS.SESSIONKEY=no; x${C}=no; ${C}x=no`)).toEqual({})
    expect(readKeys(`apptus.customerkey=no; ${C}=yes`)).toEqual({ customerKey: 'yes' })
  })

  it('takes no value from inside another cookie, and no name with spaces around the =', () => {
    expect(readKeys(`other=x; ${C}; ${C} =c; junk=${C}=c-inner`)).toEqual({})
  })

  it('reads separators without the space, and leading spaces, as non-browser clients write them', () => {
    expect(readKeys(`a=1;${C}=c-1;   ${S}=s-1`)).toEqual({ customerKey: 'c-1', sessionKey: 's-1' })
    expect(readKeys(`  ${C}=c-1`)).toEqual({ customerKey: 'c-1' })
  })

  it('reads a huge header quickly, and finds the last good value in it', () => {
    const junk = Array.from({ length: 20_000 }, (_, i) => `k${i}=${'v'.repeat(40)}`).join('; ')
    const header = `${C}=early; ${junk}; ${C}=${'%'.repeat(5000)}; ${junk}; ${C}=late; ${S}=s`
    expect(header.length).toBeGreaterThan(1_000_000)
    const t0 = performance.now()
    expect(readKeys(header)).toEqual({ customerKey: 'late', sessionKey: 's' })
    expect(performance.now() - t0).toBeLessThan(1000)
  })

  it('reads Headers and Request, and several Cookie headers joined', () => {
    const headers = new Headers([['cookie', `${C}=c-1`], ['cookie', `${S}=s-1`]])
    expect(readKeys(headers)).toEqual({ customerKey: 'c-1', sessionKey: 's-1' })
    expect(readKeys(new Request('http://shop.test/', { headers }))).toEqual({ customerKey: 'c-1', sessionKey: 's-1' })
  })

  it('reads a plain object request, with the header as a string or a list', () => {
    expect(readKeys({ headers: { cookie: `${C}=c-1` } })).toEqual({ customerKey: 'c-1' })
    expect(readKeys({ headers: { cookie: [`${C}=c-1`, `${C}=c-2; ${S}=s`] } })).toEqual({ customerKey: 'c-2', sessionKey: 's' })
  })

  it("reads a plain object's Cookie header in any case", () => {
    expect(readKeys({ headers: { Cookie: `${C}=c-1` } })).toEqual({ customerKey: 'c-1' })
    expect(readKeys({ headers: { COOKIE: [`${S}=s-1`] } })).toEqual({ sessionKey: 's-1' })
    expect(readKeys({ headers: { 'x-cookie': `${C}=no`, Cookie: `${C}=c-2` } })).toEqual({ customerKey: 'c-2' })
  })

  it('refuses what it cannot read with a TypeError that names what it takes; null and undefined give {}', () => {
    for (const source of [42, true, ['a=b'], { headers: 42 }, { headers: null }, () => 'a=b']) {
      expect(() => readKeys(source as never), JSON.stringify(source)).toThrow(TypeError)
    }
    expect(() => readKeys(42 as never)).toThrow(/^esales-snippet\/server: readKeys\(\): takes a Cookie header's value \(a string\), Headers, a Request or a Node request \(an object with headers\), not 42$/)
    expect([readKeys(null), readKeys(undefined), readKeys(''), readKeys({ headers: {} })]).toEqual([{}, {}, {}, {}])
  })

  it("reads a real IncomingMessage, where Node joins repeated Cookie headers with '; '", async () => {
    let seen: IncomingMessage | undefined
    const server = createServer((req, res) => { seen = req; res.end() })
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done))
    const { port } = server.address() as { port: number }
    try {
      await new Promise<void>((done, fail) => {
        // Two Cookie header lines, as HTTP/2 peers and some proxies send them.
        const req = httpRequest({ port, host: '127.0.0.1', path: '/', headers: { cookie: [`${C}=c-1`, `${S}=s-1; ${C}=c-2`] } }, (res) => { res.resume(); res.on('end', done) })
        req.on('error', fail)
        req.end()
      })
      expect(seen!.headers.cookie).toBe(`${C}=c-1; ${S}=s-1; ${C}=c-2`)
      expect(readKeys(seen!)).toEqual({ customerKey: 'c-2', sessionKey: 's-1' })
    } finally {
      await new Promise((done) => server.close(done))
    }
  })
})

describe('readKeys and the snippet pick the same key', () => {
  const hostile = [
    `${C}=c-1; ${S}=s-1`,
    `${C}=a; ${C}=b; ${C}=c`,
    `${C}=good; ${C}=bad value; ${C}=%ZZ`,
    `${C}=user%3A42; ${S}=%2541`,
    `${C}="quoted"; ${S}=plain`,
    `x${C}=no; ${C}x=no; ${C}=yes`,
    `${C}=; ${S}=`,
    `=nameless; junk-without-equals; ${C}=%E0%A4%A; ${C}=ok`,
    `Apptus.customerKey=no; ${C}=${'a'.repeat(128)}; ${S}=${'b'.repeat(129)}`,
    `${C}=a=b; ${S}=s%3Bt`,
    `${C}=ünïcode; ${S}=%F0%9F%9B%92; ${C}=k`,
    ''
  ]
  it.each(hostile)('%s', (cookies) => {
    expect(readKeys(cookies)).toEqual(pageKeys(cookies))
  })

  it('on 5,000 random browser-shaped cookie strings', () => {
    const random = prng(20261129)
    const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!
    const names = [C, S, C, S, 'other', 'Apptus.customerKey', `x${C}`, `${S}x`, '']
    const values = ['c-1', 's-2', 'user%3A42', '%E0%A4%A', '"q"', 'a b', '', 'x'.repeat(128), 'y'.repeat(129), 'me@example.com',
      '%7E~', 'a=b', 'ü', '%2', '0', 'A.b_c~d:e-f', '%41', '+', '%25']
    let withKey = 0
    for (let n = 0; n < 5000; n++) {
      const parts = Array.from({ length: 1 + Math.floor(random() * 8) }, () => {
        const name = pick(names)
        // A part without "=", as document.cookie shows a nameless cookie.
        return random() < 0.05 ? pick(values) : `${name}=${pick(values)}`
      })
      const cookies = parts.join('; ')
      const page = pageKeys(cookies)
      expect(readKeys(cookies), cookies).toEqual(page)
      expect(readKeys(new Headers({ cookie: cookies })), cookies).toEqual(page)
      if (JSON.stringify(page) != '{}') withKey++
    }
    // The strings are not all keyless: most carry a key the rule had to choose.
    expect(withKey).toBeGreaterThan(2500)
  })
})
