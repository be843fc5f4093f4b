import { describe, expect, it } from 'vitest'
import { findTarget, listen, type Target } from '../../src/capture'

const el = (attrs: Record<string, string>) => ({ nodeType: 1, getAttribute: (name: string) => attrs[name] ?? null })
const text = { nodeType: 3 }
const path = (...nodes: unknown[]) => nodes as EventTarget[]

describe('findTarget', () => {
  it('takes the nearest marked element on the path', () => {
    const inner = el({ 'data-esales-ticket': 'INNER' })
    expect(findTarget(path(text, el({}), inner, el({ 'data-esales-ticket': 'OUTER' })))).toEqual(['data-esales-ticket', 'INNER', inner])
  })
  it('lets an add-to-cart button or a favorite toggle inside a tile win over the tile', () => {
    const tile = el({ 'data-esales-ticket': 'TILE' })
    expect(findTarget(path(el({ 'data-esales-add-to-cart': 'CART' }), tile))![0]).toBe('data-esales-add-to-cart')
    expect(findTarget(path(el({ 'data-esales-favorite': 'P1' }), tile))![0]).toBe('data-esales-favorite')
  })
  it('keeps the value byte-exact, and reports empty values (the tracker drops them)', () => {
    expect(findTarget(path(el({ 'data-esales-ticket': ' a"b ' })))![1]).toBe(' a"b ')
    expect(findTarget(path(el({ 'data-esales-ticket': '' }), el({ 'data-esales-ticket': 'OUTER' })))![1]).toBe('')
  })
  it('passes over non-elements (window, document, shadow roots)', () => {
    expect(findTarget(path({}, { nodeType: 9 }, { nodeType: 11 }))).toBeUndefined()
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
  const tile = el({ 'data-esales-ticket': 'T' })
  function fire(target: Root, type: string, button = 0, detail = 1, nodes: unknown[] = [tile]) {
    const event = Object.assign(new Event(type), { button, detail, composedPath: () => nodes as EventTarget[] })
    target.dispatchEvent(event)
  }

  it('reports clicks, keyboard clicks and middle clicks; not right clicks, nor the 2nd and later clicks of a burst', () => {
    const root = new Root()
    const seen: Target[] = []
    const stop = listen(root as unknown as EventTarget, (t) => seen.push(t))
    fire(root, 'click')
    fire(root, 'click', 0, 0)
    fire(root, 'auxclick', 1)
    fire(root, 'auxclick', 2)
    fire(root, 'click', 0, 2)
    fire(root, 'click', 0, 3)
    fire(root, 'click', 0, 1, [text])
    expect(seen.map((t) => t[1])).toEqual(['T', 'T', 'T'])
    stop()
    fire(root, 'click')
    expect(seen).toHaveLength(3)
  })

  it('counts every click of a burst on a favorite toggle: each one flips it', () => {
    const root = new Root()
    const seen: Target[] = []
    listen(root as unknown as EventTarget, (t) => seen.push(t))
    const toggle = el({ 'data-esales-favorite': 'P1' })
    fire(root, 'click', 0, 1, [toggle])
    fire(root, 'click', 0, 2, [toggle])
    expect(seen).toHaveLength(2)
  })

  it('swallows errors from the callback', () => {
    const root = new Root()
    listen(root as unknown as EventTarget, () => { throw new Error('boom') })
    expect(() => fire(root, 'click')).not.toThrow()
  })
})
