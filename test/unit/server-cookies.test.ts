// keyCookies, keysMiddleware (Node http and Express) and withKeyCookies: the key cookies with
// the snippet's attributes, as far as the shopper's consent allows.
import express from 'express'
import { describe, expect, it } from 'vitest'
import { IDLE_MS } from '../../src/page/identity'
import { keyCookies, keysMiddleware, readKeys, withKeyCookies, type ConsentLevel, type KeyState } from '../../src/server/index'
import { listen, parseSetCookies, UUID } from './server-fixtures'

const C = 'apptus.customerKey'
const S = 'apptus.sessionKey'

describe('keyCookies', () => {
  it("writes both cookies with the snippet's attributes: a year and 30 minutes, Path=/, SameSite=Lax, Secure, never HttpOnly", () => {
    expect(keyCookies({ customerKey: 'c-1', sessionKey: 's-1' })).toEqual([
      `${C}=c-1; Max-Age=31536000; Path=/; SameSite=Lax; Secure`,
      `${S}=s-1; Max-Age=${IDLE_MS / 1000}; Path=/; SameSite=Lax; Secure`
    ])
    expect(keyCookies({ customerKey: 'c-1', sessionKey: 's-1' }).join()).not.toMatch(/httponly/i)
  })

  it('takes the Domain (as data-cookie-domain), and leaves Secure out for plain http', () => {
    const cookies = parseSetCookies(keyCookies({ customerKey: 'c', sessionKey: 's' }, { domain: 'shop.example', secure: false }))
    expect(cookies[C]).toEqual({ value: 'c', attributes: { 'max-age': '31536000', path: '/', samesite: 'Lax', domain: 'shop.example' } })
    expect(cookies[S]!.attributes.domain).toBe('shop.example')
    expect(parseSetCookies(keyCookies({}, { domain: '.shop.example' }))[C]!.attributes.domain).toBe('.shop.example')
  })

  it('makes new keys (UUID v4) for those missing, from the random source given', () => {
    const made = parseSetCookies(keyCookies())
    expect(made[C]!.value).toMatch(UUID)
    expect(made[S]!.value).toMatch(UUID)
    expect(made[C]!.value).not.toBe(made[S]!.value)
    const zeros = parseSetCookies(keyCookies({ customerKey: 'c' }, { random: (n) => new Uint8Array(n) }))
    expect([zeros[C]!.value, zeros[S]!.value]).toEqual(['c', '10000000-1000-4000-8000-100000000000'])
  })

  it('gives the removal values below granted: unpersonalized keeps the session cookie, the others none', () => {
    const keys = { customerKey: 'c', sessionKey: 's' }
    const at = (consent: ConsentLevel) => keyCookies(keys, { consent, secure: false })
    expect(at('granted')).toEqual([`${C}=c; Max-Age=31536000; Path=/; SameSite=Lax`, `${S}=s; Max-Age=1800; Path=/; SameSite=Lax`])
    expect(at('unpersonalized')).toEqual([`${C}=; Max-Age=0; Path=/; SameSite=Lax`, `${S}=s; Max-Age=1800; Path=/; SameSite=Lax`])
    for (const consent of ['anonymous', 'denied', 'pending'] as const) {
      expect(at(consent)).toEqual([`${C}=; Max-Age=0; Path=/; SameSite=Lax`, `${S}=; Max-Age=0; Path=/; SameSite=Lax`])
    }
    // A removal must name the Domain that the cookie was set with.
    expect(keyCookies(keys, { consent: 'denied', domain: 'shop.example' })[0]).toBe(`${C}=; Max-Age=0; Path=/; SameSite=Lax; Secure; Domain=shop.example`)
  })

  it('removes a host-only copy beside the Domain cookie, where a domain is set', () => {
    const keys = { customerKey: 'c', sessionKey: 's' }
    expect(keyCookies(keys, { consent: 'denied', domain: 'shop.example' })).toEqual([
      `${C}=; Max-Age=0; Path=/; SameSite=Lax; Secure; Domain=shop.example`, `${C}=; Max-Age=0; Path=/; SameSite=Lax; Secure`,
      `${S}=; Max-Age=0; Path=/; SameSite=Lax; Secure; Domain=shop.example`, `${S}=; Max-Age=0; Path=/; SameSite=Lax; Secure`
    ])
    expect(keyCookies(keys, { consent: 'unpersonalized', domain: '.shop.example', secure: false })).toEqual([
      `${C}=; Max-Age=0; Path=/; SameSite=Lax; Domain=.shop.example`, `${C}=; Max-Age=0; Path=/; SameSite=Lax`,
      `${S}=s; Max-Age=1800; Path=/; SameSite=Lax; Domain=.shop.example`
    ])
    // Cookies that are kept are written with the Domain only: a host-only removal there would be a second cookie to no end.
    expect(keyCookies(keys, { domain: 'shop.example' })).toHaveLength(2)
  })

  it('refuses keys that are not safe tokens without repeating them, and a bad domain', () => {
    expect(() => keyCookies({ customerKey: 'me@example.com' })).toThrow(/^esales-snippet\/server: keyCookies\(\): keys\.customerKey must be a safe token/)
    expect(() => keyCookies({ customerKey: 'me@example.com' })).not.toThrow(/me@example/)
    expect(() => keyCookies({ sessionKey: 's\r\nSet-Cookie: x=1' })).toThrow(/keys\.sessionKey/)
    expect(() => keyCookies({}, { domain: 'shop.example; HttpOnly' })).toThrow(/domain must be a host name/)
  })

  it('takes a domain of two labels or more, with a leading dot or not, and refuses a single label, an IP address and a label with a hyphen at either end', () => {
    for (const domain of ['shop.example', '.shop.example', 'SHOP.Example', 'www.shop-1.example', 'xn--bcher-kva.example', '1.2.3.example']) {
      expect(parseSetCookies(keyCookies({}, { domain }))[C]!.attributes.domain, domain).toBe(domain)
    }
    for (const domain of ['com', '.com', 'localhost', '127.0.0.1', '10.0.0.1', '-bad-.com', 'bad-.com', 'shop..example', 'shop.example.', '[::1]', 'shop_x.example', '']) {
      expect(() => keyCookies({}, { domain }), domain).toThrow(/^esales-snippet\/server: keyCookies\(\): domain must be a host name of two labels or more such as shop\.example/)
    }
    expect(() => keysMiddleware({ domain: 'com' })).toThrow(/keysMiddleware\(\): domain must be a host name of two labels or more .+ not "com"$/)
  })

  it('takes true and false and the levels in any case, trimmed; fails closed to pending on anything else, saying so once per value', () => {
    const keys = { customerKey: 'c', sessionKey: 's' }
    const names = (consent: unknown) => keyCookies(keys, { consent: consent as ConsentLevel, secure: false }).map((c) => c.split(';')[0]!)
    const errors = captureErrors()
    try {
      expect(names(true)).toEqual([`${C}=c`, `${S}=s`])
      expect(names(' Granted ')).toEqual([`${C}=c`, `${S}=s`])
      expect(names('UNPERSONALIZED')).toEqual([`${C}=`, `${S}=s`])
      for (const consent of [false, 'Denied', '\tanonymous\n', 'PENDING', null]) expect(names(consent), String(consent)).toEqual([`${C}=`, `${S}=`])
      expect(errors.lines).toEqual([])
      for (let i = 0; i < 2; i++) expect(names('yes-keycookies')).toEqual([`${C}=`, `${S}=`])
      expect(errors.lines).toEqual([
        'esales-snippet/server: keyCookies(): consent is "yes-keycookies", which is not a consent level (granted, unpersonalized, anonymous, denied, pending, true or false): it was treated as pending, so no key cookie is set and those present are removed'
      ])
    } finally {
      errors.restore()
    }
  })
})

/** console.error's lines while it is replaced; restore() puts it back. */
function captureErrors(): { lines: string[]; restore: () => void } {
  const original = console.error
  const lines: string[] = []
  console.error = (...parts: unknown[]) => { lines.push(parts.map(String).join(' ')) }
  return { lines, restore: () => { console.error = original } }
}

/** GETs a URL with a Cookie header; gives the status, the Set-Cookie values and the body. */
async function get(url: string, cookie?: string, headers: Record<string, string> = {}) {
  const res = await fetch(url, { headers: { ...(cookie ? { cookie } : {}), ...headers } })
  return { status: res.status, setCookie: res.headers.getSetCookie(), body: await res.text(), cacheControl: res.headers.get('cache-control'), vary: res.headers.get('vary') }
}

describe('keysMiddleware in plain Node http', () => {
  it("sets both cookies on a new visitor's first page, and gives the handler the same keys", async () => {
    const keys = keysMiddleware()
    const server = await listen(async (req, res) => {
      const state = await keys(req, res)
      res.end(JSON.stringify(state))
    })
    try {
      const first = await get(server.url + '/')
      const state = JSON.parse(first.body) as KeyState
      expect(state.consent).toBe('granted')
      expect(state.keys.customerKey).toMatch(UUID)
      const cookies = parseSetCookies(first.setCookie)
      expect(cookies[C]!.value).toBe(state.keys.customerKey)
      expect(cookies[S]!.value).toBe(state.keys.sessionKey)
      // Over plain http, no Secure: the snippet on that page writes none either.
      expect(cookies[C]!.attributes.secure).toBeUndefined()

      // The next page carries them back, and they are renewed, not replaced.
      const cookie = `${C}=${state.keys.customerKey}; ${S}=${state.keys.sessionKey}`
      const second = await get(server.url + '/', cookie)
      expect(JSON.parse(second.body).keys).toEqual(state.keys)
      expect(parseSetCookies(second.setCookie)[C]!.value).toBe(state.keys.customerKey)
    } finally {
      await server.close()
    }
  })

  it('adds Secure behind a proxy that says https, and keeps Set-Cookie values set before it', async () => {
    const keys = keysMiddleware({ domain: 'shop.example' })
    const server = await listen(async (req, res) => {
      res.setHeader('set-cookie', 'cart=1; Path=/')
      await keys(req, res)
      res.end()
    })
    try {
      const { setCookie } = await get(server.url + '/', `${C}=c; ${S}=s`, { 'x-forwarded-proto': 'https' })
      expect(setCookie[0]).toBe('cart=1; Path=/')
      expect(setCookie.slice(1)).toEqual(keyCookies({ customerKey: 'c', sessionKey: 's' }, { domain: 'shop.example', secure: true }))
    } finally {
      await server.close()
    }
  })

  it('follows the consent callback: removes what is not allowed and creates nothing it does not allow', async () => {
    let level: ConsentLevel = 'granted'
    const seen: unknown[] = []
    const keys = keysMiddleware({ consent: async (req) => { seen.push(req.url); return level } })
    const server = await listen(async (req, res) => { res.end(JSON.stringify(await keys(req, res))) })
    try {
      const both = `${C}=c; ${S}=s`
      level = 'unpersonalized'
      let r = await get(server.url + '/u', both)
      expect(JSON.parse(r.body)).toEqual({ keys: { sessionKey: 's' }, consent: 'unpersonalized' })
      expect(r.setCookie).toEqual([`${C}=; Max-Age=0; Path=/; SameSite=Lax`, `${S}=s; Max-Age=1800; Path=/; SameSite=Lax`])
      // A new visitor under unpersonalized gets a session cookie only, and no removal of what it never had.
      r = await get(server.url + '/u')
      expect(Object.keys(parseSetCookies(r.setCookie))).toEqual([S])
      for (const consent of ['anonymous', 'denied', 'pending'] as const) {
        level = consent
        r = await get(server.url + '/' + consent, both)
        expect(JSON.parse(r.body)).toEqual({ keys: {}, consent })
        expect(r.setCookie).toEqual([`${C}=; Max-Age=0; Path=/; SameSite=Lax`, `${S}=; Max-Age=0; Path=/; SameSite=Lax`])
        // Without key cookies, nothing at all: no tracking cookie is created, not even to remove one.
        r = await get(server.url + '/' + consent)
        expect(r.setCookie).toEqual([])
      }
      expect(seen).toEqual(['/u', '/u', '/anonymous', '/anonymous', '/denied', '/denied', '/pending', '/pending'])
    } finally {
      await server.close()
    }
  })

  it('rejects when the consent callback fails, and sets no cookie', async () => {
    const res = { statusCode: 200, headers: {} as Record<string, unknown>, getHeader(n: string) { return this.headers[n] as string }, setHeader(n: string, v: unknown) { this.headers[n] = v }, end() {} }
    await expect(keysMiddleware({ consent: () => { throw new Error('consent store down') } })({ headers: {} }, res)).rejects.toThrow('consent store down')
    expect(res.headers).toEqual({})
  })

  it('removes a key cookie that the level does not allow whatever its value: an e-mail address, a quoted or empty value', async () => {
    let level: ConsentLevel = 'anonymous'
    const keys = keysMiddleware({ consent: () => level })
    const server = await listen(async (req, res) => { res.end(JSON.stringify(await keys(req, res))) })
    try {
      const removeBoth = [`${C}=; Max-Age=0; Path=/; SameSite=Lax`, `${S}=; Max-Age=0; Path=/; SameSite=Lax`]
      for (const consent of ['anonymous', 'denied', 'pending'] as const) {
        level = consent
        for (const cookie of [`${C}=me%40example.com; ${S}=s-1`, `${C}="c-1"; ${S}=`, `${C}=a b; ${S}=me@example.com`]) {
          const r = await get(server.url + '/', cookie)
          expect([consent, cookie, r.setCookie]).toEqual([consent, cookie, removeBoth])
          expect(JSON.parse(r.body).keys).toEqual({})
        }
      }
      // unpersonalized: the customer cookie goes whatever it holds; an unsafe session cookie is replaced by a new key.
      level = 'unpersonalized'
      const r = await get(server.url + '/', `${C}=me%40example.com; ${S}=me%40example.com`)
      const cookies = parseSetCookies(r.setCookie)
      expect(cookies[C]).toEqual({ value: '', attributes: { 'max-age': '0', path: '/', samesite: 'Lax' } })
      expect(cookies[S]!.value).toMatch(UUID)
      // Another cookie whose name merely contains the key cookie's is not one.
      level = 'denied'
      expect((await get(server.url + '/', `x${C}=1; ${S}x=2`)).setCookie).toEqual([])
    } finally {
      await server.close()
    }
  })

  it("removes the host-only copies too where a domain is set (a proxy's, or an older page's)", async () => {
    const keys = keysMiddleware({ domain: 'shop.example', consent: () => 'denied' })
    const server = await listen(async (req, res) => { res.end(JSON.stringify(await keys(req, res))) })
    try {
      // The browser sends both copies of each; the response removes each copy.
      const r = await get(server.url + '/', `${C}=host-only; ${S}=s-h; ${C}=c-1; ${S}=s-1`)
      expect(r.setCookie).toEqual([
        `${C}=; Max-Age=0; Path=/; SameSite=Lax; Domain=shop.example`, `${C}=; Max-Age=0; Path=/; SameSite=Lax`,
        `${S}=; Max-Age=0; Path=/; SameSite=Lax; Domain=shop.example`, `${S}=; Max-Age=0; Path=/; SameSite=Lax`
      ])
    } finally {
      await server.close()
    }
  })

  it('marks a response with key cookies private, where it says nothing of caching yet, and leaves the others alone', async () => {
    let level: ConsentLevel = 'granted'
    const keys = keysMiddleware({ consent: () => level })
    const server = await listen(async (req, res) => {
      if (req.url == '/cached') res.setHeader('cache-control', 'no-store')
      await keys(req, res)
      res.end('page')
    })
    try {
      // A new visitor's keys, renewed keys, and removals alike: each is one shopper's.
      let r = await get(server.url + '/')
      expect([r.setCookie.length, r.cacheControl, r.vary]).toEqual([2, 'private', null])
      r = await get(server.url + '/', `${C}=c; ${S}=s`)
      expect(r.cacheControl).toBe('private')
      expect((await get(server.url + '/cached')).cacheControl).toBe('no-store')
      level = 'denied'
      expect((await get(server.url + '/', `${C}=c`)).cacheControl).toBe('private')
      // No key cookie written: the page's caching is the shop's own.
      r = await get(server.url + '/')
      expect([r.setCookie, r.cacheControl]).toEqual([[], null])
    } finally {
      await server.close()
    }
  })

  it('refuses a bad domain, and a consent that is not a function, when it is made', () => {
    expect(() => keysMiddleware({ domain: 'https://shop.example' })).toThrow(/^esales-snippet\/server: keysMiddleware\(\): domain must be a host name/)
    expect(() => keysMiddleware({ consent: 'denied' as never })).toThrow(/^esales-snippet\/server: keysMiddleware\(\): consent must be a function/)
  })
})

describe('keysMiddleware in Express', () => {
  it('sets the cookies on the page, puts the keys in res.locals.esales, and leaves static files alone', async () => {
    const app = express()
    app.get('/asset.css', (_req, res) => { res.type('css').send('a{}') })
    app.use(keysMiddleware({ consent: (req) => (req.query.consent as ConsentLevel) || 'granted' }))
    app.get('/', (_req, res) => {
      // Express's res.cookie appends beside the middleware's cookies.
      res.cookie('cart', '1')
      res.json(res.locals.esales)
    })
    const server = await listen(app)
    try {
      const page = await get(server.url + '/', `${C}=c-express`)
      const state = JSON.parse(page.body) as KeyState
      expect(state.keys.customerKey).toBe('c-express')
      expect(state.keys.sessionKey).toMatch(UUID)
      expect(Object.keys(parseSetCookies(page.setCookie))).toEqual([C, S, 'cart'])
      expect((await get(server.url + '/asset.css')).setCookie).toEqual([])
      const denied = await get(server.url + '/?consent=denied', `${C}=c-express`)
      expect(JSON.parse(denied.body)).toEqual({ keys: {}, consent: 'denied' })
      expect(denied.setCookie.slice(0, 1)).toEqual([`${C}=; Max-Age=0; Path=/; SameSite=Lax`])
    } finally {
      await server.close()
    }
  })

  it("fails closed on a consent callback's unexpected answer: true, any case, spaces, undefined and null serve the page; anything else is pending, logged once", async () => {
    let answer: unknown
    const app = express()
    app.use(keysMiddleware({ consent: () => answer as ConsentLevel }))
    app.get('/', (_req, res) => { res.json(res.locals.esales) })
    const server = await listen(app)
    const errors = captureErrors()
    try {
      const both = `${C}=c-1; ${S}=s-1`
      const cases: [unknown, ConsentLevel][] = [[true, 'granted'], ['Granted', 'granted'], [' granted', 'granted'], ['granted\n', 'granted'], [false, 'denied'],
        ['Unpersonalized', 'unpersonalized'], [' ANONYMOUS ', 'anonymous'], ['Pending', 'pending'], [undefined, 'pending'], [null, 'pending']]
      for (const [value, level] of cases) {
        answer = value
        const r = await get(server.url + '/', both)
        expect([value, r.status, JSON.parse(r.body).consent]).toEqual([value, 200, level])
      }
      expect(errors.lines).toEqual([])
      for (const value of ['yes-express', 1, { level: 'granted' }, 'yes-express', 'grant ed']) {
        answer = value
        const r = await get(server.url + '/', both)
        expect([value, r.status, JSON.parse(r.body), r.setCookie]).toEqual([value, 200, { keys: {}, consent: 'pending' },
          [`${C}=; Max-Age=0; Path=/; SameSite=Lax`, `${S}=; Max-Age=0; Path=/; SameSite=Lax`]])
      }
      // One line per distinct value, each saying it was treated as pending.
      expect(errors.lines).toHaveLength(4)
      for (const line of errors.lines) expect(line).toMatch(/^esales-snippet\/server: keysMiddleware\(\): consent\(request\) returned .+ treated as pending/)
      expect(errors.lines[0]).toContain('returned "yes-express", which is not a consent level')
      expect(errors.lines[2]).toContain('returned an object,')
    } finally {
      errors.restore()
      await server.close()
    }
  })

  it("passes a consent callback's error to Express's error handler", async () => {
    const app = express()
    app.use(keysMiddleware({ consent: () => Promise.reject(new Error('no consent store')) }))
    app.get('/', (_req, res) => { res.send('page') })
    app.use((error: Error, _req: express.Request, res: express.Response, _next: express.NextFunction) => { res.status(503).send(error.message) })
    const server = await listen(app)
    try {
      expect(await get(server.url + '/')).toMatchObject({ status: 503, setCookie: [], body: 'no consent store' })
    } finally {
      await server.close()
    }
  })
})

describe('withKeyCookies (web-standard)', () => {
  it("gives the handler the keys and adds their cookies to its response, with the handler's other arguments", async () => {
    const handler = withKeyCookies(async (request: Request, state, context: { params: { id: string } }) =>
      new Response(JSON.stringify({ ...state, id: context.params.id, url: request.url }), { headers: { 'set-cookie': 'cart=1' } }))
    const res = await handler(new Request('https://shop.example/p', { headers: { cookie: `${C}=c-web` } }), { params: { id: '7' } })
    const body = await res.json()
    expect(body).toMatchObject({ consent: 'granted', id: '7', url: 'https://shop.example/p', keys: { customerKey: 'c-web' } })
    expect(body.keys.sessionKey).toMatch(UUID)
    const cookies = parseSetCookies(res.headers.getSetCookie())
    expect(Object.keys(cookies)).toEqual(['cart', C, S])
    // An https request gets Secure, as the snippet's cookies on that page have.
    expect(cookies[C]!.attributes.secure).toBe(true)
    expect(cookies[S]!.value).toBe(body.keys.sessionKey)
  })

  it('follows consent, and copies a response whose headers cannot change (a redirect)', async () => {
    const handler = withKeyCookies(() => Response.redirect('http://shop.test/next', 302), { consent: () => 'unpersonalized', domain: 'shop.test' })
    const res = await handler(new Request('http://shop.test/', { headers: { cookie: `${C}=c; ${S}=s` } }))
    expect(res.status).toBe(302)
    expect(res.headers.get('location')).toBe('http://shop.test/next')
    expect(res.headers.getSetCookie()).toEqual([`${C}=; Max-Age=0; Path=/; SameSite=Lax; Domain=shop.test`, `${C}=; Max-Age=0; Path=/; SameSite=Lax`,
      `${S}=s; Max-Age=1800; Path=/; SameSite=Lax; Domain=shop.test`])
  })

  it('fails closed on an unexpected consent, and removes an unsafe key cookie the level does not allow', async () => {
    const errors = captureErrors()
    try {
      for (const [value, level] of [[true, 'granted'], [' Denied ', 'denied'], [undefined, 'pending'], ['oui-web', 'pending']] as const) {
        const handler = withKeyCookies((_r, state) => new Response(state.consent), { consent: () => value as ConsentLevel })
        const res = await handler(new Request('http://shop.test/', { headers: { cookie: `${C}=me%40example.com` } }))
        expect([value, await res.text()]).toEqual([value, level])
        if (level != 'granted') expect(res.headers.getSetCookie()).toEqual([`${C}=; Max-Age=0; Path=/; SameSite=Lax`])
      }
      expect(errors.lines).toEqual([expect.stringMatching(/^esales-snippet\/server: withKeyCookies\(\): consent\(request\) returned "oui-web", .+ treated as pending/)])
    } finally {
      errors.restore()
    }
  })

  it("marks a response with key cookies private where the handler said nothing of caching, and keeps the handler's own", async () => {
    const keys = { headers: { cookie: `${C}=c; ${S}=s` } }
    let level: ConsentLevel = 'granted'
    const page = withKeyCookies((request: Request) => new Response('page', request.url.endsWith('/cached') ? { headers: { 'cache-control': 'max-age=60' } } : {}), { consent: () => level })
    let res = await page(new Request('http://shop.test/'))
    expect([res.headers.getSetCookie().length, res.headers.get('cache-control'), res.headers.get('vary')]).toEqual([2, 'private', null])
    expect((await page(new Request('http://shop.test/cached'))).headers.get('cache-control')).toBe('max-age=60')
    // A response whose headers cannot change is copied, and marked.
    const redirect = withKeyCookies(() => Response.redirect('http://shop.test/next', 302))
    expect((await redirect(new Request('http://shop.test/'))).headers.get('cache-control')).toBe('private')
    level = 'denied'
    expect((await page(new Request('http://shop.test/', keys))).headers.get('cache-control')).toBe('private')
    res = await page(new Request('http://shop.test/'))
    expect([res.headers.getSetCookie(), res.headers.get('cache-control')]).toEqual([[], null])
  })

  it('reads the same keys that readKeys reads', async () => {
    const request = new Request('http://shop.test/', { headers: { cookie: `${C}=old; ${C}=new; ${S}=%73-1` } })
    const handler = withKeyCookies((_r, { keys }) => new Response(JSON.stringify(keys)))
    expect(await (await handler(request)).json()).toEqual(readKeys(request))
  })
})
