import { describe, expect, it } from 'vitest'
import { ATTRIBUTES, COMMANDS, distance, explain, nearest, v3Only } from '../../src/chunks/explain'
import { KNOWN } from '../../src/page/config'

describe('explain', () => {
  it('names the attribute, its value and the fix', () => {
    expect(explain('data-market', 'U\ud800')).toBe('data-market="U\\ud800" is not valid: your market id, as in the data feed (1 to 100 characters of well-formed text, no space at either end), is required.')
    expect(explain('data-api', 'v4')).toBe('data-api="v4" is not valid: use v2 or v3.')
    expect(explain('data-endpoint', 'javascript:alert(1)')).toMatch(/^data-endpoint="javascript:alert\(1\)" is not valid: use an https: URL/)
    expect(explain('data-clusterId', 'a.b')).toMatch(/^data-cluster-id="a.b" is not valid: set data-cluster-id to the cluster id alone/)
    expect(explain('data-clusterHost', 'evil.com')).toBe('data-cluster-host="evil.com" is not valid: use api.esales.apptus.cloud (the default) or elevate-api.cloud.')
    expect(explain('data-ad-impressions', 'sometimes')).toBe('data-ad-impressions="sometimes" is not valid: use auto (the default) or manual.')
  })

  it('names the method, the argument and the fix', () => {
    expect(explain('setCustomerKey', 'me@example.com')).toMatch(/^setCustomerKey\(a string of 14 characters\) refused: .*never an e-mail address \(GDPR\)\.$/)
    // The value itself is never repeated: a console line may reach an error tracker.
    expect(explain('setCustomerKey', 'me@example.com')).not.toContain('example')
    expect(explain('setCustomerKey', 4.5)).toMatch(/^setCustomerKey\(a number\) refused/)
    expect(explain('setCustomerKey', null)).toMatch(/^setCustomerKey\(null\) refused/)
    expect(explain('setCustomerKey', { email: 'jane.doe@example.com' })).toMatch(/^setCustomerKey\(an object\) refused/)
    expect(explain('setCustomerKey', ['jane.doe@example.com'])).toMatch(/^setCustomerKey\(an object\) refused/)
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
    expect(explain('payment', [])).toBe('payment([]) refused: API v3 takes no payments from the page: send them from your server (esales-snippet/server, sendPayment).')
  })

  it('says "missing" for a missing value, not "undefined"', () => {
    expect(explain('data-market', undefined)).toBe('data-market is missing: your market id, as in the data feed (1 to 100 characters of well-formed text, no space at either end), is required.')
    expect(explain('data-market', '')).toMatch(/^data-market is missing: /)
    expect(explain('data-clusterId', undefined)).toMatch(/^data-cluster-id is missing: set data-cluster-id to the cluster id alone/)
  })

  it('names an unknown command and the nearest one', () => {
    expect(explain('command', 'addTocart')).toBe("esales(\"addTocart\") refused: there is no such command; did you mean 'addToCart'?")
    expect(explain('command', 'setCustomerkey')).toMatch(/did you mean 'setCustomerKey'\?$/)
    expect(explain('command', 'track')).toMatch(/^esales\("track"\) refused: there is no such command: use one of click, addToCart, /)
  })

  it('names a misspelt attribute and the one it was meant to be; another script\'s attribute is none of its business', () => {
    expect(explain('attribute', 'markets')).toBe('data-markets is not an attribute of the snippet, and is ignored: did you mean data-market?')
    expect(explain('attribute', 'clusterid')).toMatch(/did you mean data-cluster-id\?$/)
    expect(explain('attribute', 'consnet')).toMatch(/did you mean data-consent\?$/)
    expect(explain('attribute', 'cookieDomian')).toMatch(/did you mean data-cookie-domain\?$/)
    expect(explain('attribute', 'cookieconsent')).toBe('')
    expect(explain('attribute', 'turbo')).toBe('')
  })

  it('explains unpersonalized and anonymous on API v2, which has no userContext', () => {
    expect(explain('data-consent', 'anonymous')).toMatch(/^data-consent="anonymous" is not valid: API v2 has no userContext, so unpersonalized and anonymous need data-api="v3"/)
    expect(explain('consent', 'unpersonalized')).toMatch(/^consent\("unpersonalized"\) refused: API v2 has no userContext.*; what was stored is removed\.$/)
    expect(explain('consent', 'maybe')).toBe('consent("maybe") refused: pass true, false, or one of granted, unpersonalized, anonymous, denied and pending (data-consent takes the same); nothing is sent until one comes.')
  })

  it('knows the same attributes as the main script, and every command of the tracker', () => {
    expect(ATTRIBUTES.map((a) => a.replace(/-(.)/g, (_, c: string) => c.toUpperCase())).sort()).toEqual(Object.keys(KNOWN).filter((name) => name != 'cookieconsent').sort())
    expect(distance('kitten', 'sitting')).toBe(3)
    expect(nearest('markt', ATTRIBUTES)).toBe('market')
    expect(COMMANDS).toContain('consent')
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
