import { afterEach, describe, expect, it, vi } from 'vitest'
import { ADD_TO_CART, FAVORITE, findTarget, listen, TICKET, type Target } from '../../src/page/capture'

/** An element from any realm: only nodeType and getAttribute count. */
const el = (attrs: Record<string, string>) => ({ nodeType: 1, getAttribute: (name: string) => attrs[name] ?? null })
const text = { nodeType: 3 }
const path = (...nodes: unknown[]) => nodes as EventTarget[]

describe('findTarget', () => {
  it('takes the nearest marked element on the path', () => {
    const inner = el({ [TICKET]: 'INNER' })
    expect(findTarget(path(text, el({}), inner, el({ [TICKET]: 'OUTER' })))).toEqual([TICKET, 'INNER', inner])
  })

  it('lets an add-to-cart button or a favorite toggle inside a tile win over the tile', () => {
    const tile = el({ [TICKET]: 'TILE' })
    const cart = el({ [ADD_TO_CART]: 'CART' })
    const fav = el({ [FAVORITE]: 'P1' })
    expect(findTarget(path(cart, tile))).toEqual([ADD_TO_CART, 'CART', cart])
    expect(findTarget(path(fav, tile))).toEqual([FAVORITE, 'P1', fav])
  })

  it('on one element, add-to-cart beats favorite, and both beat the ticket', () => {
    const all = el({ [TICKET]: 'T', [FAVORITE]: 'P', [ADD_TO_CART]: 'C' })
    expect(findTarget(path(all))).toEqual([ADD_TO_CART, 'C', all])
    const two = el({ [TICKET]: 'T', [FAVORITE]: 'P' })
    expect(findTarget(path(two))).toEqual([FAVORITE, 'P', two])
  })

  it('keeps the value byte-exact, and reports an empty value (the tracker drops it)', () => {
    expect(findTarget(path(el({ [TICKET]: ' a"b 🛒 ' })))![1]).toBe(' a"b 🛒 ')
    expect(findTarget(path(el({ [TICKET]: '' }), el({ [TICKET]: 'OUTER' })))![1]).toBe('')
  })

  it('counts elements by nodeType, so nodes from iframes and other realms count', () => {
    // Not an instance of this realm's Element: a plain object, as an iframe's element is to the parent.
    const foreign = Object.create(null) as Record<string, unknown>
    foreign.nodeType = 1
    foreign.getAttribute = (name: string) => (name == TICKET ? 'IFRAME' : null)
    expect(findTarget(path(foreign))![1]).toBe('IFRAME')
  })

  it('passes over non-elements (text, window, document, shadow roots) and finds nothing on an unmarked path', () => {
    expect(findTarget(path({}, text, { nodeType: 9 }, { nodeType: 11 }))).toBeUndefined()
    expect(findTarget(path(el({}), el({ 'data-other': 'x' })))).toBeUndefined()
    expect(findTarget([])).toBeUndefined()
  })
})

describe('listen', () => {
  afterEach(() => { vi.useRealTimers() })

  const tile = el({ [TICKET]: 'T' })
  /** Dispatches a click-like event on a real EventTarget, with the path it would have. */
  function fire(root: EventTarget, type: string, { button = 0, detail = 1, nodes = [tile] as unknown[] } = {}) {
    root.dispatchEvent(Object.assign(new Event(type), { button, detail, composedPath: () => nodes as EventTarget[] }))
  }
  function start(root = new EventTarget()) {
    const seen: [string, boolean][] = []
    const controller = new AbortController()
    listen(root, ([, value], again) => { seen.push([value, again]) }, controller.signal)
    return { root, seen, controller }
  }

  it('reports clicks, keyboard clicks (detail 0) and middle clicks (auxclick, button 1)', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    const { root, seen } = start()
    fire(root, 'click')
    vi.runAllTimers()
    fire(root, 'click', { detail: 0 })
    vi.runAllTimers()
    fire(root, 'auxclick', { button: 1 })
    vi.runAllTimers()
    expect(seen).toEqual([['T', false], ['T', false], ['T', false]])
  })

  it('does not report right clicks, other buttons, or clicks on unmarked elements', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    const { root, seen } = start()
    fire(root, 'auxclick', { button: 2 })
    fire(root, 'click', { button: 2 })
    fire(root, 'auxclick', { button: 3 })
    fire(root, 'click', { nodes: [text, el({})] })
    fire(root, 'contextmenu')
    expect(seen).toEqual([])
  })

  it('does not report the 2nd and later clicks of a double click or a burst', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    const { root, seen } = start()
    fire(root, 'click', { detail: 1 })
    vi.runAllTimers()
    fire(root, 'click', { detail: 2 })
    fire(root, 'click', { detail: 3 })
    fire(root, 'auxclick', { button: 1, detail: 2 })
    expect(seen).toEqual([['T', false]])
  })

  it('reports every click of a burst on a favorite toggle: each one flips it', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    const { root, seen } = start()
    const toggle = el({ [FAVORITE]: 'P1' })
    for (const detail of [1, 2, 3]) {
      fire(root, 'click', { detail, nodes: [toggle] })
      vi.runAllTimers()
    }
    expect(seen).toEqual([['P1', false], ['P1', false], ['P1', false]])
  })

  it('a new pointer or key press marks a new action, also before the timer has run (the browser runs waiting input first)', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    const { root, seen } = start()
    const press = (type: string, trusted = true) => root.dispatchEvent(Object.defineProperty(new Event(type), 'isTrusted', { value: trusted }))
    press('pointerdown')
    fire(root, 'click')
    press('pointerdown')
    fire(root, 'click')
    press('keydown')
    fire(root, 'click', { detail: 0 })
    // A press the page made up itself is no user's.
    press('pointerdown', false)
    fire(root, 'click')
    expect(seen).toEqual([['T', false], ['T', false], ['T', false], ['T', true]])
  })

  it('reports a second click in the same task with again = true, and one after a timer with again = false', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    const { root, seen } = start()
    const checkbox = el({ [FAVORITE]: 'P1' })
    // A click on a label inside a tile clicks its checkbox too, in the same task.
    fire(root, 'click', { nodes: [el({}), tile] })
    fire(root, 'click', { nodes: [checkbox, tile] })
    fire(root, 'click', { nodes: [checkbox, tile] })
    expect(seen).toEqual([['T', false], ['P1', true], ['P1', true]])
    vi.runAllTimers()
    fire(root, 'click')
    expect(seen[3]).toEqual(['T', false])
    vi.runAllTimers()
    fire(root, 'auxclick', { button: 1 })
    fire(root, 'click', { detail: 0 })
    expect(seen.slice(4)).toEqual([['T', false], ['T', true]])
  })

  it('does not start an action on a click it does not report', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    const { root, seen } = start()
    fire(root, 'auxclick', { button: 2 })
    fire(root, 'click', { nodes: [text] })
    fire(root, 'click')
    expect(seen).toEqual([['T', false]])
  })

  it('listens in the capture phase, so that shop code that stops propagation cannot hide a click', () => {
    const added: [string, AddEventListenerOptions | boolean | undefined][] = []
    const root = { addEventListener: (type: string, _fn: unknown, options?: AddEventListenerOptions | boolean) => { added.push([type, options]) } }
    const { signal } = new AbortController()
    listen(root as unknown as EventTarget, () => {}, signal)
    expect(added).toEqual(['click', 'auxclick', 'pointerdown', 'keydown'].map((type) => [type, { capture: true, signal }]))
  })

  it('removes its listeners when the signal aborts', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    const { root, seen, controller } = start()
    fire(root, 'click')
    controller.abort()
    vi.runAllTimers()
    fire(root, 'click')
    fire(root, 'auxclick', { button: 1 })
    expect(seen).toEqual([['T', false]])
  })

  it('adds nothing when the signal has aborted already', () => {
    const root = new EventTarget()
    const seen: Target[] = []
    listen(root, (t) => { seen.push(t) }, AbortSignal.abort())
    fire(root, 'click')
    expect(seen).toEqual([])
  })

  it('swallows errors from the callback and from a broken event', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    const root = new EventTarget()
    let calls = 0
    listen(root, () => { calls++; throw new Error('boom') }, new AbortController().signal)
    expect(() => fire(root, 'click')).not.toThrow()
    expect(calls).toBe(1)
    const broken = Object.assign(new Event('click'), { button: 0, detail: 1, composedPath: () => { throw new TypeError('nope') } })
    expect(() => root.dispatchEvent(broken)).not.toThrow()
  })
})
