// The lazily loaded chunk (dist/esales-fallback.js): ky, the outbox and payment bodies.
// Only pages whose beacon failed, that have something in the outbox, or that send a
// payment load it.
import ky, { HTTPError } from 'ky'
import { nanoid } from 'nanoid'
import type { Logger } from './log'
import { OUTBOX, OUTBOX_MAX, OUTBOX_TTL_MS, readOutbox, type Entry } from './outbox'
import type { Context } from './transport'

import { favoriteBody } from './body'
import { explain } from './explain'
import { paymentBody } from './payment'

export { explain }

/** This page's id in outbox claims. */
const TAB = nanoid()
/** How long a claim keeps other tabs off an entry: longer than ky's retries take. */
const CLAIM_MS = 120_000
/** A body past this many bytes cannot go with `keepalive` (the Fetch spec's 64 KiB in-flight quota). */
const KEEPALIVE_MAX = 60_000
/** Where the outbox lives when localStorage is blocked or full: this page's memory. */
let memory: Entry[] | undefined
let watching = false
/** Entries whose keepalive request is on the wire now: at pagehide they count as handed over. */
const onTheWire = new Set<string>()

const read = (ctx: Context) => memory || readOutbox(ctx.storage)

function write(ctx: Context, list: Entry[]) {
  if (memory) return void (memory = list)
  const json = JSON.stringify(list)
  list.length ? ctx.storage.set(OUTBOX, json) : ctx.storage.remove(OUTBOX)
  // A write that did not take (quota, blocked storage) moves the outbox into memory.
  if ((ctx.storage.get(OUTBOX) || '[]') != json) memory = list
}

/** Drops entries over a day old and, when full, the oldest; says so in the debug log. */
function prune(list: Entry[], log: Logger): Entry[] {
  const fresh = list.filter((e) => e && typeof e.url == 'string' && Date.now() - e.t < OUTBOX_TTL_MS)
  if (fresh.length < list.length) log.debug(`outbox: dropped ${list.length - fresh.length} entries over 24 hours old`)
  if (fresh.length > OUTBOX_MAX) log.debug(`outbox full: dropped the ${fresh.length - OUTBOX_MAX} oldest`)
  return fresh.slice(-OUTBOX_MAX)
}

/**
 * Changes the outbox under the Web Locks API, so that tabs of the same shop never claim the
 * same entry (https://w3c.github.io/web-locks/; where it is missing, as on plain-http pages,
 * claims still hold but two tabs may race within a few milliseconds).
 */
async function update(ctx: Context, change: (list: Entry[]) => Entry[]): Promise<void> {
  const run = () => write(ctx, change(prune(read(ctx), ctx.log)))
  const locks = typeof navigator != 'undefined' ? navigator.locks : undefined
  await (locks ? locks.request(OUTBOX, run) : run())
}

/**
 * POSTs with ky: the same `text/plain` body as the beacon and no custom headers (they would
 * force a CORS preflight), `keepalive` so that it survives the page, a timeout, and retries
 * with backoff and jitter on network errors, timeouts, 408, 429 and 5xx (`Retry-After` honoured).
 * @returns true when settled (delivered, or refused by eSales), false when it should be tried later.
 */
async function post(entry: Entry, log: Logger): Promise<boolean> {
  const { id, url, body } = entry
  const keepalive = new Blob([body || '']).size < KEEPALIVE_MAX
  try {
    const res = await ky.post(url, {
      body,
      keepalive,
      // Marks each attempt while it is on the wire: ky's backoff waits between attempts do not count.
      fetch: (input, init) => {
        if (keepalive) onTheWire.add(id!)
        return fetch(input, init).finally(() => onTheWire.delete(id!))
      },
      timeout: 10_000,
      retry: {
        limit: 3,
        methods: ['post'],
        statusCodes: [408, 429, 500, 502, 503, 504],
        afterStatusCodes: [429, 503],
        maxRetryAfter: 60_000,
        backoffLimit: 8_000,
        jitter: true,
        retryOnTimeout: true
      }
    })
    log.debug('sent with fetch', res.status, url)
    return true
  } catch (error) {
    const status = error instanceof HTTPError ? error.response.status : 0
    if (status >= 400 && status < 500 && status != 408 && status != 429) {
      // eSales answers 400 for bad arguments: a retry would get the same answer.
      const reason = await (error as HTTPError).response.text().catch(() => '')
      log.debug('dropped: eSales answered', status, reason)
      return true
    }
    log.debug('not delivered, kept in the outbox:', String(error))
    return false
  }
}

async function deliver(entry: Entry, ctx: Context) {
  const settled = ctx.online() && await post(entry, ctx.log)
  if (!settled && !ctx.online()) ctx.log.debug('offline: kept in the outbox')
  await update(ctx, (list) => settled
    ? list.filter((e) => e.id != entry.id)
    : list.map((e) => e.id == entry.id ? { ...e, claim: undefined } : e))
}

/** True while the page is hidden: it is being left, or in a background tab. */
const leaving = () => typeof document != 'undefined' && document.visibilityState == 'hidden'

/**
 * Once per page: when the page goes away, a keepalive request on the wire is handed over to the
 * browser (Fetch keepalive outlives the page, as a beacon does) and leaves the outbox; the
 * page's other claims are released, so that the next page sends those entries at once. When
 * the page becomes visible again, the outbox is tried again.
 */
function watch(ctx: Context) {
  if (watching || typeof document == 'undefined') return
  watching = true
  addEventListener('pagehide', () => {
    // Synchronous on purpose: nothing may wait on unload (no lock; a claim is only a hint).
    write(ctx, read(ctx).filter((e) => !onTheWire.has(e.id!)).map((e) => e.claim && e.claim[0] == TAB ? { ...e, claim: undefined } : e))
  })
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState == 'visible') flush(ctx).catch(() => {})
  })
}

/**
 * Sends a notification that the beacon could not: the main script has put it in the outbox
 * already. Claimed by this page until it is delivered or refused; another tab that claimed it
 * first sends it instead.
 * @param id - the outbox entry's id.
 * @param ctx - storage, log and online state.
 */
export async function send(id: string, ctx: Context): Promise<void> {
  try {
    // A page already on its way out (the click navigated) would claim the entry after its
    // pagehide had released its claims: the entry would be stuck for CLAIM_MS. The next page sends it.
    if (leaving()) return
    watch(ctx)
    // Claimed without the lock: the lock is a round trip to the browser that a click which
    // navigates away cannot wait for. The entry is a few milliseconds old; another tab would
    // have to read it and claim it within those same milliseconds.
    let mine: Entry | undefined
    write(ctx, read(ctx).map((e) => {
      if (e.id != id || (e.claim && e.claim[1] > Date.now())) return e
      return (mine = { ...e, claim: [TAB, Date.now() + CLAIM_MS] })
    }))
    if (mine) await deliver(mine, ctx)
  } catch (error) {
    ctx.log.debug('outbox error', String(error))
  }
}

/**
 * Sends what the outbox holds, oldest first: entries that no other living page has claimed.
 * @param ctx - storage, log and online state.
 */
export async function flush(ctx: Context): Promise<void> {
  const run = async () => {
    if (leaving()) return
    watch(ctx)
    if (!ctx.online()) return
    const mine: Entry[] = []
    await update(ctx, (list) => list.map((e) => {
      if (e.claim && e.claim[1] > Date.now()) return e
      const claimed: Entry = { ...e, id: e.id || nanoid(), claim: [TAB, Date.now() + CLAIM_MS] }
      mine.push(claimed)
      return claimed
    }))
    if (mine.length) ctx.log.debug(`outbox: sending ${mine.length}`)
    for (const entry of mine) await deliver(entry, ctx)
  }
  try {
    // One flushing tab at a time: the others skip, since it sends what they would. (Claims
    // still guard each entry: localStorage reaches other tabs a little later than it is written.)
    const locks = typeof navigator != 'undefined' ? navigator.locks : undefined
    await (locks ? locks.request('esales.flush', { ifAvailable: true }, (lock) => lock && run()) : run())
  } catch (error) {
    ctx.log.debug('outbox error', String(error))
  }
}

/**
 * API calls that the main script leaves to this chunk: they are rarely made, and rarely
 * followed by a navigation. A bad argument gets an `esales:` error and sends nothing.
 * @param method - addFavorite, removeFavorite or payment.
 * @param arg - what the shop passed.
 * @param ctx - the page's notify, API generation and log.
 */
export function run(method: 'addFavorite' | 'removeFavorite' | 'payment', arg: unknown, ctx: Context): void {
  if (method == 'payment') {
    if (ctx.api == 'v3') return ctx.log.error(explain('payment', 'v3'))
    try {
      ctx.notify('payment', paymentBody(arg))
    } catch (error) {
      ctx.log.error(`payment refused: ${(error as Error).message}.`)
    }
    return
  }
  const body = favoriteBody(arg)
  body ? ctx.notify(method == 'addFavorite' ? 'add-favorite' : 'remove-favorite', body) : ctx.log.error(explain(method, arg))
}

/**
 * A click on a `data-esales-favorite` toggle: add-favorite when it is pressed (aria-pressed)
 * or checked after the click, remove-favorite otherwise. The page's own handler flips
 * aria-pressed after the snippet's capture-phase listener has run (a checkbox is flipped
 * before it), so the state is read once the click is done.
 * @param el - the toggle.
 * @param productKey - the attribute's value.
 * @param ctx - the page's notify.
 */
export function favorite(el: Element, productKey: string, ctx: Context): void {
  setTimeout(() => {
    const on = el.getAttribute('aria-pressed') == 'true' || (el as HTMLInputElement).checked === true
    run(on ? 'addFavorite' : 'removeFavorite', productKey, ctx)
  })
}
