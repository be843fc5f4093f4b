import { describe, expect, it } from 'vitest'
import { resolveConfig } from '../../src/page/config'
import { CLUSTER_HOSTS, CLUSTER_ID, LOCAL_HOST } from '../../src/shared/settings'

// The page writes these rules out in its own check (every byte of it is on every shop page); the
// server imports them. Both must give the same answers.
const PAGE = 'https://shop.example/products'
const takes = (options: Record<string, string>) => !Array.isArray(resolveConfig({ market: 'UK', ...options }, PAGE))

describe('the page checks as the shared rules do', () => {
  it('cluster ids', () => {
    for (const id of ['w1A2B3C4D', 'a', 'a-b', 'a'.repeat(63), 'a'.repeat(64), '-a', 'a-', 'a.b', 'a_b', 'evil.com/x', 'ä', ' a']) {
      expect(takes({ clusterId: id }), id).toBe(CLUSTER_ID.test(id))
    }
  })

  it('cluster hosts', () => {
    for (const host of [...CLUSTER_HOSTS, 'evil.com', 'elevate-api.cloud.evil.com', 'API.esales.apptus.cloud', '']) {
      expect(takes({ clusterId: 'w1', clusterHost: host }), host).toBe((CLUSTER_HOSTS as readonly string[]).includes(host))
    }
  })

  it('hosts of this machine, where plain http may go', () => {
    for (const host of ['localhost', 'cluster.localhost', 'a.b.localhost', '127.0.0.1', '127.8.9.10', '[::1]', 'localhost.shop.example', '128.0.0.1', '10.0.0.1', 'shop.example']) {
      expect(takes({ endpoint: `http://${host}:8081` }), host).toBe(LOCAL_HOST.test(host))
    }
  })
})
