import { describe, expect, it } from 'vitest'
import { isSafeToken, resolveConfig } from '../../src/page/config'

const PAGE = 'https://shop.example/products'

describe('resolveConfig', () => {
  it('builds the v2 cluster URL from a cluster id', () => {
    expect(resolveConfig({ clusterId: 'w1A2B3C4D', market: 'UK' }, PAGE)).toMatchObject({
      base: 'https://w1A2B3C4D.api.esales.apptus.cloud/api/v2/notifications/', market: 'UK', api: 'v2', debug: false
    })
  })

  it('builds the v3 path', () => {
    expect(resolveConfig({ clusterId: 'w1', market: 'UK', api: 'v3' }, PAGE)).toMatchObject({
      base: 'https://w1.api.esales.apptus.cloud/api/storefront/v3/notifications/'
    })
  })

  it.each([
    ['/esales', 'https://shop.example/esales/api/v2/notifications/'],
    ['/esales/', 'https://shop.example/esales/api/v2/notifications/'],
    ['https://proxy.example/x//', 'https://proxy.example/x/api/v2/notifications/'],
    ['http://localhost:8081', 'http://localhost:8081/api/v2/notifications/'],
    ['http://127.0.0.1:9', 'http://127.0.0.1:9/api/v2/notifications/'],
    ['http://[::1]:9', 'http://[::1]:9/api/v2/notifications/']
  ])('accepts the endpoint %s', (endpoint, base) => {
    expect(resolveConfig({ endpoint, market: 'UK' }, PAGE)).toMatchObject({ base })
  })

  it('accepts plain http for a same-origin endpoint on an http page', () => {
    expect(resolveConfig({ endpoint: '/esales', market: 'UK' }, 'http://shop.example/')).toMatchObject({ base: 'http://shop.example/esales/api/v2/notifications/' })
  })

  it.each([
    ['javascript:alert(1)'], ['data:text/plain,x'], ['https://u:p@proxy.example'], ['https://u@proxy.example'],
    ['http://esales.example'], ['http://shop.example.evil.com/'], ['ftp://x.example'], [''], ['//evil.example/x']
  ])('refuses the endpoint %j', (endpoint) => {
    expect(resolveConfig({ endpoint, market: 'UK' }, 'http://shop.example/')).toEqual(['endpoint', endpoint])
  })

  it.each([['evil.com/x'], ['a.b'], [''], ['a'.repeat(64)], ['-abc'], ['abc-'], ['a b']])('refuses the cluster id %j', (clusterId) => {
    expect(resolveConfig({ clusterId, market: 'UK' }, PAGE)).toEqual(['clusterId', clusterId])
  })

  it('accepts a 63-character cluster id', () => {
    expect(typeof resolveConfig({ clusterId: 'a'.repeat(63), market: 'UK' }, PAGE)).toBe('object')
  })

  it.each([[undefined], [''], ['   '], ['M'.repeat(101)], ['UK\ud800'], ['\udc00UK'], [' UK'], ['UK '], ['U\u0000K'], ['U\u200bK'], [42]])('refuses the market %j (the server\'s sendPayment has the same rule)', (market) => {
    expect(resolveConfig({ clusterId: 'w1', market: market as string }, PAGE)).toEqual(['market', market])
  })

  it.each([['UK'], ['M'.repeat(100)], ['Sverige Stockholm'], ['é']])('takes the market %j', (market) => {
    expect(resolveConfig({ clusterId: 'w1', market }, PAGE)).toMatchObject({ market })
  })

  it('needs a cluster id or an endpoint', () => {
    expect(resolveConfig({ market: 'UK' }, PAGE)).toEqual(['clusterId', undefined])
  })

  it('refuses unknown API versions', () => {
    expect(resolveConfig({ clusterId: 'w1', market: 'UK', api: 'v4' }, PAGE)).toEqual(['api', 'v4'])
  })
})

describe('the other settings', () => {
  it('passes the consent level through as given: the tracker reads it at run time, where a value that is no level sends nothing', () => {
    for (const consent of ['granted', 'Pending ', 'anonymous', 'yes']) {
      expect(resolveConfig({ clusterId: 'w1', market: 'UK', consent }, PAGE)).toMatchObject({ consent })
    }
  })

  it('data-cluster-host chooses Elevate\'s newer host, with the same cluster-id check; the default stays', () => {
    expect(resolveConfig({ clusterId: 'w1', market: 'UK', api: 'v3', clusterHost: 'elevate-api.cloud' }, PAGE)).toMatchObject({ base: 'https://w1.elevate-api.cloud/api/storefront/v3/notifications/' })
    expect(resolveConfig({ clusterId: 'w1', market: 'UK', clusterHost: 'api.esales.apptus.cloud' }, PAGE)).toMatchObject({ base: 'https://w1.api.esales.apptus.cloud/api/v2/notifications/' })
    for (const clusterHost of ['evil.com', 'elevate-api.cloud.evil.com', '', 'ELEVATE-API.CLOUD ']) {
      expect(resolveConfig({ clusterId: 'w1', market: 'UK', clusterHost }, PAGE)).toEqual(['clusterHost', clusterHost])
    }
    expect(resolveConfig({ clusterId: 'evil.com/x', market: 'UK', clusterHost: 'elevate-api.cloud' }, PAGE)).toEqual(['clusterId', 'evil.com/x'])
  })

  it.each([['shop.example'], ['.shop.example'], ['SHOP.example']])('takes the cookie domain %j on shop.example', (cookieDomain) => {
    expect(resolveConfig({ clusterId: 'w1', market: 'UK', cookieDomain }, PAGE)).toMatchObject({ cookieDomain })
    expect(resolveConfig({ clusterId: 'w1', market: 'UK', cookieDomain }, 'https://www.shop.example/p')).toMatchObject({ cookieDomain })
  })

  it.each([['other.example'], ['hop.example'], ['shop.example;path=/deep'], ['shop.example/x'], ['www.shop.example'], ['example'], ['-shop.example'], ['shop-.example']])('refuses the cookie domain %j on shop.example (the browser would drop every key cookie)', (cookieDomain) => {
    expect(resolveConfig({ clusterId: 'w1', market: 'UK', cookieDomain }, PAGE)).toEqual(['cookieDomain', cookieDomain])
  })

  it.each([['manul'], [''], ['off'], ['AUTO']])('refuses the ad-impressions mode %j', (adImpressions) => {
    expect(resolveConfig({ clusterId: 'w1', market: 'UK', adImpressions }, PAGE)).toEqual(['adImpressions', adImpressions])
  })

  it('passes adImpressions, consent, cookieDomain and the preset keys through as given', () => {
    const options = { clusterId: 'w1', market: 'UK', adImpressions: 'manual', consent: 'pending', cookieDomain: '.shop.example', customerKey: 'c', sessionKey: 's' }
    expect(resolveConfig(options, PAGE)).toMatchObject({ adImpressions: 'manual', consent: 'pending', cookieDomain: '.shop.example', customerKey: 'c', sessionKey: 's' })
    expect(resolveConfig({ clusterId: 'w1', market: 'UK' }, PAGE)).not.toHaveProperty('adImpressions')
  })
})

describe('debug', () => {
  it('is on for true and for a data-debug attribute of any value but "false" (React\'s data-debug={false}, Vue\'s :data-debug="false"), off when absent or false', () => {
    const debug = (value: unknown) => (resolveConfig({ clusterId: 'w1', market: 'UK', debug: value as boolean }, PAGE) as { debug: boolean }).debug
    expect([debug(true), debug(''), debug('true'), debug('1'), debug(undefined), debug(false), debug('false')]).toEqual([true, true, true, true, false, false, false])
  })
})

describe('isSafeToken', () => {
  it.each([['e3921377-18a2-47c9-a449-06b894898623'], ['a'], ['A.b_c~d:e-f'], ['x'.repeat(128)]])('accepts %j', (v) => {
    expect(isSafeToken(v)).toBe(true)
  })
  it.each([[''], ['x'.repeat(129)], ['a b'], ['a@b.com'], ['a;b'], ['å'], [42], [null], [undefined]])('refuses %j', (v) => {
    expect(isSafeToken(v)).toBe(false)
  })
})
