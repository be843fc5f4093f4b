// What data-debug prints of the main script's decisions: the main script says what happened in
// a word and its details, and the words for it live here, in the chunk that a page with
// data-debug loads at once.
import { page } from './defaults.js'
import type { Context } from '../page/transport.js'

/** Where a key came from, as the identity says it at its first decision. */
const FROM: Record<string, string> = {
  page: 'the page (data-customer-key, data-session-key)',
  cookie: 'its cookie',
  storage: 'localStorage',
  new: 'nowhere: a new one',
  none: 'nowhere: unpersonalized keeps none'
}

/** The line for each thing the main script says. */
const LINES: Record<string, (...details: any[]) => unknown[]> = {
  start: (base: string, market: string) => [`start: notifications go to ${base}{name}, API ${/storefront\/v3/.test(base) ? 'v3' : 'v2'}, market ${market}`],
  consent: (level: unknown) => [`consent: ${String(level)}`],
  from: (customer: string, session: string) => [`keys: the customer key from ${FROM[customer]}, the session key from ${FROM[session]}`],
  keys: (keys: object) => ['keys now:', keys],
  beacon: (url: string, body?: string) => ['sent by beacon (the page cannot see the answer):', url, body ?? ''],
  outbox: (url: string) => ['no beacon (missing, refused, or offline): kept in the outbox, sent with fetch:', url],
  runs: () => ['a tracker runs already: this is it'],
  held: () => ['destroy(): held elsewhere too']
}

/**
 * Prints one of the main script's debug lines.
 * @param ctx - the page's settings (its debug flag).
 * @param what - what happened: a key of LINES.
 * @param details - its details.
 */
export function say(ctx: Context, what: string, ...details: unknown[]): void {
  const line = LINES[what]
  page(ctx).log.debug(...(line ? line(...details) : [what, ...details]))
}
