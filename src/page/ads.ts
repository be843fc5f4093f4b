// Notices sponsored items (`data-esales-ad`), so that the viewability code, a chunk of its own,
// loads only on pages that have them.
import type { Context } from './transport.js'

/** The attribute that marks a sponsored item, beside its `data-esales-ticket`. */
export const AD = 'data-esales-ad'
/**
 * A sponsored item: `data-esales-ad` with any value but `false`, which React
 * (`data-esales-ad={item.sponsored}`) and Vue (`:data-esales-ad="item.sponsored"`) render on
 * organic items; the empty value (the bare attribute) is sponsored.
 */
export const SPONSORED = `[${AD}]:not([${AD}=false])`

/** What the lazily loaded viewability chunk (`esales-ads.js`) exports. */
export interface AdsModule {
  /** Watches the page's sponsored items and records one ad-impression per ticket and page view once each has been viewable, until `signal` aborts. */
  watchViewability(doc: Document, ctx: Context, signal: AbortSignal): void
}

/**
 * Calls `found` once the page has a sponsored item: now, or when one is added
 * or marked later. A mutation only arms a timer; the check itself (one `querySelector`) runs at
 * most every 250 ms, so that a page that changes its DOM all the time pays next to nothing.
 * @param doc - the document.
 * @param found - called once.
 * @param signal - stops watching when it aborts.
 */
export function watchForAds(doc: Document, found: () => void, signal: AbortSignal): void {
  let timer: unknown
  const check = () => {
    timer = 0
    if (!signal.aborted && doc.querySelector(SPONSORED)) {
      observer.disconnect()
      found()
    }
  }
  const observer = new MutationObserver(() => { timer ||= setTimeout(check, 250) })
  observer.observe(doc, { childList: true, subtree: true, attributeFilter: [AD] })
  signal.addEventListener('abort', () => observer.disconnect())
  check()
}
