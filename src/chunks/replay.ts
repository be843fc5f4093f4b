// Sending what the outbox holds: claims, so that no two tabs send one entry; the bound on tries,
// and the growing gaps between them.
import { nanoid } from 'nanoid'
import { deliver, handedOver, handOver, moves, sending, TRIES_MAX, type Attempt } from './deliver.js'
import { watchPage } from './lifecycle.js'
import { changeOutbox, clearOutbox, dropAppended, each, holds, outboxToMemory, OUTBOX_MAX, OUTBOX_TTL_MS, updateOutbox, type Entry } from '../page/outbox.js'
import { cut } from '../page/consent.js'
import { webStore } from '../page/storage.js'
import { notificationUrl } from '../page/transport.js'
import { page, type Page } from './defaults.js'
import type { Context } from '../page/transport.js'

/** This page's id in outbox claims. */
const TAB = nanoid()
/**
 * How long a claim keeps other tabs off an entry: longer than one attempt can take (3 requests
 * of at most 10 s each, plus 2 waits of at most 60 s for `Retry-After`: 150 s). A flush renews
 * the claims of what it has left before each send, so that no claim runs out while its tab works.
 */
export const CLAIM_MS = 180_000
/**
 * How long a claim settles before it is trusted. A change to localStorage reaches other tabs a
 * little after the Web Lock that guarded it is released, so two tabs can both claim one entry;
 * the last write wins, and after this wait both read the same owner.
 */
export const SETTLE_MS = 100
/**
 * The gap before an entry's next attempt after `tries` requests. The first page makes up to 3
 * (ky's retries); the next page that loads tries once more at once; then 1 minute, then 10.
 */
export const gap = (tries: number): number => tries < 4 ? 0 : 60_000 * 10 ** (tries - 4)

let retryTimer: ReturnType<typeof setTimeout> | undefined

/** Whether an entry may be sent now by this tab: due, and claimed by no other tab that lives. */
const due = (e: Entry, now: number) => (!e.claim || e.claim[0] == TAB || e.claim[1] <= now) && (e.due || 0) <= now

/**
 * Whether a page at this consent level may send an entry: one that carries keys the level may
 * not send (made by another tab at a higher level) is left to a page that may.
 */
export const allowed = (e: Entry, level = 3): boolean => level > 2 || !/[?&]customerKey=/.test(e.url) && (level > 1 || !/[?&]sessionKey=/.test(e.url))

/** An entry's URL with only the keys that `level` may send, and its userContext to say so. */
export const strip = (url: string, level: number): string => {
  const [path, query] = url.split('?')
  const p = new URLSearchParams(query)
  return notificationUrl('', path!, p.get('market')!, cut({ customerKey: p.get('customerKey')!, sessionKey: p.get('sessionKey')! }, level))
}

const locks = () => typeof navigator != 'undefined' ? navigator.locks : undefined
const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms))
/** True while the page is hidden: being left, or in a background tab. Such a page claims nothing. */
const leaving = () => typeof document != 'undefined' && document.visibilityState == 'hidden'

/** Drops entries over a day old and, when full, the oldest; says so in the debug log. */
function prune(list: Entry[], ctx: Page): Entry[] {
  const now = ctx.now()
  const fresh = each(list, (e) => now - e.t < OUTBOX_TTL_MS && e)
  if (fresh.length < list.length) ctx.log.debug(`outbox: dropped ${list.length - fresh.length} entries over 24 hours old`)
  if (fresh.length > OUTBOX_MAX) ctx.log.debug(`outbox full: dropped the ${fresh.length - OUTBOX_MAX} oldest`)
  return fresh.slice(-OUTBOX_MAX)
}

/** The page's lifecycle handlers, once: they send the outbox when the page comes back into view or online. */
const watch = (ctx: Page) => watchPage(ctx, TAB, () => { flush(ctx) }, (e, now) => due(e, now) && allowed(e, ctx.level))

const change = (ctx: Page, edit: (list: Entry[]) => Entry[]) => updateOutbox(ctx.storage, (list) => edit(prune(list, ctx)), locks())

/**
 * Claims, under the lock, the entries that `pick` wants and that are due and claimed by no
 * living tab. `add` is put in first where localStorage refused the main script's append (the
 * outbox then lives in this page's memory); where the append took and the entry is gone,
 * another tab has sent it already.
 */
async function claim(ctx: Page, pick: (e: Entry) => boolean, add?: Entry): Promise<Entry[]> {
  const mine: Entry[] = []
  await change(ctx, (list) => {
    const now = ctx.now()
    if (add && add.kept === false && !holds(list, add.id)) list = [...list, { ...add, kept: undefined }]
    // A flush on a hidden page claims nothing; the page's own new entry is claimed even there.
    if (leaving() && !add) return list
    return each(list, (e) => {
      // The outbox fits the level of the page that reads it: another tab's entry, or one
      // appended offline before the level went down, loses the keys this level may not send.
      if (!allowed(e, ctx.level)) e = { ...e, url: strip(e.url, ctx.level!) }
      if (!pick(e) || (e.claim && e.claim[1] > now) || (e.due || 0) > now) return e
      const claimed: Entry = { ...e, id: e.id || nanoid(), claim: [TAB, now + CLAIM_MS] }
      mine[mine.length] = claimed
      return claimed
    })
  })
  return mine
}

// The entries that a send of this page's is working on. Claims are a tab's, not a send's: two
// flushes of one page (the online event and a consent change, say) may both hold an entry's
// claim, and only the first to come to it sends it.
const busy = new Set<string | undefined>()

/** Sends the claimed entries one by one, each only while its claim is still this tab's. */
async function work(ctx: Page, mine: Entry[]) {
  if (!mine.length) return
  await sleep(SETTLE_MS)
  for (let i = 0; i < mine.length; i++) {
    const entry = mine[i]!
    if (busy.has(entry.id)) continue
    busy.add(entry.id)
    try { await one(ctx, entry, mine.slice(i)) } finally { busy.delete(entry.id) }
  }
}

/** Renews the claims of what is left, and attempts the entry where its claim is still this tab's. */
async function one(ctx: Page, entry: Entry, left: Entry[]) {
  // The entry as the outbox holds it now: a lower consent level since may have stripped its keys.
  let ours: Entry | undefined
  await change(ctx, (list) => each(list, (e) => {
    if (!holds(left, e.id) || !e.claim || e.claim[0] != TAB) return e
    const claimed: Entry = { ...e, claim: [TAB, ctx.now() + CLAIM_MS] }
    if (e.id == entry.id) ours = claimed
    return claimed
  }))
  if (ours && allowed(ours, ctx.level)) await attempt(ctx, ours)
}

/** One attempt: the entry leaves the outbox once delivered, refused or out of tries; else it waits for its next turn. */
async function attempt(ctx: Page, entry: Entry) {
  const online = ctx.online()
  const { settled, requests, stopped, again } = online ? await deliver(entry as Entry, ctx.log) : { settled: false, requests: 0 } as Attempt
  if (stopped) return
  if (!online) ctx.log.debug('offline: kept in the outbox')
  const tries = (entry.tries || 0) + requests
  const spent = !settled && tries >= TRIES_MAX
  if (spent) ctx.log.debug(`dropped after ${tries} tries, the most an entry gets:`, entry.url)
  const wait = gap(tries)
  const due = requests ? ctx.now() + wait : entry.due
  await change(ctx, (list) => each(list, (e) => e.id != entry.id ? e : !(settled || spent) && { ...e, claim: undefined, tries, due }))
  handedOver.delete(entry.id!)
  if (!settled && !spent && requests && wait) {
    // The next turn comes on a later page, on the online event, or here if the page stays that long.
    if (retryTimer) clearTimeout(retryTimer)
    retryTimer = setTimeout(() => { ctx.signal?.aborted || flush(ctx) }, wait)
  }
  // A retry stopped by a lower consent level: the entry, stripped now, goes at once.
  if (again) flush(ctx)
}

/**
 * Sends a notification that the beacon could not, at once: the main script has put it in the
 * outbox (or tried to), and hands it over in memory too. It is claimed first, as a flush claims:
 * another tab may have sent it already while this chunk loaded (then it is gone, and left
 * alone), or may be sending it (then its claim stands). An entry that localStorage refused
 * lives in this page's memory, where no other tab sees it.
 * @param entry - the outbox entry.
 * @param ctx - storage, log, clock and online state.
 */
export async function send(entry: Entry, context: Context): Promise<void> {
  const ctx = page(context)
  try {
    watch(ctx)
    if (!ctx.online()) {
      ctx.log.debug('offline: kept in the outbox')
      // Where storage is blocked or full, memory keeps it for the online event.
      await change(ctx, (list) => entry.kept !== false || holds(list, entry.id) ? list : [...list, { ...entry, kept: undefined }])
      return
    }
    if (entry.leaving) {
      // Made on pagehide: the page is going, and neither a lock nor ky's request (a few tasks
      // away) will come. A keepalive fetch now outlives the page, as a beacon would, and the
      // entry leaves the outbox (handed over).
      if (handOver(entry)) dropAppended(ctx.storage, entry)
      return
    }
    // A page that goes away before the claim settles hands the entry over on pagehide.
    await work(ctx, await claim(ctx, (e) => e.id == entry.id, entry))
  } catch (error) {
    ctx.log.debug('outbox error', String(error))
  }
}

/**
 * The consent level went down: each entry keeps only the keys that the new level may send, and
 * says so in its userContext; at level 0 the outbox is removed. Below level 2 nothing may stay
 * in localStorage: the outbox moves into this page's memory at once (synchronously: the main
 * script calls this in the task of the change). What waits for ky's next retry stops and goes
 * again, stripped; a request already on the wire is left to finish.
 * @param context - the page's consent level.
 */
export async function restrict(context: Context): Promise<void> {
  const ctx = page(context)
  const level = ctx.level || 0
  // Below level 2 the page's own store stands on nothing; erasing needs the real one.
  const storage = webStore(() => localStorage)
  // This page's claims go too (what it stopped is to be sent again at once), but for a request on
  // the wire: its answer decides, and a retry of it stops (deliver.ts).
  const fit = (list: Entry[]) => each(list, (e) => ({ ...e, url: strip(e.url, level), claim: e.claim && (e.claim[0] != TAB || handedOver.has(e.id!)) ? e.claim : undefined }))
  moves.down++
  try {
    for (const [id, work] of sending) if (!handedOver.has(id)) work.stop.abort()
    if (!level) return clearOutbox(storage)
    if (level < 2) {
      let kept: Entry[] = []
      changeOutbox(storage, (list) => kept = fit(list))
      outboxToMemory(storage, kept)
    } else await change(ctx, fit)
    await flush(ctx)
  } catch (error) {
    ctx.log.debug('outbox error', String(error))
  }
}

/**
 * Sends what the outbox holds, oldest first: the entries that are due and that no other
 * living tab has claimed.
 * @param ctx - storage, log, clock and online state.
 */
export async function flush(context: Context): Promise<void> {
  const ctx = page(context)
  try {
    watch(ctx)
    if (!ctx.online()) return
    const mine = await claim(ctx, () => true)
    if (mine.length) ctx.log.debug(`outbox: sending ${mine.length}`)
    await work(ctx, mine)
  } catch (error) {
    ctx.log.debug('outbox error', String(error))
  }
}
