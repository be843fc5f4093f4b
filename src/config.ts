// The settings: the script tag's data-* attributes or createTracker's options, checked once.
/** The API generation: `v2` is the seed's path, `v3` the Storefront API that replaces it. */
export type ApiVersion = 'v2' | 'v3'

/** Settings, as `createTracker` takes them; the script tag's `data-*` attributes map onto the same names. */
export interface Options {
  /** eSales cluster id: the notifications go to `https://{clusterId}.api.esales.apptus.cloud`. */
  clusterId?: string
  /** Market id, as in the data feed; required. */
  market?: string
  /** Base URL that replaces the cluster URL (a first-party proxy such as `/esales`, or a local mock). */
  endpoint?: string
  /** `v2` (default) or `v3`. */
  api?: ApiVersion | string
  /** Customer key rendered by the shop's server; wins over stored keys. */
  customerKey?: string
  /** Session key rendered by the shop's server; wins over stored keys. */
  sessionKey?: string
  /** Cookie `Domain`, so that subdomains share the keys (e.g. `.shop.example`). */
  cookieDomain?: string
  /** Logs each decision to the console (`true`; on the script tag, the presence of `data-debug`). */
  debug?: boolean | string
  /** `pending`: store nothing and send nothing until `consent(true)`. */
  consent?: 'pending' | 'granted' | string
  /** `manual`: no automatic ad impressions for `data-esales-ad` elements; call `adImpression` yourself. */
  adImpressions?: 'auto' | 'manual' | string
}

/** Validated settings. */
export interface Config extends Options {
  /** Everything before the notification name, ending in `/notifications/`. */
  base: string
  market: string
  api: ApiVersion
  debug: boolean
}

/** A key eSales accepts and a cookie can hold as is: 1 to 128 characters of `A-Za-z0-9._~:-`. */
export const isSafeToken = (value: unknown): value is string =>
  typeof value == 'string' && /^[\w.~:-]{1,128}$/.test(value)

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
export function resolveConfig(options: Options, page: string): Config | ConfigError {
  const { clusterId, endpoint, market } = options
  const api = (options.api || 'v2') as ApiVersion
  const { adImpressions, consent, cookieDomain } = options
  if (!PATHS[api]) return ['api', api]
  // Anything but these two would track without consent, or not as the shop meant.
  if (consent != null && !/^(pending|granted)$/.test(consent)) return ['consent', consent]
  if (adImpressions != null && !/^(auto|manual)$/.test(adImpressions)) return ['ad-impressions', adImpressions]
  // A cookie Domain must be this host or one it belongs to, or the browser drops every key cookie.
  if (cookieDomain != null && !(/^\.?[a-z\d-]+(\.[a-z\d-]+)*$/i.test(cookieDomain) && ('.' + new URL(page).hostname).endsWith('.' + cookieDomain.replace(/^\./, '').toLowerCase()))) return ['cookie-domain', cookieDomain]
  if (typeof market != 'string' || !market.trim() || market.length > 100) return ['market', market]
  // A cluster id must be a DNS label; without one, an endpoint is needed.
  if (clusterId != null ? !/^[a-z\d]([a-z\d-]{0,61}[a-z\d])?$/i.test(clusterId) : endpoint == null) return ['cluster-id', clusterId]
  let base = `https://${clusterId}.api.esales.apptus.cloud`
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
