import { describe, expect, it, vi } from 'vitest'
import { createLogger } from '../../src/log'
import { createTransport, notificationUrl, type FallbackModule } from '../../src/transport'
import { uuid } from '../../src/uuid'

const quiet = createLogger(false, console)
const flush = () => new Promise((r) => setTimeout(r, 0))

describe('notificationUrl', () => {
  it('puts the keys and market in the query, URL-encoded, in the documented order', () => {
    expect(notificationUrl('https://c.example/api/v2/notifications/', 'click', 'UK & IE', { customerKey: 'c:1', sessionKey: 's/2' }))
      .toBe('https://c.example/api/v2/notifications/click?customerKey=c%3A1&market=UK%20%26%20IE&sessionKey=s%2F2')
  })
})

describe('createTransport', () => {
  const fallback = () => {
    const sent: [string, string][] = []
    const module: FallbackModule = { send: async (url, body) => { sent.push([url, body]) } }
    return { sent, load: vi.fn(async () => module) }
  }

  it('sends a text/plain;charset=utf-8 Blob with sendBeacon and does not load ky', async () => {
    const { sent, load } = fallback()
    const beacons: [string, Blob][] = []
    const send = createTransport({ sendBeacon: (url: string | URL, data?: BodyInit | null) => (beacons.push([String(url), data as Blob]), true) }, load, quiet)
    send('https://c/x', '{"ticket":"T"}')
    await flush()
    expect(beacons).toHaveLength(1)
    expect(beacons[0]![1].type).toBe('text/plain;charset=utf-8')
    expect(await beacons[0]![1].text()).toBe('{"ticket":"T"}')
    expect(load).not.toHaveBeenCalled()
    expect(sent).toEqual([])
  })

  it('falls back to ky when the beacon is refused', async () => {
    const { sent, load } = fallback()
    const send = createTransport({ sendBeacon: () => false }, load, quiet)
    send('https://c/x', 'B')
    await flush()
    expect(sent).toEqual([['https://c/x', 'B']])
  })

  it('falls back to ky when sendBeacon throws', async () => {
    const { sent, load } = fallback()
    const send = createTransport({ sendBeacon: () => { throw new TypeError('Illegal invocation') } }, load, quiet)
    send('https://c/x', 'B')
    await flush()
    expect(sent).toEqual([['https://c/x', 'B']])
  })

  it('loads ky at once when there is no sendBeacon, and only once', async () => {
    const { sent, load } = fallback()
    const send = createTransport({}, load, quiet)
    expect(load).toHaveBeenCalledTimes(1)
    send('u1', 'a')
    send('u2', 'b')
    await flush()
    expect(load).toHaveBeenCalledTimes(1)
    expect(sent).toEqual([['u1', 'a'], ['u2', 'b']])
  })

  it('tries to load the chunk again after a failed load', async () => {
    const { sent } = fallback()
    let fail = true
    const load = vi.fn(async (): Promise<FallbackModule> => {
      if (fail) throw new TypeError('Failed to fetch dynamically imported module')
      return { send: async (url, body) => { sent.push([url, body]) } }
    })
    const send = createTransport(undefined, load, quiet)
    send('u1', 'a')
    await flush()
    fail = false
    send('u2', 'b')
    await flush()
    expect(sent).toEqual([['u2', 'b']])
  })
})

describe('uuid', () => {
  it('makes RFC 9562 version-4 UUIDs from the random bytes it is given', () => {
    const ids = new Set(Array.from({ length: 200 }, () => uuid((n) => crypto.getRandomValues(new Uint8Array(n)))))
    expect(ids.size).toBe(200)
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
  })
  it('fixes the version and variant whatever the bytes; each other digit is a byte XOR a constant, so stays uniform', () => {
    expect(uuid((n) => new Uint8Array(n))).toBe('10000000-1000-4000-8000-100000000000')
    expect(uuid((n) => new Uint8Array(n).fill(255))).toBe('efffffff-efff-4fff-bfff-efffffffffff')
  })
})
