// Click capture: which marked element a click, a middle click or a keyboard activation hit,
// once per user action.

/** An add-to-cart button: a click sends add-to-cart with this ticket, and no click. */
export const ADD_TO_CART = 'data-esales-add-to-cart'
/** A favorite toggle: a click sends add- or remove-favorite for this product key. */
export const FAVORITE = 'data-esales-favorite'
/** A product tile, content item or suggestion: a click sends a click notification with this ticket. */
export const TICKET = 'data-esales-ticket'
// On one element, the first of these wins.
const MARKS = [ADD_TO_CART, FAVORITE, TICKET] as const

/** What a click hit: the attribute, its value, and the element that carries it. */
export type Target = [attr: (typeof MARKS)[number], value: string, element: Element]

/**
 * The nearest element on an event's path that carries one of the marks. An add-to-cart button
 * or favorite toggle inside a ticketed tile is nearer than the tile, so it wins.
 * @param path - `event.composedPath()`: it runs through open shadow roots to the document.
 */
export function findTarget(path: readonly EventTarget[]): Target | undefined {
  for (const node of path) {
    // nodeType, not instanceof Element: nodes from iframes and other realms count too.
    if ((node as Node).nodeType == 1) {
      for (const attr of MARKS) {
        const value = (node as Element).getAttribute(attr)
        if (value != null) return [attr, value, node as Element]
      }
    }
  }
  return undefined
}

/**
 * Listens for clicks on marked elements: one capture-phase listener on the window, so
 * elements added later count and shop code that stops propagation cannot hide a click.
 * Primary clicks (with modifiers, and keyboard activation, which fires `click`) and middle
 * clicks (`auxclick`, button 1) count; right clicks do not, and neither do the second and later
 * clicks of a double click or a burst (except on favorite toggles, which flip on each).
 *
 * One user action sends one notification. Where the browser dispatches more than one click for
 * one action, all of them run in the same task: a click on a `<label>` clicks its control too
 * (HTML, the label element's activation behaviour), and shop code may call `element.click()`
 * from its own handler. The later one is the action's meaning (a favorite checkbox inside a
 * label, inside a tile), so it replaces the earlier one: `onTarget` learns that from `again`.
 * @param root - the window: its capture phase comes first, before any element's listener (or any event target).
 * @param onTarget - called with what was hit, whether it is a later click of the same action, and
 *   the innermost node the click hit (its target, through open shadow roots); must not block.
 * @param signal - removes the listeners when it aborts.
 */
export function listen(root: Pick<EventTarget, 'addEventListener'>, onTarget: (target: Target, again: boolean, hit: EventTarget | undefined) => void, signal: AbortSignal): void {
  // The clicks of one action run in one task, and no new pointer or key press comes between
  // them. Both are needed: the browser runs a waiting press and click before a timer set in
  // the first click's task, and a label's click on its control comes without a press.
  let inTask = false
  let pressed = false
  const handle = (event: Event) => {
    try {
      if (event.type[0] != 'c' && event.type[0] != 'a') return void (event.isTrusted && (pressed = true))
      // click: the primary button, also for keyboard activation; auxclick: 1 is the middle button.
      if ((event as MouseEvent).button > 1) return
      const path = event.composedPath()
      const target = findTarget(path)
      // detail counts the clicks of a double click or a burst on one spot (UI Events).
      if (target && ((event as MouseEvent).detail < 2 || target[0] == FAVORITE)) {
        onTarget(target, inTask && !pressed, path[0])
        pressed = false
        // A timer runs in a later task: until then, a click without a new press belongs to this action.
        if (!inTask) {
          inTask = true
          setTimeout(() => { inTask = false })
        }
      }
    } catch {}
  }
  for (const type of ['click', 'auxclick', 'pointerdown', 'keydown']) root.addEventListener(type, handle, { capture: true, signal })
}
