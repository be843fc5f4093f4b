import type { Logger } from './log'
import { keep } from './outbox'
import type { Store } from './storage'

/** What the fallback chunk needs from the page. */
export interface Context {
  storage: Store
  log: Logger
  /** False when the browser says it is offline. */
  online: () => boolean
  /** Sends a notification with this page's keys, as the click listener does. */
  notify: (name: string, body?: string) => void
  /** The configured API generation. */
  api: 'v2' | 'v3'
}

/** What the lazily loaded chunk (`esales-fallback.js`) exports. */
export interface FallbackModule {
  /** Sends the outbox entry with this id with ky; it leaves the outbox once delivered or refused. */
  send(id: string, ctx: Context): Promise<void>
  /** Sends what the outbox holds (other tabs' claimed entries excepted). */
  flush(ctx: Context): Promise<void>
  /** Runs an API call that the main script leaves to the chunk: favorites and payments. */
  run(method: 'addFavorite' | 'removeFavorite' | 'payment', arg: unknown, ctx: Context): void
  /** Sends add- or remove-favorite for a toggle with data-esales-favorite, by its state once the click is done. */
  favorite(el: Element, productKey: string, ctx: Context): void
  /** The message for a bad attribute (`data-…`) or a refused call. */
  explain(what: string, value: unknown): string
}

/** The eSales notification URL, every value URL-encoded. */
export function notificationUrl(base: string, name: string, market: string, keys: { customerKey: string; sessionKey: string }): string {
  const q = encodeURIComponent
  return `${base}${name}?customerKey=${q(keys.customerKey)}&market=${q(market)}&sessionKey=${q(keys.sessionKey)}`
}

/**
 * Sends one notification; returns at once and never throws. First `navigator.sendBeacon` with a
 * string body, sent as `text/plain;charset=UTF-8` (a CORS-safelisted type, so no preflight; it
 * survives page unload). When the beacon is missing, refused (it returns false past the 64 KiB keepalive
 * quota) or the browser is offline (a beacon would be accepted, then lost), the notification
 * goes into the outbox at once, and ky from the lazily loaded chunk sends it from there.
 * @param nav - `navigator`, or a stand-in.
 * @param load - loads the fallback chunk. The browser's module map makes a second import() of
 *   the same URL free, and retries one that failed.
 * @param ctx - storage, log and online state, for the chunk.
 * @param id - makes the outbox entry's id.
 */
export const send = (nav: Partial<Navigator> | undefined, load: () => Promise<FallbackModule>, ctx: Context, id: () => string) =>
  (url: string, body?: string) => {
    try {
      // A string body goes out as text/plain;charset=UTF-8 (Fetch, extract a body): CORS-safelisted,
      // as a Blob of that type would be, at a third of the main-thread cost (see the README's bench).
      if (ctx.online() && nav!.sendBeacon!(url, body)) {
        return ctx.log.debug('beacon', url, body)
      }
    } catch {}
    const entry = id()
    keep(ctx.storage, { id: entry, url, body, t: Date.now() })
    load().then((m) => m.send(entry, ctx), () => {})
  }
