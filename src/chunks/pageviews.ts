// Page views for ad impressions (part of the viewability chunk): which tickets this page view
// has counted, and when a single-page app's soft navigation starts a new page view. The record
// lives on the document, so that every copy of the library on a page (two bundles, a tracker
// created after destroy()) counts an item once.

/** What a document remembers of its current page view. */
export interface PageView {
  /** The document's URL without its fragment, as last seen. */
  url: string
  /** The tickets already counted in this page view. */
  counted: Set<string>
  /** How many page views this document has had before this one. */
  n: number
}

/** Where a document keeps its PageView: one key for every copy of the library. */
const VIEW = Symbol.for('esales.pageView')
/** Where a History keeps the hooks of its wrapped pushState and replaceState. */
const HOOKS = Symbol.for('esales.historyHooks')

type Hook = (push: boolean) => void
type WithView = Document & { [VIEW]?: PageView }
type WithHooks = History & { [HOOKS]?: Set<Hook> }

/** The Navigation API's part that is used here (not in TypeScript's DOM types yet). */
interface Navigation extends EventTarget {
  currentEntry?: { url: string | null } | null
}
type EntryChange = Event & { navigationType?: string }

/** A URL without its fragment: a link to `#reviews` stays on the page view. */
const withoutFragment = (url: string) => url.split('#')[0]!

/**
 * Moves `view` to `url`; a push or traverse to another URL starts a new page view. Each copy
 * of the library calls it for the same change, and only the first one finds the URL new.
 */
function visit(view: PageView, url: string, push: boolean) {
  if (push && url != view.url) {
    view.counted = new Set()
    view.n++
  }
  view.url = url
}

/**
 * Wraps `history.pushState` and `replaceState` once per History, as Plausible's tracker wraps
 * pushState: the original runs with the same `this` and arguments, its value is returned and
 * its exception thrown as they were, and the hooks run after it without throwing. The
 * wrappers stay when the tracker ends: a router may have wrapped them again since.
 */
function historyHooks(history: History): Set<Hook> {
  const h = history as WithHooks
  if (h[HOOKS]) return h[HOOKS]
  const hooks = new Set<Hook>()
  for (const name of ['pushState', 'replaceState'] as const) {
    const original = h[name]
    h[name] = function (this: History, ...args: Parameters<History['pushState']>) {
      const result = original.apply(this, args)
      hooks.forEach((hook) => { try { hook(name == 'pushState') } catch {} })
      return result
    }
  }
  h[HOOKS] = hooks
  return hooks
}

/**
 * The document's page view, shared by every tracker on it, and a watch for soft navigations.
 * A push or traverse (back, forward) to a URL that differs from the last one, fragment aside,
 * starts a new page view: the Navigation API's `currententrychange` where it exists (Chromium
 * 102, Firefox 147, Safari 26.2); elsewhere the wrapped `history.pushState` and `popstate`.
 * `history.replaceState` (a filter, infinite scroll) and `reload` are the same page view.
 * @param doc - the document.
 * @param onNewView - called after each new page view, once its record is fresh.
 * @param signal - stops watching when it aborts.
 * @returns the page view, whose `counted` is replaced at each new page view: read it each time.
 */
export function watchPageViews(doc: Document, onNewView: () => void, signal: AbortSignal): PageView {
  const win = doc.defaultView!
  const nav = (win as Window & { navigation?: Navigation }).navigation
  const here = () => withoutFragment(nav?.currentEntry?.url || win.location.href)
  const d = doc as WithView
  const view = d[VIEW] ||= { url: here(), counted: new Set(), n: 0 }
  // The URL moved while no tracker watched (between destroy() and createTracker): a new page view.
  visit(view, here(), true)
  let n = view.n
  const changed = (push: boolean) => {
    visit(view, here(), push)
    if (view.n != n) {
      n = view.n
      onNewView()
    }
  }
  if (nav && typeof nav.addEventListener == 'function') {
    nav.addEventListener('currententrychange', (e) => {
      const type = (e as EntryChange).navigationType
      changed(type == 'push' || type == 'traverse')
    }, { signal })
  } else {
    try {
      const hooks = historyHooks(win.history)
      hooks.add(changed)
      signal.addEventListener('abort', () => hooks.delete(changed))
    } catch {
      // A page that froze History: back and forward still count.
    }
    win.addEventListener('popstate', () => changed(true), { signal })
  }
  return view
}
