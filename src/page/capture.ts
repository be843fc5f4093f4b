// Click capture: which marked element a shopper's click, middle click, keyboard activation or
// keyboard-chosen suggestion hit, once per user action.

/** An add-to-cart button: a click sends add-to-cart with this ticket, and no click. */
export const ADD_TO_CART = 'data-esales-add-to-cart'
/** A favorite toggle: a click sends add- or remove-favorite for this product key. */
export const FAVORITE = 'data-esales-favorite'
/** A product tile, content item or suggestion: a click sends a click notification with this ticket. */
export const TICKET = 'data-esales-ticket'
// On one element, the first of these wins.
const MARKS = [ADD_TO_CART, FAVORITE, TICKET] as const
/** A pointer that moved more than this (CSS px, squared) between press and click dragged: Embla's 10 px; Swiper starts at 5. */
export const DRAG_PX2 = 100
/**
 * The shopper's input that page code may answer with `element.click()`: while one of these is
 * being dispatched, a click made by script counts as the shopper's.
 */
export const INPUT = ['click', 'auxclick', 'pointerdown', 'mousedown', 'keydown', 'pointerup', 'mouseup', 'keyup', 'touchend', 'change']

/** What a click hit: the attribute, its value, and the element that carries it. */
export type Target = [attr: (typeof MARKS)[number], value: string, element: Element]

/**
 * The nearest element on an event's path that carries one of the marks. An add-to-cart button
 * or favorite toggle inside a ticketed tile is nearer than the tile, so it wins.
 * @param path - `event.composedPath()`: it runs through open shadow roots to the document.
 */
export function findTarget(path: Iterable<EventTarget>): Target | undefined {
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

/** Whether a link is on the path: a middle click there opens it in a new tab. A loop: a page may have broken Array.prototype.some. */
const opens = (path: EventTarget[]) => {
  for (const node of path) if ((node as Element).matches?.('a[href],area[href]')) return true
}

/**
 * Makes the capture handler: it gets every event type of `INPUT`, and calls `onTarget` for
 * each action a shopper took on a marked element. What counts:
 * - a click, with modifiers or from the keyboard, and a middle click (`auxclick`, button 1)
 *   where it opens something: a link on its path. Right clicks do not count, nor the second and
 *   later clicks of a double click or a burst (except on favorite toggles, which flip on each).
 * - not a drag: a click whose pointer moved more than 10 px since it went down (a carousel's
 *   drag, which the carousel cancels).
 * - a click that page code makes (`element.click()`) only while a shopper's input event is
 *   being dispatched: its `eventPhase` is not `NONE` (DOM, dispatch) until the last listener
 *   has returned. `navigator.userActivation` would not do: it stays active for seconds, long
 *   enough for a banner's timer to click as if it were the shopper.
 * - Enter in a combobox (`aria-activedescendant` on the focused element, WAI-ARIA APG), whose
 *   active option is, is inside or holds a ticketed element: that element's click.
 *
 * One action, one notification: a click that belongs to the action before (no new press since,
 * and, for a trusted one, in the same task) on an element inside or around that action's
 * element is the same action, and its meaning: a `<label>`'s click on its control (HTML, the
 * label element's activation behaviour), a tile's handler that clicks the tile's own link, a
 * combobox that clicks the option that Enter chose. A handler's clicks on other marked
 * elements (a "buy the look" button that presses three add-to-cart buttons) are actions of
 * their own.
 * @param onTarget - called with what was hit, whether it replaces the action before, and the
 *   innermost node hit (through open shadow roots); must not block.
 */
export function capture(onTarget: (target: Target, again: boolean, hit: EventTarget | undefined, late?: Event) => void): (event: Event) => void {
  // The browser runs a waiting press and click before a timer set in the first click's task,
  // and a label's click on its control comes without a press: both are needed.
  let inTask: unknown
  let pressed = false
  // The shopper's input event last seen, and the marked element of the last action.
  let input: Event | undefined
  let last: Element | undefined
  // The press where the pointer went down (its screen position), until a click that counts has used it.
  let down: MouseEvent | 0 | false = 0
  // A click that moved a little: whether it was a drag, its page decides (defaultPrevented).
  let late: Event | undefined
  return (event) => {
    try {
      const e = event as PointerEvent & KeyboardEvent
      const { type, isTrusted: trusted } = event
      const path = event.composedPath()
      let hit = path[0] as Element
      let target: Target | undefined
      // The outermost input that is being dispatched: a checkbox that a handler clicks fires a
      // trusted `change` inside it, which must not end the shopper's action early.
      if (trusted && !input?.eventPhase) input = event
      if (/n$/.test(type)) {
        if (!trusted) return
        pressed = true
        // pointerdown and mousedown both: a page that cancels pointerdown gets no mousedown, and
        // WebKitGTK sends no pointerdown for a repeated press. Not a touch's pointerdown: the
        // browser clicks only a tap that stayed within its slop, and a carousel that takes a
        // short swipe for a drag cancels the click (below); its mousedown comes at the tap's end,
        // where one comes at all (Pointer Events: none where the page cancels the pointerdown, as
        // Swiper does on its slides), so a touch forgets the press before it.
        if (type[0] != 'k') return void (down = e.pointerType != 'touch' && e)
        // Enter on a combobox's active option (aria-activedescendant), or on an option that
        // has the focus itself, while it is shown.
        // A collapsed combobox (aria-expanded="false") whose widget left its active descendant set
        // shows no option: Enter there submits what the shopper typed.
        const id = e.key == 'Enter' && !e.isComposing && !e.repeat && hit.getAttribute('aria-expanded') != 'false' && hit.getAttribute('aria-activedescendant')
        const option = id ? (hit.getRootNode() as Document).getElementById(id) : e.key == 'Enter' && hit.getAttribute('role') == 'option' && hit
        const el = option && option.getClientRects().length && (option.closest(`[${TICKET}]`) || option.querySelector(`[${TICKET}]`))
        if (!el || !(target = findTarget([hit = el]))) return
      } else {
        const moved = e.detail && down ? (e.screenX - down.screenX) ** 2 + (e.screenY - down.screenY) ** 2 : 0
        if (!/k$/.test(type) || e.button > 1 || !(target = findTarget(path)) ||
          // Page code's click counts while the shopper's input is being dispatched, where it
          // presses something: the marked element itself, or a link (a default swatch that an
          // observer or an effect selects presses nothing).
          !trusted && (!input?.eventPhase || hit != target[2] && !opens(path)) ||
          // A drag is no click; detail counts the clicks of a double click or a burst on one
          // spot (UI Events), and only a tile's later clicks are one (an add-to-cart or a
          // favorite toggle presses again); 0 from the keyboard or script.
          moved > DRAG_PX2 || e.detail > 1 && target[0] == TICKET ||
          // A middle click presses nothing: it counts for a tile where it opens a link.
          type[0] == 'a' && (target[0] != TICKET || !opens(path))) return
        // A short move (a carousel that starts its drag at a few px cancels the click): decided
        // once the click is done, by whether the page cancelled it.
        if (moved > 4) late = event
      }
      // A click that counts uses up its press: a later click without one (assistive technology)
      // is not judged against it. One dropped as a drag keeps it, for the label's click on its control.
      if (e.detail) down = 0
      const el = target[2]
      // The same action: no new press, and an element inside or around the last one's: in the
      // same task for a trusted click (a label's click on its control); for page code's click,
      // the same element or a link (a tile's handler that follows the tile's own link).
      const again = !pressed && !!last && (last.contains(el) || el.contains(last)) && (trusted ? !!inTask : el == last || !!opens(path))
      onTarget(target, again, hit, late)
      late = undefined
      last = el
      pressed = false
      // A timer runs in a later task: until then, a click without a new press belongs to this
      // action. (A timer's id is never 0.)
      inTask ||= setTimeout(() => { inTask = 0 })
    } catch {}
  }
}

/**
 * Listens for shoppers' actions on marked elements: one capture-phase listener on the window
 * for each input event type, so elements added later count and shop code that stops
 * propagation cannot hide a click. See `capture` for what counts.
 * @param root - the window: its capture phase comes first, before any element's listener.
 * @param onTarget - see `capture`.
 * @param signal - removes the listeners when it aborts.
 */
export function listen(root: Pick<EventTarget, 'addEventListener'>, onTarget: (target: Target, again: boolean, hit: EventTarget | undefined, late?: Event) => void, signal: AbortSignal): void {
  const handle = capture(onTarget)
  for (const type of INPUT) root.addEventListener(type, handle, { capture: true, signal })
}
