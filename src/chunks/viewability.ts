// The viewability chunk (dist/esales-ads.js), loaded only on pages with sponsored items. It
// records one ad-impression per ticket and page view once an item has been viewable by the
// IAB/MRC display rule: at least 50 % of its pixels seen (30 % for items of 242,500 px² or more, such as the 970 × 250 billboard) for
// one continuous second, counted only while the page is visible. IntersectionObserver says
// which items are in view; only while one is, and still due, its pixels are sampled.
import { AD, SPONSORED } from '../page/ads.js'
import { stringBody } from '../shared/body.js'
import { TICKET } from '../page/capture.js'
import { v3Only } from './explain.js'
import { page } from './defaults.js'
import { watchPageViews } from './pageviews.js'
import { seeable, seenShare } from './seen.js'
import type { Context } from '../page/transport.js'

/** How long an item must stay viewable, in ms. */
export const VIEWABLE_MS = 1000
/** How often an item in view is sampled, in ms: a cover or a fade shorter than this can be missed. */
export const SAMPLE_MS = 200
/** Items of this area (px²) or more need 30 % in view rather than 50 % (MRC: 242,500 px², the 970 × 250 billboard). */
export const LARGE_PX = 242_500
/**
 * An item in view that something has covered for this many samples in a row (a cookie wall,
 * a dialog) is sampled only every this many ticks, until it passes or comes into view
 * again: many covered items cost little, and an item seen again counts at most about a
 * second late.
 */
export const SLOW_AFTER = 5

/** The share of an item with this box that must be seen: 30 % of a large one, else 50 %. */
const needed = (width: number, height: number) => width * height >= LARGE_PX ? 0.3 : 0.5
/** Whether an item with this box and this share of it seen counts as viewable; an item without area never does. */
export const isViewable = (width: number, height: number, ratio: number): boolean => width * height > 0 && ratio >= needed(width, height)

/**
 * Watches the page's sponsored items (`data-esales-ad` beside `data-esales-ticket`), also those
 * added, marked or given a new ticket later, and records an ad-impression for each ticket once
 * per page view (see pageviews.ts: a soft navigation starts a new one).
 * @param doc - the document.
 * @param context - the page's notify (the impression goes by beacon, like a click), API and debug setting.
 * @param signal - stops watching when it aborts.
 */
export function watchViewability(doc: Document, context: Context, signal: AbortSignal): void {
  const ctx = page(context)
  if (ctx.api == 'v2') return ctx.log.error(v3Only('ads'))
  if (typeof IntersectionObserver != 'function') return ctx.log.debug('no IntersectionObserver: no ad impressions')
  const watched = new Set<Element>()
  // The items that IntersectionObserver last saw in view at their share: the ones to sample.
  const inView = new Set<Element>()
  // When each item's unbroken run of viewable samples began.
  const since = new Map<Element, number>()
  // How many samples in a row each item has failed; and the ticks so far.
  const misses = new Map<Element, number>()
  let ticks = 0
  let timer: ReturnType<typeof setTimeout> | undefined
  // Each new page view starts every item's second over.
  const view = watchPageViews(doc, () => { since.clear(); tick() }, signal)

  const ticketOf = (el: Element) => el.getAttribute(TICKET)
  /** Whether the item has an impression to send in this page view. */
  const due = (el: Element) => el.matches(SPONSORED) && !!stringBody('ticket', ticketOf(el)) && !view.counted.has(ticketOf(el)!)
  const drop = (el: Element) => { if (since.delete(el)) ctx.log.debug('ad no longer viewable:', ticketOf(el)) }
  const sample = (el: Element, now: number) => {
    if (!due(el)) return void since.delete(el)
    const box = el.getBoundingClientRect()
    if (!isViewable(box.width, box.height, seenShare(el, box, needed(box.width, box.height)))) {
      // Only a cover costs hit tests; a transparent item (a carousel's next slide) stays quick to catch.
      if (seeable(el)) misses.set(el, (misses.get(el) || 0) + 1)
      return drop(el)
    }
    misses.delete(el)
    const ticket = ticketOf(el)!
    const start = since.get(el)
    if (start == null) {
      since.set(el, now)
      ctx.log.debug('ad viewable:', ticket)
    } else if (now - start >= VIEWABLE_MS) {
      since.delete(el)
      view.counted.add(ticket)
      ctx.log.debug('ad viewable for 1 s, impression:', ticket)
      ctx.notify('ad-impression', stringBody('ticket', ticket))
    }
  }
  /** Samples the items in view now, and again every 200 ms while one is due and the page visible: a page whose items are out of view, or counted, runs no timer. */
  const tick = () => {
    clearTimeout(timer)
    timer = undefined
    if (doc.visibilityState != 'visible') return
    const now = performance.now()
    let more = false
    ticks++
    for (const el of inView) {
      if ((misses.get(el) || 0) < SLOW_AFTER || !(ticks % SLOW_AFTER)) sample(el, now)
      more ||= due(el)
    }
    if (more) timer = setTimeout(tick, SAMPLE_MS)
  }
  const io = new IntersectionObserver((entries) => {
    let entered = false
    for (const { target, isIntersecting, intersectionRatio, boundingClientRect: box } of entries) {
      // In view at its share, through every clipping box and frame: worth sampling. The sample
      // then counts what is on top; what is inside the viewport but clipped, it counts once.
      if (isIntersecting && isViewable(box.width, box.height, intersectionRatio)) {
        if (inView.has(target)) continue
        inView.add(target)
        misses.delete(target)
        entered = true
        ctx.log.debug('ad in view:', ticketOf(target))
      } else {
        if (inView.delete(target)) ctx.log.debug('ad out of view:', ticketOf(target))
        drop(target)
        // A removed item reports "not intersecting" once: let it go.
        if (!target.isConnected) forget(target)
      }
    }
    if (entered) tick()
  }, { threshold: [0, 0.3, 0.5] })
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
    since.delete(el)
    misses.delete(el)
    io.unobserve(el)
    ro?.unobserve(el)
  }
  const scan = (root: Element | Document) => {
    if (root instanceof Element && root.matches(SPONSORED)) watch(root)
    root.querySelectorAll(SPONSORED).forEach(watch)
  }
  const mo = new MutationObserver((records) => {
    for (const r of records) {
      const el = r.target as Element
      if (r.type == 'childList') r.addedNodes.forEach((n) => n.nodeType == 1 && scan(n as Element))
      else if (r.attributeName == AD) el.matches(SPONSORED) ? watch(el) : forget(el)
      // A new ticket on an item: it counts again once viewable for a second.
      else if (since.delete(el) || inView.has(el)) tick()
    }
  })
  const onVisibility = () => {
    // Hidden: every second starts over when the page is seen again.
    if (doc.visibilityState != 'visible') since.clear()
    tick()
  }
  mo.observe(doc, { childList: true, subtree: true, attributes: true, attributeFilter: [AD, TICKET] })
  doc.addEventListener('visibilitychange', onVisibility, { signal })
  signal.addEventListener('abort', () => {
    mo.disconnect()
    io.disconnect()
    ro?.disconnect()
    clearTimeout(timer)
  })
  scan(doc)
}
