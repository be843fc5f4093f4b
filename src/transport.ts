import type { Logger } from './log'

/** What the lazily loaded chunk (`esales-fallback.js`) exports. */
export interface FallbackModule {
  /** Sends with ky (fetch): retries network errors and 5xx, never 4xx. */
  send(url: string, body: string, log: Logger): Promise<void>
}

/** Sends one notification; returns at once and never throws. */
export type Send = (url: string, body: string) => void

/** The eSales notification URL, every value URL-encoded. */
export function notificationUrl(base: string, name: string, market: string, keys: { customerKey: string; sessionKey: string }): string {
  const q = (v: string) => encodeURIComponent(v)
  return `${base}${name}?customerKey=${q(keys.customerKey)}&market=${q(market)}&sessionKey=${q(keys.sessionKey)}`
}

/**
 * The transport: `navigator.sendBeacon` with a `text/plain;charset=utf-8` Blob (a CORS-safelisted
 * type, so no preflight, and it survives page unload); when the beacon is missing or refused
 * (it returns false past the 64 KiB keepalive quota), ky from the lazily loaded chunk.
 * @param nav - `navigator`, or a stand-in.
 * @param load - loads the fallback chunk; called at most once, and at once when there is no beacon.
 * @param log - the logger.
 */
export function createTransport(nav: Partial<Navigator> | undefined, load: () => Promise<FallbackModule>, log: Logger): Send {
  let chunk: Promise<FallbackModule> | undefined
  const fallback = () => (chunk ||= load().catch((e) => {
    chunk = undefined
    throw e
  }))
  const beacon = () => nav && typeof nav.sendBeacon == 'function'
  if (!beacon()) fallback().catch(() => {})

  return (url, body) => {
    try {
      if (beacon() && nav!.sendBeacon!(url, new Blob([body], { type: 'text/plain;charset=utf-8' }))) {
        log.debug('beacon', url, body)
        return
      }
    } catch {}
    log.debug('no beacon: fetch', url)
    fallback().then((m) => m.send(url, body, log)).catch((e) => log.debug('fetch failed', e))
  }
}
