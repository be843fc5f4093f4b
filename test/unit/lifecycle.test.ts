// watchPage reads the page's globals by design (addEventListener, document): they are stubbed,
// and each test imports a fresh module, since it watches once per page.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { Page } from '../../src/chunks/defaults'
import type { Entry } from '../../src/page/outbox'
import { captureLog, memoryStore } from './fakes'

async function load() {
  const lifecycle = await import('../../src/chunks/lifecycle')
  const deliver = await import('../../src/chunks/deliver')
  const outbox = await import('../../src/page/outbox')
  return { ...lifecycle, ...deliver, ...outbox }
}

function browser() {
  const handlers: [string, string, () => void][] = []
  const doc = { visibilityState: 'visible', addEventListener: (type: string, fn: () => void) => { handlers.push(['document', type, fn]) } }
  vi.stubGlobal('document', doc)
  vi.stubGlobal('addEventListener', (type: string, fn: () => void) => { handlers.push(['window', type, fn]) })
  const fire = (where: string, type: string) => { for (const [w, t, fn] of handlers) if (w == where && t == type) fn() }
  return { doc, handlers, fire }
}

const ctxOf = (storage = memoryStore().store): Page => ({ notify: () => {}, storage, now: () => 0, online: () => true, log: captureLog().log })
const e = (id: string, over: Partial<Entry> = {}): Entry => ({ id, url: `https://c/${id}`, body: '{}', t: 1, ...over })

beforeEach(() => { vi.resetModules() })
afterEach(() => { vi.unstubAllGlobals() })

describe('watchPage', () => {
  it('on pagehide: drops what is handed over, hands over what was never tried with a keepalive fetch, keeps what another tab claimed', async () => {
    const { fire } = browser()
    const fetch = vi.fn(() => new Promise<Response>(() => {}))
    vi.stubGlobal('fetch', fetch)
    const { watchPage, handedOver, OUTBOX } = await load()
    const { store } = memoryStore()
    store.set(OUTBOX, JSON.stringify([e('wire', { claim: ['me', 99] }), e('mine', { claim: ['me', 99], tries: 1 }), e('theirs', { claim: ['other', 99] }), e('later', { due: 50 }), e('free')]))
    const due = (x: Entry, now: number) => (!x.claim || x.claim[0] == 'me' || x.claim[1] <= now) && (x.due || 0) <= now
    watchPage(ctxOf(store), 'me', () => {}, due)
    handedOver.set('wire', {})
    try {
      fire('window', 'pagehide')
    } finally {
      handedOver.delete('wire')
    }
    // 'mine' failed once before: it waits for its next turn, within the bound on tries.
    expect(fetch.mock.calls.map((c) => (c as unknown[])[0])).toEqual(['https://c/free'])
    expect(JSON.parse(store.get(OUTBOX)!)).toEqual([e('mine', { tries: 1 }), e('theirs', { claim: ['other', 99] }), e('later', { due: 50 })])
  })

  it('on pagehide offline: hands nothing over, releases this tab\'s claims only', async () => {
    const { fire } = browser()
    const fetch = vi.fn()
    vi.stubGlobal('fetch', fetch)
    const { watchPage, OUTBOX } = await load()
    const { store } = memoryStore()
    store.set(OUTBOX, JSON.stringify([e('mine', { claim: ['me', 99], tries: 1 }), e('theirs', { claim: ['other', 99] }), e('free')]))
    watchPage({ ...ctxOf(store), online: () => false }, 'me', () => {}, () => true)
    fire('window', 'pagehide')
    expect(fetch).not.toHaveBeenCalled()
    expect(JSON.parse(store.get(OUTBOX)!)).toEqual([e('mine', { tries: 1 }), e('theirs', { claim: ['other', 99] }), e('free')])
  })

  it('sends the outbox again when the page becomes visible, not when it is hidden', async () => {
    const { doc, fire } = browser()
    const { watchPage } = await load()
    const flush = vi.fn()
    watchPage(ctxOf(), 'me', flush, () => true)
    doc.visibilityState = 'hidden'
    fire('document', 'visibilitychange')
    expect(flush).not.toHaveBeenCalled()
    doc.visibilityState = 'visible'
    fire('document', 'visibilitychange')
    expect(flush).toHaveBeenCalledTimes(1)
  })

  it('watches once per page', async () => {
    const { handlers } = browser()
    const { watchPage } = await load()
    watchPage(ctxOf(), 'me', () => {}, () => true)
    watchPage(ctxOf(), 'me', () => {}, () => true)
    expect(handlers.map(([w, t]) => `${w} ${t}`)).toEqual(['window pagehide', 'document visibilitychange', 'window online'])
  })

  it('does nothing where there is no document, and watches once one is there', async () => {
    const { watchPage } = await load()
    expect(() => watchPage(ctxOf(), 'me', () => {}, () => true)).not.toThrow()
    const { handlers } = browser()
    watchPage(ctxOf(), 'me', () => {}, () => true)
    expect(handlers).toHaveLength(3)
  })

  it('never throws into the page from its handlers', async () => {
    const { fire } = browser()
    const { watchPage } = await load()
    const broken = { ...ctxOf(), storage: { get: () => { throw new Error('x') }, set: () => { throw new Error('x') }, remove: () => {}, names: () => { throw new Error('x') } } }
    watchPage(broken, 'me', () => { throw new Error('flush failed') }, () => true)
    expect(() => fire('window', 'pagehide')).not.toThrow()
    expect(() => fire('document', 'visibilitychange')).not.toThrow()
  })
})
