// The cluster's base URL, from a cluster id or an endpoint, checked where the shop passes it.
import type { ClusterTarget } from './types.js'

// A cluster id is a DNS label (the snippet's data-cluster-id checks the same).
const CLUSTER_ID = /^[a-z\d]([a-z\d-]{0,61}[a-z\d])?$/i

/**
 * The base URL, without a trailing slash: `https://{clusterId}.api.esales.apptus.cloud`, or the
 * endpoint (an http(s) URL without credentials; a path is kept, for gateways).
 * @param target - `{ clusterId }` or `{ endpoint }`.
 * @param where - the function's name, for the message.
 * @throws TypeError that names the option.
 */
export function clusterBase(target: Partial<ClusterTarget>, where: string): string {
  const { clusterId, endpoint } = target
  if ((clusterId == null) == (endpoint == null)) throw new TypeError(`esales-snippet/server: ${where}: give clusterId or endpoint (one of them)`)
  if (clusterId != null) {
    if (typeof clusterId != 'string' || !CLUSTER_ID.test(clusterId)) throw new TypeError(`esales-snippet/server: ${where}: clusterId must be the cluster's id (a DNS label such as w1A2B3C4D), not ${JSON.stringify(clusterId)}`)
    return `https://${clusterId}.api.esales.apptus.cloud`
  }
  let url: URL | undefined
  try { url = new URL(String(endpoint)) } catch {}
  if (!url || !/^https?:$/.test(url.protocol) || url.username || url.password || url.search || url.hash) {
    throw new TypeError(`esales-snippet/server: ${where}: endpoint must be an http(s) URL without credentials, query or fragment, such as http://127.0.0.1:8081`)
  }
  return url.origin + url.pathname.replace(/\/+$/, '')
}
