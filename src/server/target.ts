// The cluster's base URL, from a cluster id (and host) or an endpoint, checked where the shop passes it.
import { CLUSTER_HOSTS, CLUSTER_ID } from '../shared/settings.js'
import type { ClusterTarget } from './types.js'

/** The hosts a cluster id answers under, the default first (shared with the page's data-cluster-host). */
export { CLUSTER_HOSTS }

/** A refused target option; `field` names it (`clusterId`, `clusterHost` or `endpoint`). */
export class TargetError extends TypeError {
  /** The option that was refused, for `PaymentError.field`. */
  readonly field: 'clusterId' | 'clusterHost' | 'endpoint'
  constructor(message: string, field: TargetError['field']) {
    super(message)
    this.field = field
  }
}

/**
 * The base URL, without a trailing slash: `https://{clusterId}.{clusterHost}` (with
 * `api.esales.apptus.cloud` by default), or the endpoint (an http(s) URL without credentials; a
 * path is kept, for gateways).
 * @param target - `{ clusterId, clusterHost? }` or `{ endpoint }`.
 * @param where - the function's name, for the message.
 * @throws TargetError that names the option.
 */
export function clusterBase(target: Partial<ClusterTarget>, where: string): string {
  const { clusterId, clusterHost, endpoint } = target
  const refuse = (field: TargetError['field'], why: string) => new TargetError(`esales-snippet/server: ${where}: ${why}`, field)
  if ((clusterId == null) == (endpoint == null)) throw refuse('clusterId', 'give clusterId or endpoint (one of them)')
  // Checked as the page checks data-cluster-host: one of two exact names, so that a cluster id never goes to another host.
  if (clusterHost != null && !CLUSTER_HOSTS.includes(clusterHost as never)) {
    throw refuse('clusterHost', `clusterHost must be ${CLUSTER_HOSTS[0]} (the default) or ${CLUSTER_HOSTS[1]}, not ${JSON.stringify(clusterHost) ?? String(clusterHost)}`)
  }
  if (clusterId != null) {
    if (typeof clusterId != 'string' || !CLUSTER_ID.test(clusterId)) throw refuse('clusterId', `clusterId must be the cluster's id (a DNS label such as w1A2B3C4D), not ${JSON.stringify(clusterId)}`)
    return `https://${clusterId}.${clusterHost ?? CLUSTER_HOSTS[0]}`
  }
  // An endpoint is the whole base URL: a host beside it would be ignored, which is never what was meant.
  if (clusterHost != null) throw refuse('clusterHost', 'clusterHost goes with clusterId; an endpoint is the whole base URL')
  let url: URL | undefined
  try { url = new URL(String(endpoint)) } catch {}
  if (!url || !/^https?:$/.test(url.protocol) || url.username || url.password || url.search || url.hash) {
    throw refuse('endpoint', 'endpoint must be an http(s) URL without credentials, query or fragment, such as http://127.0.0.1:8081')
  }
  return url.origin + url.pathname.replace(/\/+$/, '')
}
