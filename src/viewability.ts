// The viewability chunk (dist/esales-ads.js), loaded only on pages with sponsored items. It
// records one ad-impression per ticket and page view once an item has been viewable by the
// IAB/MRC display rule: at least 50 % of its pixels in the viewport (30 % for items over
// 242,500 px²) for one continuous second, counted only while the page is visible.
import { AD } from './ads.js'
import { stringBody } from './body.js'
import { TICKET } from './capture.js'
import { v3Only } from './explain.js'
import { page } from './defaults.js'
import type { Context } from './transport.js'

/** How long an item must stay viewable, in ms. */
export const VIEWABLE_MS = 1000
/** Items larger than this (px²) need 30 % in view rather than 50 %. */
export const LARGE_PX = 242_500

/** Whether an item with this box and this much of it in view counts as viewable; an item without area never does. */
export const isViewable = (width: number, height: number, ratio: number): boolean => width * height > 0 && ratio >= (width * height > LARGE_PX ? 0.3 : 0.5)

/**
 * Whether the shopper can see the item at all, where the browser can tell: not `visibility:
 * hidden`, not `opacity: 0` (a fading carousel's other slides), here or above
 * (`Element.checkVisibility`: these option names since Chrome 121, Firefox 125, Safari 17.4,
 * and the first ones, checkOpacity and checkVisibilityCSS, before).
 */
const seeable = (el: Element) => (el as Element & { checkVisibility?: (o: object) => boolean }).checkVisibility?.({ opacityProperty: true, visibilityProperty: true, checkOpacity: true, checkVisibilityCSS: true }) !== false

/**
 * Watches the page's sponsored items (`data-esales-ad` beside `data-esales-ticket`), also those
 * added, marked or given a new ticket later, and records an ad-impression for each ticket once
 * per page view. A soft navigation (`history.pushState` in a single-page app, or back and
 * forward) starts a new page view; `history.replaceState` does not.
 * @param doc - the document.
 * @param context - the page's notify (the impression goes by beacon, like a click), API and debug setting.
 * @param signal - stops watching when it aborts.
 */
export function watchViewability(doc: Document, context: Context, signal: AbortSignal): void {
  const ctx = page(context)
  if (ctx.api == 'v2') return ctx.log.error(v3Only('ads'))
  const win = doc.defaultView!
  const url = () => win.location.pathname + win.location.search
  const watched = new Set<Element>()
  const inView = new Set<Element>()
  const timers = new Map<Element, ReturnType<typeof setTimeout>>()
  let counted = new Set<string>()
  let view = url()

  const cancel = (el: Element) => {
    clearTimeout(timers.get(el))
    timers.delete(el)
  }
  const arm = (el: Element) => {
    if (timers.has(el) || doc.visibilityState != 'visible' || !seeable(el)) return
    timers.set(el, setTimeout(() => {
      timers.delete(el)
      const ticket = el.getAttribute(TICKET)
      const body = stringBody('ticket', ticket)
      if (!body || !inView.has(el) || !el.hasAttribute(AD) || counted.has(ticket!) || !seeable(el)) return
      counted.add(ticket!)
      ctx.log.debug('ad viewable for 1 s, impression:', ticket)
      ctx.notify('ad-impression', body)
    }, VIEWABLE_MS))
  }
  const io = new IntersectionObserver((entries) => {
    for (const entry of entries) {
      const { target, isIntersecting, intersectionRatio, boundingClientRect: box } = entry
      const ticket = target.getAttribute(TICKET)
      // IntersectionObserver v2 (Chromium) also says whether the item is covered (a fixed cookie
      // banner), transparent or filtered: where it can tell, it must be visible too.
      if (isIntersecting && isViewable(box.width, box.height, intersectionRatio) && (entry as IntersectionObserverEntry & { isVisible?: boolean }).isVisible !== false) {
        if (!inView.has(target)) ctx.log.debug('ad viewable:', ticket)
        inView.add(target)
        arm(target)
      } else {
        if (inView.has(target)) ctx.log.debug('ad no longer viewable:', ticket)
        inView.delete(target)
        cancel(target)
        // A removed item reports "not intersecting" once: let it go.
        if (!target.isConnected) forget(target)
      }
    }
  }, { threshold: [0, 0.3, 0.5, 1], trackVisibility: true, delay: 100 } as IntersectionObserverInit)
  // An item that grows past 242,500 px² (or shrinks below) needs another share in view: look again.
  const ro = typeof ResizeObserver == 'function' ? new ResizeObserver((entries) => { for (const { target } of entries) reobserve(target) }) : undefined
  const reobserve = (el: Element) => {
    // Observing again delivers the item's current intersection at once.
    io.unobserve(el)
    io.observe(el)
  }
  const watch = (el: Element) => {
    if (watched.has(el)) return
    watched.add(el)
    io.observe(el)
    ro?.observe(el)
  }
  const forget = (el: Element) => {
    watched.delete(el)
    inView.delete(el)
    cancel(el)
    io.unobserve(el)
    ro?.unobserve(el)
  }
  const scan = (root: Element | Document) => {
    if (root instanceof Element && root.hasAttribute(AD)) watch(root)
    root.querySelectorAll(`[${AD}]`).forEach(watch)
  }
  // A new page view: the path or query changed with a new history entry (history.pushState: the
  // history grew), or by going back or forward (popstate). Then what is in view counts again,
  // after a second. history.replaceState (a filter, infinite scroll) is the same page view.
  let entries = win.history.length
  const checkView = (event?: Event) => {
    if (url() == view) return
    view = url()
    if (!event && win.history.length == entries) return
    entries = win.history.length
    counted = new Set()
    for (const el of watched) {
      cancel(el)
      inView.delete(el)
      reobserve(el)
    }
  }
  const mo = new MutationObserver((records) => {
    checkView()
    for (const r of records) {
      if (r.type == 'childList') r.addedNodes.forEach((n) => n.nodeType == 1 && scan(n as Element))
      else if (r.attributeName == AD) (r.target as Element).hasAttribute(AD) ? watch(r.target as Element) : forget(r.target as Element)
      // A new ticket on an item: it counts again once viewable for a second.
      else if (watched.has(r.target as Element)) {
        cancel(r.target as Element)
        if (inView.has(r.target as Element)) arm(r.target as Element)
      }
    }
  })
  const onVisibility = () => {
    if (doc.visibilityState == 'visible') for (const el of inView) arm(el)
    // Hidden: the second starts over when the page is seen again.
    else for (const el of watched) cancel(el)
  }
  mo.observe(doc, { childList: true, subtree: true, attributes: true, attributeFilter: [AD, TICKET] })
  doc.addEventListener('visibilitychange', onVisibility, { signal })
  win.addEventListener('popstate', checkView, { signal })
  signal.addEventListener('abort', () => {
    mo.disconnect()
    io.disconnect()
    ro?.disconnect()
    for (const el of watched) cancel(el)
  })
  scan(doc)
}
