import type { Store } from './storage'

/** The localStorage key of the outbox: notifications kept for later, as a JSON array of entries. */
export const OUTBOX = 'esales.outbox'
/** At most this many entries; the oldest go first. */
export const OUTBOX_MAX = 100
/** Entries older than this are dropped. */
export const OUTBOX_TTL_MS = 24 * 60 * 60 * 1000

/** One kept notification, with the URL (keys and market included) it was first built with. */
export interface Entry {
  /** A UUID from the main script, or a nanoid from the chunk for entries that came without one. */
  id?: string
  url: string
  body?: string | undefined
  /** When the notification was made (ms). */
  t: number
  /** Which tab is sending it, and until when (ms): other tabs leave it alone until then. */
  claim?: [tab: string, until: number] | undefined
}

/** The entries in the outbox; a broken or foreign value reads as empty. */
export function readOutbox(storage: Store): Entry[] {
  try {
    const list = JSON.parse(storage.get(OUTBOX) || '[]')
    return Array.isArray(list) ? list : []
  } catch { return [] }
}

/**
 * Keeps a notification in the outbox, synchronously, before anything else is tried: a page
 * that navigates away before the fallback chunk has run loses nothing. It appends to the JSON
 * text without parsing it; the chunk checks, bounds and prunes the outbox (with a debug line).
 */
export function keep(storage: Store, entry: Entry): void {
  const list = storage.get(OUTBOX)
  storage.set(OUTBOX, (list && list != '[]' ? list.slice(0, -1) + ',' : '[') + JSON.stringify(entry) + ']')
}
