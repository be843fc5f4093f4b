import { afterEach, describe, expect, it, vi } from 'vitest'
import { call, forget } from '../../src/chunks/calls'
import type { ApiVersion } from '../../src/page/config'
import type { Logger } from '../../src/page/log'
import { OUTBOX, readOutbox, writeOutbox } from '../../src/page/outbox'
import type { ChunkCall, Context } from '../../src/page/transport'
import { blockedStore, captureLog, memoryStore } from './fakes'

/** A stand-in context: the page's notify, API generation and a log that keeps its lines. */
function setup(api?: ApiVersion) {
  const sent: [string, string | undefined][] = []
  const { log, error, debug } = captureLog()
  const ctx: Context & { log: Logger } = { api, notify: (name, body) => { sent.push([name, body]) }, log }
  return { ctx, sent, error, debug }
}

afterEach(() => {
  vi.useRealTimers()
  vi.restoreAllMocks()
})

const LINES = [{ variantKey: 'V1', quantity: 2, sellingPrice: 9.5 }]

describe('call', () => {
  it('records the notification with the keys it was given (those of the moment the call was made)', () => {
    const got: unknown[] = []
    const keys = { customerKey: 'c-then', sessionKey: 's-then' }
    call('adImpression', 'T-AD', { api: 'v3', notify: (...args) => { got.push(args) } }, keys)
    expect(got).toEqual([['ad-impression', '{"ticket":"T-AD"}', keys]])
  })

  it.each<[ChunkCall, unknown, string, string, ApiVersion[]]>([
    ['addFavorite', 'P1', 'add-favorite', '{"productKey":"P1"}', ['v2', 'v3']],
    ['addFavorite', { variantKey: 'V1' }, 'add-favorite', '{"variantKey":"V1"}', ['v2', 'v3']],
    ['removeFavorite', { productKey: 'P"1' }, 'remove-favorite', '{"productKey":"P\\"1"}', ['v2', 'v3']],
    ['payment', LINES, 'payment', JSON.stringify({ lines: LINES }), ['v2']],
    ['removeRecentSearches', ['dress', 'red jacket'], 'remove-recent-searches', '{"phrases":["dress","red jacket"]}', ['v2', 'v3']],
    ['removeRecentSearches', 'removeAll', 'remove-recent-searches', '{"removeAll":true}', ['v2', 'v3']],
    ['removeRecentlyViewed', ['P1', 'P2'], 'remove-recently-viewed', '{"productKeys":["P1","P2"]}', ['v3']],
    ['removeRecentlyViewed', 'removeAll', 'remove-recently-viewed', '{"removeAll":true}', ['v3']],
    ['adImpression', 'T-AD', 'ad-impression', '{"ticket":"T-AD"}', ['v3']]
  ])('%s(%j) notifies %s with %s', (method, arg, name, body, apis) => {
    for (const api of apis) {
      const { ctx, sent, error } = setup(api)
      call(method, arg, ctx)
      expect(sent, api).toEqual([[name, body]])
      expect(error).toEqual([])
    }
  })

  it('refuses payment on API v3, and sends nothing', () => {
    const { ctx, sent, error } = setup('v3')
    call('payment', LINES, ctx)
    expect(sent).toEqual([])
    expect(error).toEqual(['payment([{"variantKey":"V1","quantity":2,"sellingPrice":9.5}]) refused: API v3 takes no payments from the page: send them from your server (esales-snippet/server, sendPayment).'])
  })

  it('refuses removeRecentlyViewed and adImpression on API v2, whatever the argument, and sends nothing', () => {
    const { ctx, sent, error } = setup('v2')
    call('removeRecentlyViewed', ['P1'], ctx)
    call('adImpression', 'T', ctx)
    call('adImpression', '', ctx)
    expect(sent).toEqual([])
    expect(error).toEqual([
      'removeRecentlyViewed() refused: API v2 has no remove-recently-viewed notification: it is Storefront API v3 only (data-api="v3").',
      'adImpression() refused: API v2 has no ad-impression notification: it is Storefront API v3 only (data-api="v3").',
      'adImpression() refused: API v2 has no ad-impression notification: it is Storefront API v3 only (data-api="v3").'
    ])
  })

  it.each<[ChunkCall, unknown, RegExp]>([
    ['addFavorite', {}, /^addFavorite\(\{\}\) refused: pass a product key/],
    ['addFavorite', '', /^addFavorite\(""\) refused/],
    ['removeFavorite', { variantKey: 5 }, /^removeFavorite\(\{"variantKey":5\}\) refused/],
    ['removeRecentSearches', [], /^removeRecentSearches\(\[\]\) refused: pass a non-empty array of search phrases/],
    ['removeRecentSearches', ['ok', 3], /^removeRecentSearches\(\["ok",3\]\) refused/],
    ['removeRecentSearches', 'all', /^removeRecentSearches\("all"\) refused/],
    ['removeRecentlyViewed', [' '], /^removeRecentlyViewed\(\[" "\]\) refused: pass a non-empty array of product keys/],
    ['adImpression', '', /^adImpression\(""\) refused: pass the sponsored item's ticket/],
    ['adImpression', { ticket: 'T' }, /^adImpression\(\{"ticket":"T"\}\) refused/],
    ['payment', [{ variantKey: 'V', quantity: -1, sellingPrice: 1 }], /^payment refused: line 0: quantity must be a whole number of at least 1, not -1\.$/],
    ['payment', [], /^payment refused: lines must be a non-empty array/]
  ])('refuses %s(%j) with an error, and sends nothing', (method, arg, message) => {
    // On the API that has the notification: the argument is what is refused.
    const { ctx, sent, error } = setup(method == 'removeRecentlyViewed' || method == 'adImpression' ? 'v3' : 'v2')
    call(method, arg, ctx)
    expect(sent).toEqual([])
    expect(error).toHaveLength(1)
    expect(error[0]).toMatch(message)
  })

  it('logs through the console with the esales: prefix where the context passes no log', () => {
    const out = vi.spyOn(console, 'error').mockImplementation(() => {})
    const sent: string[] = []
    call('addFavorite', {}, { api: 'v2', notify: (name) => { sent.push(name) } })
    expect(sent).toEqual([])
    expect(out).toHaveBeenCalledWith(expect.stringMatching(/^esales: addFavorite\(\{\}\) refused: /))
  })
})

describe('forget', () => {
  it('removes the outbox and every appended entry, also one kept in memory', () => {
    const { store, data } = memoryStore({ [OUTBOX]: '[]', [`${OUTBOX}:A`]: '1 https://c/a', 'esales.keys': '{}' })
    forget({ notify: () => {}, storage: store })
    expect([...data.keys()]).toEqual(['esales.keys'])
    writeOutbox(blockedStore(), [{ id: 'M', url: 'https://c/m', t: 1 }])
    forget({ notify: () => {}, storage: blockedStore() })
    expect(readOutbox(blockedStore())).toEqual([])
  })
})
