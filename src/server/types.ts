// The server entry's public types. Node's request and response are described by what the entry
// uses of them, so that the types need neither @types/node nor Express to compile, and an
// IncomingMessage, an Express request or a test's plain object all fit.

/** The pair of keys that every notification carries (the snippet's `Keys`). */
export interface Keys {
  customerKey: string
  sessionKey: string
}

/**
 * How far the shopper has agreed to be tracked, as the snippet's consent levels name it:
 * - `granted`: both key cookies;
 * - `unpersonalized`: the session cookie only (the customer cookie is removed);
 * - `anonymous`, `denied`, `pending`: no key cookie (those there are removed).
 */
export type ConsentLevel = 'granted' | 'unpersonalized' | 'anonymous' | 'denied' | 'pending'

/**
 * What a shop may give as the consent: a level, or `true` (`granted`) and `false` (`denied`) as
 * the page takes them. A level is read in any case, with spaces around it trimmed; `null` and
 * `undefined` (a first visit, with no consent cookie yet) are `pending`. Anything else is
 * `pending` too, with one `console.error` per distinct value: nothing is tracked by mistake, and
 * no page fails.
 */
export type ConsentSetting = ConsentLevel | boolean

/** A Node request as the entry reads it: `http.IncomingMessage`, Express's `req`, or any object with `headers`. */
export interface NodeRequest {
  headers: Record<string, string | string[] | undefined>
  url?: string | undefined
  method?: string | undefined
  /** Express keeps the full path here when a router is mounted on a prefix. */
  originalUrl?: string | undefined
  /** The connection: a `tls.TLSSocket` (`encrypted: true`) means https. */
  socket?: unknown
}

/** A Node response as the entry writes it: `http.ServerResponse` or Express's `res`. */
export interface NodeResponse {
  statusCode: number
  getHeader(name: string): number | string | string[] | undefined
  setHeader(name: string, value: number | string | readonly string[]): unknown
  end(chunk?: Uint8Array | string): unknown
  /** Express's per-response locals, where the middleware leaves the keys. */
  locals?: Record<string, unknown>
  headersSent?: boolean
}

/** Where `readKeys` finds the cookies: a `Cookie` header's value, `Headers`, a `Request`, or a Node request. */
export type KeySource = string | Headers | Request | NodeRequest | null | undefined

/** The attributes of the key cookies; the snippet's `data-cookie-domain` and the page's scheme. */
export interface CookieOptions {
  /**
   * The cookie `Domain`: the same as the snippet's `data-cookie-domain` (e.g. `shop.example`), or
   * none for host-only cookies. A host name of two labels or more, with an optional leading dot;
   * a single label (`com`, `localhost`) or an IP address is refused.
   */
  domain?: string | undefined
  /**
   * Adds `Secure`, as the snippet does on https pages. `keyCookies` defaults to `true`; the
   * middleware, the wrapper and the proxy default to the request's scheme (https, or an
   * `X-Forwarded-Proto: https` from the proxy in front).
   */
  secure?: boolean | undefined
}

/** `keyCookies` options: the cookie attributes, the consent level and the random source for new keys. */
export interface KeyCookieOptions extends CookieOptions {
  /** What the shopper agreed to; `granted` by default, as the snippet's default. `null` is `pending`. */
  consent?: ConsentSetting | null | undefined
  /** n cryptographically random bytes, for new keys; `crypto.getRandomValues` by default. */
  random?: ((bytes: number) => Uint8Array) | undefined
}

/** What the middleware and the wrapper decided for one request. */
export interface KeyState {
  /** The keys this response's cookies carry: both with `granted`, the session key with `unpersonalized`, none otherwise. */
  keys: Partial<Keys>
  /** The consent level it was decided with (what the callback answered, read as a level). */
  consent: ConsentLevel
}

/** Options of `keysMiddleware` and `withKeyCookies`. */
export interface KeysOptions<R> extends CookieOptions {
  /**
   * The shopper's consent level for this request (from your consent manager's cookie, say);
   * `granted` when not given. `null` or `undefined` (no answer yet) is `pending`, and so is an
   * unexpected answer, with one `console.error` per distinct value.
   */
  consent?: ((request: R) => ConsentSetting | null | undefined | Promise<ConsentSetting | null | undefined>) | undefined
  /** n cryptographically random bytes, for new keys; `crypto.getRandomValues` by default. */
  random?: ((bytes: number) => Uint8Array) | undefined
}

/**
 * The host under which a cluster id answers: `https://{clusterId}.{clusterHost}`. Elevate's
 * documentation shows both; the default is `api.esales.apptus.cloud`, as the snippet's
 * `data-cluster-host`.
 */
export type ClusterHost = 'api.esales.apptus.cloud' | 'elevate-api.cloud'

/**
 * Where the eSales cluster is: its id (`https://{clusterId}.{clusterHost}`, with
 * `api.esales.apptus.cloud` as the default host), or a base URL (a gateway, the local cluster).
 */
export type ClusterTarget =
  | { clusterId: string; clusterHost?: ClusterHost | undefined; endpoint?: undefined }
  | { endpoint: string; clusterId?: undefined; clusterHost?: undefined }

/** One order line of a server-side payment: a variant key (or, where it is not known, a product key), quantity and price. */
export type PaymentLine = ({ variantKey: string; productKey?: undefined } | { productKey: string; variantKey?: undefined }) & {
  /** A whole number of at least 1 (and at most `Number.MAX_SAFE_INTEGER`). */
  quantity: number
  /** The price of one item as sold, a finite number of at least 0. */
  sellingPrice: number
  /** The cost of one item, where you send margins: above 0 and below `sellingPrice`; `null` or none where you do not. */
  cost?: number | null | undefined
}

/** `sendPayment`'s options. */
export type PaymentOptions = ClusterTarget & {
  /**
   * The cluster's admin API key, sent as the `Api-Key` header: Latin-1 without control
   * characters or spaces at either end, as a header carries it. It appears in no error and no log.
   */
  apiKey: string
  /** Market id, as in the data feed: 1 to 100 characters, no spaces at either end, no control characters. */
  market: string
  /** The shopper's keys: `readKeys(request)` of the checkout's request. */
  keys: Partial<Keys>
  /** The order lines. */
  lines: readonly PaymentLine[]
  /** The admin API version: `v3` (default) or `v4`. */
  version?: 'v3' | 'v4' | undefined
  /** Retries after the first attempt (network errors, timeouts, 429, 5xx); 3 by default, at most 10. */
  retries?: number | undefined
  /** Milliseconds that one attempt may take; 10,000 by default. */
  timeout?: number | undefined
  /**
   * The longest wait a `Retry-After` may ask for, in ms; 30,000 by default. Where eSales asks for
   * a longer one, `sendPayment` does not retry sooner than asked: it gives up at once and rejects
   * with the answer's status and a message that says how long eSales asked to wait.
   */
  maxRetryAfter?: number | undefined
  /** `fetch`, or a stand-in. */
  fetch?: typeof fetch | undefined
  /** Waits ms milliseconds between attempts; a timer by default. */
  sleep?: ((ms: number) => Promise<void>) | undefined
  /** The clock, for `Retry-After` dates; `Date.now` by default. */
  now?: (() => number) | undefined
}

/** What `sendPayment` resolves to: the cluster's status (204) and how many requests it took. */
export interface PaymentResult {
  status: number
  attempts: number
}

/** `createProxy`'s options. */
export type ProxyOptions = ClusterTarget & CookieOptions & {
  /** The path the snippet's `data-endpoint` names, without a trailing slash; `/esales` by default (`''` for the root). */
  basePath?: string | undefined
  /** Milliseconds to wait for the cluster; 10,000 by default. */
  timeout?: number | undefined
  /**
   * Whether a 2xx answer renews the key cookies that the notification carries; `true` by
   * default. Pass `false` where your server sets the key cookies itself (`HttpOnly`, or with
   * attributes of its own): a request's cookies carry no attributes, so the proxy would write
   * them back with the snippet's.
   */
  renewCookies?: boolean | undefined
  /** `fetch`, or a stand-in. */
  fetch?: typeof fetch | undefined
}
