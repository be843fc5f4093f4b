/** The attribute that carries an eSales ticket on a tile, content item or suggestion. */
export const TICKET_ATTR = 'data-esales-ticket'

/**
 * The ticket of the nearest ticketed element on an event's path, or undefined when
 * there is none or its ticket is empty or blank.
 * @param path - `event.composedPath()`: it runs through open shadow roots to the document.
 */
export function findTicket(path: readonly EventTarget[]): string | undefined {
  for (const node of path) {
    // nodeType, not instanceof Element: nodes from iframes and other realms count too.
    const ticket = (node as Node).nodeType == 1 ? (node as Element).getAttribute(TICKET_ATTR) : null
    if (ticket != null) return ticket.trim() ? ticket : undefined
  }
  return undefined
}

/**
 * Listens for clicks on ticketed elements: one capture-phase listener on the document,
 * so tiles added later count and shop code that stops propagation cannot hide a click.
 * Primary clicks (with modifiers, and keyboard activation, which fires `click`) and
 * middle clicks (`auxclick`, button 1) count; right clicks do not.
 * @param root - the document (or any event target).
 * @param onTicket - called with the ticket; must not throw and must not block.
 * @returns a function that removes the listeners.
 */
export function listen(root: EventTarget, onTicket: (ticket: string) => void): () => void {
  const handle = (event: Event) => {
    try {
      if (event.type == 'auxclick' && (event as MouseEvent).button != 1) return
      const ticket = findTicket(event.composedPath())
      if (ticket) onTicket(ticket)
    } catch {}
  }
  const types = ['click', 'auxclick']
  for (const type of types) root.addEventListener(type, handle, true)
  return () => { for (const type of types) root.removeEventListener(type, handle, true) }
}
