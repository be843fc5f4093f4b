// The settings: the script tag's data-* attributes or createTracker's options, checked once.
import type { ApiVersion, OptionFields } from '../api.js'

export type { ApiVersion, OptionFields }

/** Settings as they come, before the check: the script tag's attributes are any strings. */
export type Settings = { [K in keyof OptionFields]?: OptionFields[K] | string }

/** Validated settings. */
export interface Config extends OptionFields {
  /** Everything before the notification name, ending in `/notifications/`. */
  base: string
  market: string
  api: ApiVersion
  debug: boolean
}

export { isSafeToken } from '../shared/token.js'

const PATHS: Record<ApiVersion, string> = {
  v2: '/api/v2/notifications/',
  v3: '/api/storefront/v3/notifications/'
}

/** A configuration error: the attribute (without `data-`) and the value it has. */
export type ConfigError = [attribute: string, value: unknown]

/**
 * Checks the settings and builds the notification base URL.
 * @param options - what the shop configured.
 * @param page - the page's URL, against which a relative endpoint resolves.
 * @returns the config, or the attribute that is wrong and its value (the words that explain
 *   the fix live in the lazily loaded chunk: only a misconfigured page needs them).
 */
export function resolveConfig(options: Settings, page: string): Config | ConfigError {
  const { clusterId, endpoint, market } = options
  const api = (options.api || 'v2') as ApiVersion
  const { adImpressions, consent, cookieDomain, clusterHost } = options
  if (!PATHS[api]) return ['api', api]
  // Anything else would track without consent, or not as the shop meant; API v2 has no
  // userContext for the levels between.
  if (consent != null && !(api == 'v3' ? /^(pending|denied|anonymous|unpersonalized|granted)$/ : /^(pending|denied|granted)$/).test(consent)) return ['consent', consent]
  if (clusterHost != null && !/^(api\.esales\.apptus\.cloud|elevate-api\.cloud)$/.test(clusterHost)) return ['cluster-host', clusterHost]
  if (adImpressions != null && !/^(auto|manual)$/.test(adImpressions)) return ['ad-impressions', adImpressions]
  // A cookie Domain must be this host or one it belongs to, or the browser drops every key cookie.
  if (cookieDomain != null && !(/^\.?[a-z\d-]+(\.[a-z\d-]+)*$/i.test(cookieDomain) && ('.' + new URL(page).hostname).endsWith('.' + cookieDomain.replace(/^\./, '').toLowerCase()))) return ['cookie-domain', cookieDomain]
  if (typeof market != 'string' || !market.trim() || market.length > 100) return ['market', market]
  // A lone surrogate cannot be URL-encoded (encodeURIComponent throws URIError).
  try { encodeURIComponent(market) } catch { return ['market', market] }
  // A cluster id must be a DNS label; without one, an endpoint is needed.
  if (clusterId != null ? !/^[a-z\d]([a-z\d-]{0,61}[a-z\d])?$/i.test(clusterId) : endpoint == null) return ['cluster-id', clusterId]
  let base = `https://${clusterId}.${clusterHost || 'api.esales.apptus.cloud'}`
  if (endpoint != null) {
    let url: URL | undefined
    try { url = new URL(endpoint, page) } catch {}
    if (!url || !endpoint || url.username || url.password || !(url.protocol == 'https:' ||
        url.protocol == 'http:' && (/^(localhost|127\.0\.0\.1|\[::1\])$/.test(url.hostname) || page.startsWith(url.origin + '/'))))
      return ['endpoint', endpoint]
    base = url.origin + url.pathname.replace(/\/+$/, '')
  }
  // From the script tag, debug is the data-debug attribute's value: present means on.
  return { ...options, base: base + PATHS[api], api, debug: options.debug != null && options.debug !== false } as Config
}
