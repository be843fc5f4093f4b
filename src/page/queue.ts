// Notifications waiting in memory: the click handler only records one, and the send happens in a
// task after the next paint, so that it costs nothing inside the interaction (INP). The tracker
// sends whatever waits at once when the page is hidden or goes away.
import type { Keys } from './identity.js'

/**
 * A recorded notification: its name (empty once dropped; a favorite toggle until its state is
 * known), body, and the keys it must carry when they were fixed before a key change.
 */
export type Pending = [name: string | Element, body?: string, keys?: Partial<Keys>]

/** The browser objects the queue uses: `window`, or a stand-in. */
export interface QueueHost {
  document: Pick<Document, 'visibilityState'>
  requestAnimationFrame?: (callback: () => void) => unknown
  setTimeout: (callback: () => void, ms?: number) => unknown
}

/** Notifications in memory, on their way to the transport. */
export interface Queue {
  /** Records a notification; it is sent after the next paint. Returns it, so that it can be dropped (`entry[0] = ''`) before then. */
  push(entry: Pending): Pending
  /** Sets the keys of every waiting notification, from those it has fixed already (if any): before the keys or the consent level change. */
  fix(keys: (fixed?: Partial<Keys>) => Partial<Keys>): void
  /**
   * Sends everything that waits, now. Synchronous on purpose: on `pagehide` and on a hidden
   * page it is the last moment before the page is gone, frozen in the back/forward cache, or
   * left in the background where it may never run a task again. `leaving`: on `pagehide`.
   */
  flush(leaving?: boolean): void
  /** Forgets everything that waits (consent withdrawn). */
  clear(): void
}

/**
 * Creates the queue.
 * @param host - `window`, or a stand-in.
 * @param send - sends a batch: the keys are decided once for all of them; `leaving` on `pagehide`.
 */
export function createQueue(host: QueueHost, send: (batch: Pending[], leaving?: boolean) => void): Queue {
  let waiting: Pending[] = []
  const flush = (leaving?: boolean) => {
    const batch = waiting
    waiting = []
    if (batch.length) send(batch, leaving)
  }
  return {
    push(entry) {
      // Not Array.prototype.push: the page may have broken it.
      waiting[waiting.length] = entry
      if (waiting.length == 1) {
        // After the next paint. A hidden page paints no frames, and a throttled one (an iframe
        // out of view) may paint late: the timer sends for them.
        host.requestAnimationFrame?.(() => host.setTimeout(() => flush()))
        host.setTimeout(() => flush(), 250)
      }
      return entry
    },
    fix(keys) {
      for (const entry of waiting) entry[2] = keys(entry[2])
    },
    flush,
    clear() { waiting = [] }
  }
}
