/** The attributes the listener looks for, nearest first wins: add-to-cart, favorite, ticket. */
export const ATTRS = ['data-esales-add-to-cart', 'data-esales-favorite', 'data-esales-ticket'] as const

/** What a click hit: the attribute, its value, and the element that carries it. */
export type Target = [attr: (typeof ATTRS)[number], value: string, element: Element]

/**
 * The nearest element on an event's path that carries one of `ATTRS`. An add-to-cart button
 * or favorite toggle inside a ticketed tile is nearer than the tile, so it wins.
 * @param path - `event.composedPath()`: it runs through open shadow roots to the document.
 */
export function findTarget(path: readonly EventTarget[]): Target | undefined {
  for (const node of path) {
    // nodeType, not instanceof Element: nodes from iframes and other realms count too.
    if ((node as Node).nodeType == 1) {
      for (const attr of ATTRS) {
        const value = (node as Element).getAttribute(attr)
        if (value != null) return [attr, value, node as Element]
      }
    }
  }
  return undefined
}

/**
 * Listens for clicks on marked elements: one capture-phase listener on the document,
 * so elements added later count and shop code that stops propagation cannot hide a click.
 * Primary clicks (with modifiers, and keyboard activation, which fires `click`) and
 * middle clicks (`auxclick`, button 1) count; right clicks do not, and neither do the second
 * and later clicks of a double click or a burst (except on favorite toggles).
 * @param root - the document (or any event target).
 * @param onTarget - called with what was hit; must not block.
 * @returns a function that removes the listeners.
 */
export function listen(root: EventTarget, onTarget: (target: Target) => void): () => void {
  const handle = (event: Event) => {
    try {
      // click: the primary button, also for keyboard activation; auxclick: 1 is the middle button.
      if ((event as MouseEvent).button > 1) return
      const target = findTarget(event.composedPath())
      // detail counts the clicks of a double click or a burst on one spot (UI Events): only the
      // first sends, but every click of a favorite toggle flips it. Keyboard activation has detail 0.
      if (target && ((event as MouseEvent).detail < 2 || target[0] == ATTRS[1])) onTarget(target)
    } catch {}
  }
  const types = ['click', 'auxclick']
  for (const type of types) root.addEventListener(type, handle, true)
  return () => { for (const type of types) root.removeEventListener(type, handle, true) }
}
