// The outbox: notifications that could not be handed to the browser yet, kept in localStorage
// for later pages and other tabs. This module is its only writer. The main script only appends
// (`append`); the rest runs in the lazily loaded chunk, under the Web Lock.
import type { Store } from './storage.js'

/** The localStorage key of the outbox, a JSON array of entries; entries just appended have keys of their own that start with it. */
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
  /** How many requests have carried it so far, on every page. */
  tries?: number
  /** Not to be tried again before this time (ms). */
  due?: number
  /** Set by the main script: whether its append took (false where localStorage is blocked or full). */
  kept?: boolean
  /** Set by the main script: made on `pagehide`, the page is going away. */
  leaving?: boolean | undefined
}

/**
 * Keeps a notification, synchronously, before anything else is tried: a page that navigates
 * away before the fallback chunk has run loses nothing. Each entry goes under a key of its own,
 * `esales.outbox:{id}`, as the line `{t} {url} {body}` (a URL has no spaces, and a body is one
 * line of JSON): no read, no parse, no JSON.stringify (a page may have replaced it), and no
 * lost write when two tabs append at once. Not under the Web Lock: a click that navigates
 * cannot wait for one. The chunk moves these entries into the outbox under the lock.
 */
export const append = (storage: Store, entry: Entry): void => {
  entry.kept = !!storage.set(OUTBOX + ':' + entry.id, entry.t + ' ' + entry.url + (entry.body == null ? '' : ' ' + entry.body))
}

/** Removes a just-appended entry that was sent on `pagehide` (no time for the lock: it was appended in the same task). */
export const dropAppended = (storage: Store, entry: Entry): void => storage.remove(OUTBOX + ':' + entry.id)

/** Whether the outbox holds anything: its own entry, or one just appended under a name of its own. */
export const hasOutbox = (storage: Store): boolean => {
  for (const name of storage.names()) if (name.startsWith(OUTBOX)) return true
  return false
}

// Where the outbox lives when localStorage is blocked or full: this page's memory. `parked`: it
// is there because the consent level stores nothing, and goes back to localStorage as soon as a
// write there takes (the level went up again).
let memory: Entry[] | undefined
let parked = false

// The chunk's code avoids Array.prototype's methods: a page may have broken them (the README's
// broken-page rows hold on this path too). Loops, index writes and slice only.

/**
 * The entries in the outbox, oldest first, and the names of the just-appended entries it took
 * in. A broken or foreign value reads as empty, anything that is not an entry is passed over,
 * and an appended value that is not an entry is taken in too, so that it goes.
 */
function read(storage: Store): [Entry[], string[]] {
  let list: unknown
  try { list = memory || JSON.parse(storage.get(OUTBOX) || '[]') } catch {}
  const entries: Entry[] = []
  const taken: string[] = []
  const add = (e: Entry) => {
    // Oldest first: an insertion sort, as the outbox is short and mostly in order already.
    let i = entries.length
    while (i && entries[i - 1]!.t > e.t) entries[i] = entries[--i]!
    entries[i] = e
  }
  if (Array.isArray(list)) {
    for (let i = 0; i < list.length; i++) {
      const e = list[i] as Entry
      if (e && typeof e == 'object' && typeof e.url == 'string') add(e)
    }
  }
  for (const name of storage.names()) {
    if (!name.startsWith(OUTBOX + ':')) continue
    taken[taken.length] = name
    // "{t} {url} {body}": the body, where there is one, may itself hold spaces.
    const line = storage.get(name) || ''
    const [t, url] = line.split(' ', 2)
    const id = name.slice(OUTBOX.length + 1)
    if (url && +t! > 0 && !holds(entries, id)) add({ id, url, body: line.slice(t!.length + url.length + 2) || undefined, t: +t! })
  }
  return [entries, taken]
}
/**
 * A new list from `list`: each entry as `change` returns it, without those it returns nothing
 * for. A loop, for the pages that broke Array.prototype.map and filter.
 */
export function each(list: Entry[], change: (e: Entry) => Entry | false | undefined | void): Entry[] {
  const out: Entry[] = []
  for (let i = 0; i < list.length; i++) {
    const e = change(list[i]!)
    if (e) out[out.length] = e
  }
  return out
}

/** Whether the list holds an entry with this id. */
export function holds(list: Entry[], id: string | undefined): boolean {
  for (let i = 0; i < list.length; i++) if (list[i]!.id == id) return true
  return false
}

/** The entries in the outbox, oldest first (for reading only: changes go through `updateOutbox`). */
export const readOutbox = (storage: Store): Entry[] => read(storage)[0]

/**
 * Writes the whole outbox. A write that did not take (quota, blocked storage) moves it into
 * memory. The just-appended entries it took in are removed once the outbox holds them.
 */
export function writeOutbox(storage: Store, list: Entry[], taken: string[] = []): void {
  if (memory && !parked) memory = list
  else {
    let json = ''
    try { json = JSON.stringify(list) } catch {}
    // A page's broken JSON.stringify writes no list: keep the outbox in memory rather than lose it.
    if (json[0] != '[') return void (memory = list)
    list.length ? storage.set(OUTBOX, json) : storage.remove(OUTBOX)
    if ((storage.get(OUTBOX) || '[]') != json) memory = list
    else memory = undefined, parked = false
  }
  for (const name of taken) storage.remove(name)
}

/** Removes the outbox and every just-appended entry (consent withdrawn). */
export function clearOutbox(storage: Store): void {
  memory = undefined
  parked = false
  for (const name of storage.names()) if (name.startsWith(OUTBOX)) storage.remove(name)
}

/** Moves the outbox out of localStorage into this page's memory (a consent level that stores nothing), with `list` as its entries. */
export function outboxToMemory(storage: Store, list: Entry[]): void {
  clearOutbox(storage)
  memory = list
  parked = true
}

/**
 * Changes the outbox now, without the lock: only for `pagehide`, which cannot wait for one.
 * @param storage - localStorage, guarded.
 * @param change - gets the entries, oldest first (the just-appended ones taken in), and returns the new list.
 */
export function changeOutbox(storage: Store, change: (list: Entry[]) => Entry[]): void {
  const [list, taken] = read(storage)
  writeOutbox(storage, change(list), taken)
}

/**
 * Changes the outbox under the Web Locks API (https://w3c.github.io/web-locks/), so that tabs of
 * the same shop never claim the same entry. Where the API is missing (plain-http pages, which are
 * not a secure context) or refuses (opaque origins), the change runs at once: claims still hold,
 * but two tabs may race within the same few milliseconds.
 * @param storage - localStorage, guarded.
 * @param change - gets the entries, oldest first, and returns the new list; runs while the lock is held.
 * @param locks - `navigator.locks`, where it exists.
 */
export async function updateOutbox(storage: Store, change: (list: Entry[]) => Entry[], locks?: LockManager): Promise<void> {
  let ran = false
  const run = () => {
    ran = true
    changeOutbox(storage, change)
  }
  try {
    await (locks ? locks.request(OUTBOX, run) : run())
  } catch (error) {
    // An opaque-origin document (a sandboxed iframe) has navigator.locks, whose request() throws
    // SecurityError there (Web Locks: a null origin has no lock manager). Its storage is blocked
    // too, so the outbox lives in memory and no other tab shares it: no lock is needed.
    if (ran) throw error
    run()
  }
}
