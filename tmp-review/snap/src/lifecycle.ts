// The chunk's part of the page lifecycle: what happens to the outbox when the page goes away,
// and sending it again when the page comes back into view. Each handler is guarded: nothing
// here may throw into the page, whatever the outbox holds.
import { onTheWire } from './deliver'
import { each, readOutbox, writeOutbox } from './outbox'
import type { Page } from './defaults'

let watching = false

/**
 * Once per page. On `pagehide`, a keepalive request on the wire is handed over to the browser
 * (Fetch keepalive outlives the page, as a beacon does) and its entry leaves the outbox; the
 * page's other claims are released, so that the next page sends those entries at once. This
 * change is the one that does not wait for the Web Lock: the page is going, and a lock is an
 * asynchronous round trip. It touches only this page's own claims and entries. When the page
 * becomes visible again, or the browser comes back online, the outbox is sent again.
 * @param ctx - storage and log.
 * @param tab - this page's id in claims.
 * @param flush - sends the outbox.
 */
export function watchPage(ctx: Page, tab: string, flush: () => void): void {
  if (watching || typeof document == 'undefined') return
  watching = true
  addEventListener('pagehide', () => {
    try {
      writeOutbox(ctx.storage, each(readOutbox(ctx.storage), (e) => !onTheWire.has(e.id!) && (e.claim && e.claim[0] == tab ? { ...e, claim: undefined } : e)))
    } catch {}
  })
  document.addEventListener('visibilitychange', () => {
    try { if (document.visibilityState == 'visible') flush() } catch {}
  })
  // The main script sends the outbox on the online event only where localStorage holds one; an
  // outbox in this page's memory (storage blocked or full) is this chunk's to send.
  addEventListener('online', () => { try { flush() } catch {} })
}
