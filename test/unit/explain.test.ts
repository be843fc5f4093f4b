import { describe, expect, it } from 'vitest'
import { explain, v3Only } from '../../src/chunks/explain'

describe('explain', () => {
  it('names the attribute, its value and the fix', () => {
    expect(explain('data-market', '')).toBe('data-market="" is not valid: required: your market id, as in the data feed (1 to 100 characters of well-formed text).')
    expect(explain('data-api', 'v4')).toBe('data-api="v4" is not valid: use v2 or v3.')
    expect(explain('data-endpoint', 'javascript:alert(1)')).toMatch(/^data-endpoint="javascript:alert\(1\)" is not valid: use an https: URL/)
    expect(explain('data-cluster-id', undefined)).toMatch(/^data-cluster-id=undefined is not valid: set data-cluster-id to the cluster id alone/)
    expect(explain('data-ad-impressions', 'sometimes')).toBe('data-ad-impressions="sometimes" is not valid: use auto (the default) or manual.')
  })

  it('names the method, the argument and the fix', () => {
    expect(explain('setCustomerKey', 'me@example.com')).toMatch(/^setCustomerKey\("me@example.com"\) refused: .*never an e-mail address \(GDPR\)\.$/)
    expect(explain('click', '')).toBe('click("") refused: pass the ticket, a non-empty string.')
    expect(explain('addToCart', 5)).toBe('addToCart(5) refused: pass the ticket, a non-empty string.')
    expect(explain('addFavorite', {})).toMatch(/^addFavorite\(\{\}\) refused: pass a product key/)
    expect(explain('removeFavorite', null)).toMatch(/^removeFavorite\(null\) refused: pass a product key/)
  })

  it('has the words for the new methods', () => {
    expect(explain('removeRecentSearches', [])).toBe("removeRecentSearches([]) refused: pass a non-empty array of search phrases (non-empty strings), or 'removeAll'.")
    expect(explain('removeRecentSearches', ['ok', 3])).toMatch(/^removeRecentSearches\(\["ok",3\]\) refused/)
    expect(explain('removeRecentlyViewed', [' '])).toBe(`removeRecentlyViewed([" "]) refused: pass a non-empty array of product keys (non-empty strings), or 'removeAll'.`)
    expect(explain('adImpression', '')).toBe(`adImpression("") refused: pass the sponsored item's ticket, a non-empty string.`)
    expect(explain('adImpression', { ticket: 'T' })).toMatch(/^adImpression\(\{"ticket":"T"\}\) refused/)
    expect(explain('payment', 'v3')).toBe('payment("v3") refused: API v3 takes no client-side payments: notify them from your server.')
  })

  it('points to the README for a method it has no words for', () => {
    expect(explain('teleport', 1)).toBe('teleport(1) refused: see the README.')
  })

  it('shows a value JSON cannot hold', () => {
    const circular: Record<string, unknown> = {}
    circular.self = circular
    expect(explain('click', circular)).toMatch(/^click\(\[object Object\]\) refused/)
    expect(explain('click', undefined)).toMatch(/^click\(undefined\) refused/)
    expect(explain('click', () => {})).toMatch(/^click\(\(\) => \{\}\) refused/)
    expect(explain('click', 10n)).toMatch(/^click\(10\) refused/)
  })
})

describe('v3Only', () => {
  it('says that a method exists in Storefront API v3 only', () => {
    expect(v3Only('removeRecentlyViewed')).toBe('removeRecentlyViewed() refused: API v2 has no remove-recently-viewed notification: it is Storefront API v3 only (data-api="v3").')
    expect(v3Only('adImpression')).toBe('adImpression() refused: API v2 has no ad-impression notification: it is Storefront API v3 only (data-api="v3").')
  })
  it('says that sponsored items need API v3, without parentheses', () => {
    expect(v3Only('ads')).toBe('ads refused: sponsored items (data-esales-ad) need Storefront API v3 (data-api="v3"), which has the ad-impression notification; no impressions are sent.')
  })
})
