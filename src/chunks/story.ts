// What data-debug prints of the main script's decisions: the main script says what happened in
// a word and its details, and the words for it live here, in the chunk that a page with
// data-debug loads at once.
import { page } from './defaults.js'
import type { Context } from '../page/transport.js'

/**
 * Where a key came from, from what the identity had at its first decision: the key given (the
 * page's), the cookie's and the stored one.
 */
const from = (given: unknown, cookie: unknown, stored: unknown) =>
  given ? 'the page (data-customer-key, data-session-key)' : cookie ? 'its cookie' : stored ? 'localStorage' : 'nowhere: a new one'

/** The line for each thing the main script says. */
const LINES: Record<string, (ctx: Context, ...details: any[]) => unknown[]> = {
  start: (ctx: Context) => [`start: notifications go to ${ctx.base}{name}, API ${ctx.api}${ctx.api == 'v2' ? ' (the default, which eSales has ended: data-api="v3" sends to Storefront API v3)' : ''}, market ${ctx.market}`],
  consent: (_, level: unknown) => [`consent: ${String(level)}`],
  from: (_, personal: boolean, customer: unknown, customerCookie: unknown, storedCustomer: unknown, session: unknown, sessionCookie: unknown, storedSession: unknown) =>
    [`keys: the customer key from ${personal ? from(customer, customerCookie, storedCustomer) : 'nowhere: unpersonalized keeps none'}, the session key from ${from(session, sessionCookie, storedSession)}`],
  keys: (_, keys: object) => ['keys now:', keys],
  beacon: (_, url: string, body?: string) => ['sent by beacon (the page cannot see the answer):', url, body ?? ''],
  outbox: (_, url: string) => ['no beacon (missing, refused, or offline): kept in the outbox, sent with fetch:', url],
  runs: () => ['a tracker runs already: this is it'],
  held: () => ['destroy(): held elsewhere too']
}

/**
 * Prints one of the main script's debug lines.
 * @param ctx - the page's settings (its debug flag, and what the start line names).
 * @param what - what happened: a key of LINES.
 * @param details - its details.
 */
export function say(ctx: Context, what: string, ...details: unknown[]): void {
  const line = LINES[what]
  page(ctx).log.debug(...(line ? line(ctx, ...details) : [what, ...details]))
}
