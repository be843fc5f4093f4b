// What a shopper sees of a sponsored item right now (part of the viewability chunk): one
// sample of the item's pixels, by hit testing on a grid. IntersectionObserver says how much of
// the item is inside the viewport, not whether something covers it; its version 2
// (trackVisibility, Chromium only) says "not visible" for any partial cover and for any
// filter, transform or opacity below 1, on the item or above it, so it cannot say "half seen".

/** Grid points across and down the part of the item inside the viewport. */
const GRID = 3

type Checkable = Element & { checkVisibility?: (options: object) => boolean }

/**
 * Whether the element can be seen at all: not `visibility: hidden`, not `opacity: 0` (the
 * other slides of a fading carousel, which hit testing still finds), here or above
 * (`Element.checkVisibility`: these option names since Chrome 121, Firefox 125, Safari 17.4;
 * checkOpacity and checkVisibilityCSS before). Where the method is missing: yes.
 */
export const seeable = (el: Element): boolean =>
  (el as Checkable).checkVisibility?.({ opacityProperty: true, visibilityProperty: true, checkOpacity: true, checkVisibilityCSS: true }) !== false

/**
 * Whether `el` is what the shopper sees at the point: the top element there is `el` or inside
 * it, or everything above it there is transparent (`opacity: 0`). An element with
 * `pointer-events: none` is passed over by hit testing: it neither covers nor is seen.
 */
function onTop(root: DocumentOrShadowRoot, el: Element, x: number, y: number): boolean {
  const top = root.elementFromPoint(x, y)
  if (!top || el.contains(top)) return !!top
  // Only a transparent element on top costs the longer look.
  if (seeable(top)) return false
  for (const hit of root.elementsFromPoint(x, y)) {
    if (el.contains(hit)) return true
    if (seeable(hit)) return false
  }
  return false
}

/**
 * The share of the element's box that the shopper sees now, from 0 to 1: the part of the box
 * inside its document's viewport, times the share of a 3 × 3 grid of points over that part
 * where the element is on top (so a scrolled box's clipping, a fixed banner or a dialog over
 * it count as not seen). 0 when the element cannot be seen at all, or has no area. With `need`,
 * the grid stops as soon as the answer to "at least `need`?" is known (a covered item costs
 * a few hit tests, not nine): the share returned is then below `need`, or at least it.
 * @param el - the element.
 * @param box - its `getBoundingClientRect()`.
 * @param need - the share that matters, if any.
 */
export function seenShare(el: Element, box: DOMRectReadOnly, need = 0): number {
  const win = el.ownerDocument.defaultView
  // In a shadow tree, its own root finds the element: the document would find its host.
  const root = el.getRootNode() as Partial<DocumentOrShadowRoot>
  if (!win || !root.elementFromPoint || !(box.width * box.height) || !seeable(el)) return 0
  const left = Math.max(box.left, 0)
  const top = Math.max(box.top, 0)
  const width = Math.min(box.right, win.innerWidth) - left
  const height = Math.min(box.bottom, win.innerHeight) - top
  if (width <= 0 || height <= 0) return 0
  const inside = width * height / (box.width * box.height) / (GRID * GRID)
  let hits = 0
  let rest = GRID * GRID
  for (let i = 0; i < GRID; i++) {
    for (let j = 0; j < GRID; j++) {
      // The middle of each cell: never an edge, which two elements share.
      if (onTop(root as DocumentOrShadowRoot, el, left + width * (2 * i + 1) / (2 * GRID), top + height * (2 * j + 1) / (2 * GRID))) hits++
      rest--
      if (need && (inside * hits >= need || inside * (hits + rest) < need)) return inside * hits
    }
  }
  return inside * hits
}
