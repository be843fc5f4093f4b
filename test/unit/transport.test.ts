import { describe, expect, it, vi } from 'vitest'
import { createLogger } from '../../src/log'
import { OUTBOX, readOutbox } from '../../src/outbox'
import { webStore } from '../../src/storage'
import { notificationUrl, send, type Context, type FallbackModule } from '../../src/transport'
import { uuid } from '../../src/uuid'

const flush = () => new Promise((r) => setTimeout(r, 0))

function memoryStorage() {
  const data = new Map<string, string>()
  return webStore(() => ({ getItem: (k: string) => data.get(k) ?? null, setItem: (k: string, v: string) => void data.set(k, v), removeItem: (k: string) => void data.delete(k) }) as unknown as Storage)
}

let next = 0
const id = () => `id-${++next}`

function setup(online = true) {
  const sent: string[] = []
  const module = { send: async (entry: string) => { sent.push(entry) } } as unknown as FallbackModule
  const load = vi.fn(async () => module)
  const ctx: Context = { storage: memoryStorage(), log: createLogger(false, console), online: () => online, notify: () => {}, api: 'v2' }
  return { sent, load, ctx }
}

describe('notificationUrl', () => {
  it('puts the keys and market in the query, URL-encoded, in the documented order', () => {
    expect(notificationUrl('https://c.example/api/v2/notifications/', 'click', 'UK & IE', { customerKey: 'c:1', sessionKey: 's/2' }))
      .toBe('https://c.example/api/v2/notifications/click?customerKey=c%3A1&market=UK%20%26%20IE&sessionKey=s%2F2')
  })
})

describe('send', () => {
  it('sends the body as a string with sendBeacon (text/plain;charset=UTF-8) and does not load ky', async () => {
    const { sent, load, ctx } = setup()
    const beacons: [string, unknown][] = []
    send({ sendBeacon: (url: string | URL, data?: BodyInit | null) => (beacons.push([String(url), data]), true) }, load, ctx, id)('https://c/x', '{"ticket":"T"}')
    await flush()
    expect(beacons).toEqual([['https://c/x', '{"ticket":"T"}']])
    expect(load).not.toHaveBeenCalled()
    expect(sent).toEqual([])
    expect(readOutbox(ctx.storage)).toEqual([])
  })

  it('sends no body at all for a notification without one (end)', () => {
    const { load, ctx } = setup()
    const data: unknown[] = []
    send({ sendBeacon: (_url: string | URL, body?: BodyInit | null) => (data.push(body), true) }, load, ctx, id)('https://c/end')
    expect(data).toEqual([undefined])
  })

  it.each([
    ['the beacon is refused', { sendBeacon: () => false }],
    ['sendBeacon throws', { sendBeacon: () => { throw new TypeError('Illegal invocation') } }],
    ['there is no sendBeacon', {}],
    ['there is no navigator', undefined]
  ])('keeps the notification in the outbox at once and hands it to the chunk when %s', async (_name, nav) => {
    const { sent, load, ctx } = setup()
    send(nav as Partial<Navigator> | undefined, load, ctx, () => 'E1')('https://c/x', 'B')
    // Kept before anything asynchronous: a navigation right after the click loses nothing.
    expect(readOutbox(ctx.storage).map((e) => [e.id, e.url, e.body])).toEqual([['E1', 'https://c/x', 'B']])
    await flush()
    expect(sent).toEqual(['E1'])
  })

  it('does not trust a beacon while offline (it would be accepted, then lost)', async () => {
    const { sent, load, ctx } = setup(false)
    const beacon = vi.fn(() => true)
    send({ sendBeacon: beacon }, load, ctx, () => 'E2')('https://c/x', 'B')
    await flush()
    expect(beacon).not.toHaveBeenCalled()
    expect(sent).toEqual(['E2'])
  })

  it('keeps notifications in the outbox when the chunk cannot load, appending to what is there', async () => {
    const { ctx } = setup(false)
    const load = async (): Promise<FallbackModule> => { throw new TypeError('Failed to fetch dynamically imported module') }
    const post = send(undefined, load, ctx, id)
    post('https://c/1', '{"ticket":"A"}')
    post('https://c/2')
    await flush()
    expect(readOutbox(ctx.storage).map((e) => [e.url, e.body])).toEqual([['https://c/1', '{"ticket":"A"}'], ['https://c/2', undefined]])
    expect(ctx.storage.get(OUTBOX)).toMatch(/^\[\{.*\}\]$/)
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
