// What goes between the main script and its lazily loaded chunks (ky, the outbox, the rare
// paths), and the notification URL that the main script sends to by beacon and the chunk with
// fetch. The main script's sending is in tracker.ts.
import type { Config } from './config.js'
import type { Keys } from './identity.js'
import type { Entry } from './outbox.js'
import type { Store } from './storage.js'

/**
 * What the lazily loaded chunks get from the page: the settings, the page's `notify`, and
 * stand-ins for the browser where a test passes them (each chunk defaults the rest).
 */
export interface Context extends Partial<Config> {
  /** Records a notification, as the click listener does; it is sent after the next paint, with `keys` or the keys then. */
  notify: (name: string, body?: string, keys?: Partial<Keys>) => void
  /** localStorage, guarded. */
  storage?: Store
  /** The clock, in milliseconds. */
  now?: () => number
  /** False when the browser says it is offline. */
  online?: () => boolean
  /** Aborts when the tracker stops (destroy, withdrawn consent): the chunks' listeners end with it. */
  signal?: AbortSignal
  /** The consent level now (see consent.ts): what the outbox may hold and this page may send of it. */
  level?: number
}

/** The API calls that the main script leaves to the chunk: rarely made, and rarely followed by a navigation. */
export type ChunkCall = 'addFavorite' | 'removeFavorite' | 'payment' | 'removeRecentSearches' | 'removeRecentlyViewed' | 'adImpression'

/** What the lazily loaded chunk (`esales-fallback.js`) exports. */
export interface FallbackModule {
  /** Sends an entry that the beacon could not (it may be in the outbox already, or not, where storage fails); it leaves the outbox once delivered or refused. */
  send(entry: Entry, ctx: Context): Promise<void>
  /** Sends what the outbox holds (other tabs' claimed entries excepted). */
  flush(ctx: Context): Promise<void>
  /** Runs an API call that the main script leaves to the chunk, with the keys of the moment it was made. */
  call(method: ChunkCall, arg: unknown, ctx: Context, keys?: Partial<Keys>): void
  /** Removes the snippet's outbox (consent withdrawn). */
  forget(ctx: Context): void
  /** The message for a bad attribute (`data-…`) or a refused call. */
  explain(what: string, value: unknown): string
  /** Prints a debug line of the main script's, in the chunk's words (data-debug). */
  say(ctx: Context, what: string, ...details: unknown[]): void
  /** Says why a key cookie written with `data-cookie-domain` did not hold: an `esales:` error where the browser refuses that domain. */
  checkCookieDomain(ctx: Context): void
  /** The consent level went down to `ctx.level`: strips the keys that it may not send from the outbox's entries (anonymous: into memory), or removes them all (level 0). */
  restrict(ctx: Context): void
}

/**
 * The eSales notification URL, every value URL-encoded, its parameters in order. The keys given
 * say the consent level: both, as always (PERSONALIZED, the default, left out); a session key
 * alone, `userContext=UNPERSONALIZED`; none, `userContext=ANONYMOUS` (Storefront v3).
 */
export function notificationUrl(base: string, name: string, market: string, { customerKey: c, sessionKey: s }: Partial<Keys>): string {
  const q = encodeURIComponent
  return `${base}${name}?${c ? `customerKey=${q(c)}&` : ''}market=${q(market)}${s ? `&sessionKey=${q(s)}` : ''}${c ? '' : `&userContext=${s ? 'UNPERSONALIZED' : 'ANONYMOUS'}`}`
}
