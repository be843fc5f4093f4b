// The settings: the script tag's data-* attributes or createTracker's options, checked once.
import type { ApiVersion, OptionFields } from '../api.js'
import { isCookieDomain, isMarket } from '../shared/settings.js'

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

/**
 * The names that the snippet knows on its script tag and in `createTracker`'s options (as
 * `dataset` gives the tag's attributes, camelCased): each setting, with the values it may take
 * where only a few will do (anything else would not do what the shop meant), in the order in
 * which they are checked, the others as 0 (consent is read at run time, where a typo sends
 * nothing); and, as 0 too, the attributes that other
 * scripts read on the tag and that start as one of the snippet's does (Cookiebot's
 * data-cookieconsent; Cloudflare's data-cfasync starts unlike any, and needs no entry). Without
 * a prototype, so that `in` finds these names only.
 */
// clusterHost's values, the cluster id and the hosts of this machine below are src/shared/settings.ts's
// CLUSTER_HOSTS, CLUSTER_ID and LOCAL_HOST written out, which costs this file fewer bytes than an
// import; test/unit/settings.test.ts holds them to the same answers.
export const KNOWN = {
  __proto__: null,
  api: /^v[23]$/,
  clusterHost: /^(api\.esales\.apptus\.cloud|elevate-api\.cloud)$/,
  adImpressions: /^(auto|manual)$/,
  clusterId: 0, market: 0, endpoint: 0, customerKey: 0, sessionKey: 0, cookieDomain: 0, debug: 0, consent: 0, cookieconsent: 0
} as unknown as Record<string, RegExp | 0>

/** A configuration error: the setting's name and the value it has. */
export type ConfigError = [name: string, value: unknown]

/**
 * Checks the settings and builds the notification base URL. `api` is read in any case.
 * @param options - what the shop configured.
 * @param page - the page's URL, against which a relative endpoint resolves.
 * @returns the config, or the setting that is wrong and its value (the words that explain
 *   the fix live in the lazily loaded chunk: only a misconfigured page needs them).
 */
export function resolveConfig(options: Settings, page: string): Config | ConfigError {
  const config = { ...options, api: String(options.api || 'v2').toLowerCase() } as Config & Settings
  for (const name in KNOWN) {
    const value = config[name as keyof Settings]
    const values = KNOWN[name]
    if (values && value != null && !values.test(value as string)) return [name, value]
  }
  const { clusterId, clusterHost, endpoint, market, cookieDomain, api } = config
  // A cookie Domain must be this host or one it belongs to, or the browser drops every key cookie.
  if (cookieDomain != null && !(isCookieDomain(cookieDomain) && ('.' + new URL(page).hostname).endsWith('.' + cookieDomain.replace(/^\./, '').toLowerCase()))) return ['cookieDomain', cookieDomain]
  // The server's rule too: what the page sends, a payment can carry.
  if (!isMarket(market)) return ['market', market]
  // A cluster id must be a DNS label; without one, an endpoint is needed.
  if (clusterId != null ? !/^[a-z\d]([a-z\d-]{0,61}[a-z\d])?$/i.test(clusterId) : endpoint == null) return ['clusterId', clusterId]
  let base = `https://${clusterId}.${clusterHost || 'api.esales.apptus.cloud'}`
  if (endpoint != null) {
    let url: URL | undefined
    try { url = new URL(endpoint, page) } catch {}
    // Plain http only to this machine (RFC 6761: *.localhost is loopback too) or the page's own origin.
    if (!url || !endpoint || url.username || url.password || !(url.protocol == 'https:' ||
        url.protocol == 'http:' && (/^(.+\.)?localhost$|^127\.\d+\.\d+\.\d+$|^\[::1\]$/.test(url.hostname) || page.startsWith(url.origin + '/'))))
      return ['endpoint', endpoint]
    base = url.origin + url.pathname.replace(/\/+$/, '')
  }
  config.base = base + PATHS[api]
  // From the script tag, debug is the data-debug attribute's value: present means on, but for
  // "false", which React's data-debug={false} and Vue's :data-debug="false" render.
  config.debug = config.debug != null && String(config.debug) != 'false'
  return config
}
