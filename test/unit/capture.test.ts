import { describe, expect, it } from 'vitest'
import { findTicket, listen } from '../../src/capture'

const el = (ticket: string | null) => ({ nodeType: 1, getAttribute: (name: string) => (name == 'data-esales-ticket' ? ticket : null) })
const text = { nodeType: 3 }

describe('findTicket', () => {
  it('takes the nearest ticketed element on the path', () => {
    expect(findTicket([text, el(null), el('INNER'), el('OUTER')] as unknown as EventTarget[])).toBe('INNER')
  })
  it('returns nothing for an empty or blank nearest ticket, even with a ticketed ancestor', () => {
    expect(findTicket([el(''), el('OUTER')] as unknown as EventTarget[])).toBeUndefined()
    expect(findTicket([el('  \n'), el('OUTER')] as unknown as EventTarget[])).toBeUndefined()
  })
  it('keeps the ticket byte-exact, surrounding spaces included', () => {
    expect(findTicket([el(' a"b ')] as unknown as EventTarget[])).toBe(' a"b ')
  })
  it('passes over non-elements (window, document, shadow roots)', () => {
    expect(findTicket([{}, { nodeType: 9 }, { nodeType: 11 }] as unknown as EventTarget[])).toBeUndefined()
  })
})

describe('listen', () => {
  // A stand-in document. (Node's own EventTarget ignores a boolean useCapture in
  // removeEventListener, which browsers honour; the e2e suite covers the real thing.)
  class Root {
    listeners = new Map<string, (e: Event) => void>()
    addEventListener(type: string, fn: (e: Event) => void, capture: boolean) { if (capture) this.listeners.set(type, fn) }
    removeEventListener(type: string, fn: (e: Event) => void, capture: boolean) { if (capture && this.listeners.get(type) == fn) this.listeners.delete(type) }
    dispatchEvent(e: Event) { this.listeners.get(e.type)?.(e) }
  }
  function fire(target: Root, type: string, button = 0, path: unknown[] = [el('T')]) {
    const event = new Event(type) as Event & { button: number }
    event.button = button
    event.composedPath = () => path as EventTarget[]
    target.dispatchEvent(event)
  }

  it('reports clicks and middle clicks, not right clicks, and stops on removal', () => {
    const root = new Root()
    const seen: string[] = []
    const stop = listen(root as unknown as EventTarget, (t) => seen.push(t))
    fire(root, 'click')
    fire(root, 'auxclick', 1)
    fire(root, 'auxclick', 2)
    fire(root, 'click', 0, [text])
    expect(seen).toEqual(['T', 'T'])
    stop()
    fire(root, 'click')
    expect(seen).toHaveLength(2)
  })

  it('swallows errors from a broken event', () => {
    const root = new Root()
    listen(root as unknown as EventTarget, () => { throw new Error('boom') })
    expect(() => fire(root, 'click')).not.toThrow()
  })
})
