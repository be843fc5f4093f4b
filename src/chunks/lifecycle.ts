// The chunk's part of the page lifecycle: what happens to the outbox when the page goes away,
// and sending it again when the page comes back into view. Each handler is guarded: nothing
// here may throw into the page, whatever the outbox holds.
import { handedOver, handOver, sending } from './deliver.js'
import { changeOutbox, each, type Entry } from '../page/outbox.js'
import type { Page } from './defaults.js'

// The signal the listeners were added with: a new tracker (after destroy) adds them again.
let watching: AbortSignal | boolean | undefined
/** How many bytes of outbox entries a page hands over on pagehide: keepalive requests share a 64 KiB quota (Fetch). */
const HANDOVER_MAX = 48_000

/**
 * Once per page. On `pagehide`, a keepalive request on the wire is handed over to the browser
 * (Fetch keepalive outlives the page, as a beacon does) and its entry leaves the outbox, as does
 * one delivered whose removal still waited for the lock; what was never tried, and that no other
 * living tab has claimed, is sent now with a keepalive `fetch` (up to 48 KB) and leaves too (a
 * tab whose chunk comes later finds it gone, and leaves it); a send of this page's that waits
 * for ky's next retry stops, and keeps its entry with the requests it made; the page's other
 * claims are released, so that the next page sends those entries at once. This change is the
 * one that does not wait for the Web Lock: the page is going, and a lock is an asynchronous
 * round trip. It releases only this page's own claims. When the page
 * becomes visible again, or the browser comes back online, the outbox is sent again.
 * @param ctx - storage, log, and the tracker's signal: the listeners end with the tracker.
 * @param tab - this page's id in claims.
 * @param flush - sends the outbox.
 * @param due - whether an entry may be sent now by this tab.
 */
export function watchPage(ctx: Page, tab: string, flush: () => void, due: (e: Entry, now: number) => boolean): void {
  const signal = ctx.signal
  if ((watching && (watching === true || !watching.aborted)) || typeof document == 'undefined') return
  watching = signal || true
  addEventListener('pagehide', () => {
    try {
      const now = ctx.now()
      let budget = HANDOVER_MAX
      changeOutbox(ctx.storage, (list) => each(list, (e) => {
        if (handedOver.has(e.id!)) return
        // A send of this page's that ky has not put on the wire yet, or that waits for a retry, stops.
        const work = sending.get(e.id!)
        work?.stop.abort()
        const tries = (e.tries || 0) + (work ? work.requests : 0)
        // What was never tried goes now, with keepalive, as a beacon would: a page that leaves
        // this soon after its load never gets to its idle task, nor to a flush that waits for
        // the lock. What failed before waits for its next turn, within the bound on tries.
        const size = e.url.length + (e.body || '').length
        if (ctx.online() && !tries && due(e, now) && size <= budget && handOver(e)) {
          budget -= size
          return
        }
        return e.claim && e.claim[0] == tab ? { ...e, claim: undefined, tries: tries || undefined } : e
      }))
    } catch {}
  }, { signal })
  document.addEventListener('visibilitychange', () => {
    try { if (document.visibilityState == 'visible') flush() } catch {}
  }, { signal })
  // The main script sends the outbox on the online event only where localStorage holds one; an
  // outbox in this page's memory (storage blocked or full) is this chunk's to send.
  addEventListener('online', () => { try { flush() } catch {} }, { signal })
}
