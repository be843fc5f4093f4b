import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { ADD_TO_CART, capture, FAVORITE, findTarget, INPUT, listen, TICKET, type Target } from '../../src/page/capture'

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

/** An element that knows what it contains: a tree of plain objects. */
class Node1 {
  kids: Node1[] = []
  parent?: Node1
  constructor(public attrs: Record<string, string> = {}, public tag = 'div') {}
  get nodeType() { return 1 }
  getAttribute(name: string) { return this.attrs[name] ?? null }
  add(...kids: Node1[]) { for (const k of kids) { k.parent = this; this.kids.push(k) } return this }
  contains(other: Node1): boolean { return other == this || this.kids.some((k) => k.contains(other)) }
  /** This node and its ancestors: an event's path. */
  get path() { const p: Node1[] = []; for (let n: Node1 | undefined = this; n; n = n.parent) p.push(n); return p }
  matches(sel: string) { return sel == 'a[href],area[href]' && (this.tag == 'a' || this.tag == 'area') && 'href' in this.attrs }
  closest(sel: string) { return this.path.find((n) => sel == `[${TICKET}]` && TICKET in n.attrs) ?? null }
  querySelector(sel: string): Node1 | null {
    for (const k of this.kids) { const hit = sel == `[${TICKET}]` && TICKET in k.attrs ? k : k.querySelector(sel); if (hit) return hit }
    return null
  }
  getRootNode() { return { getElementById: (id: string) => ids.get(id) ?? null } }
  /** Shown: one box, unless hidden. */
  hidden = false
  getClientRects() { return this.hidden ? [] : [{}] }
}
const ids = new Map<string, Node1>()

interface Fake { type: string; pointerType?: string; isTrusted?: boolean; button?: number; detail?: number; screenX?: number; screenY?: number; key?: string; isComposing?: boolean; repeat?: boolean; eventPhase?: number; on?: Node1 }
/** An event as the handler sees it; trusted unless said otherwise. */
const ev = ({ on, ...rest }: Fake) => ({ isTrusted: true, button: 0, detail: 1, screenX: 10, screenY: 10, eventPhase: 0, composedPath: () => on ? on.path : [], ...rest }) as unknown as Event

function start() {
  const seen: [string, boolean][] = []
  const handle = capture(([, value], again) => { seen.push([value, again]) })
  /** The whole of a mouse click at (x, y), press to click. */
  const click = (on: Node1, { x = 10, y = 10, from = [x, y] as number[], detail = 1, button = 0 }: { x?: number; y?: number; from?: number[]; detail?: number; button?: number } = {}) => {
    handle(ev({ type: button ? 'pointerdown' : 'pointerdown', on, screenX: from[0], screenY: from[1], button }))
    handle(ev({ type: 'mousedown', on, screenX: from[0], screenY: from[1], button }))
    handle(ev({ type: button ? 'auxclick' : 'click', on, screenX: x, screenY: y, detail, button }))
  }
  return { seen, handle, click }
}

describe('capture', () => {
  afterEach(() => { vi.useRealTimers() })
  beforeEach(() => { vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] }) })

  it('reports clicks, keyboard clicks (detail 0) and middle clicks on links (auxclick, button 1)', () => {
    const { seen, handle, click } = start()
    const tile = new Node1({ [TICKET]: 'T' })
    const link = new Node1({ href: '/p', [TICKET]: 'L' }, 'a')
    click(tile)
    vi.runAllTimers()
    handle(ev({ type: 'keydown', key: 'Enter', on: link }))
    handle(ev({ type: 'click', detail: 0, on: link }))
    vi.runAllTimers()
    click(link, { button: 1 })
    vi.runAllTimers()
    expect(seen).toEqual([['T', false], ['L', false], ['L', false]])
  })

  it('a middle click counts only where a link on its path opens something: not on a button, a favorite toggle or a tile\'s text', () => {
    const { seen, click } = start()
    const tile = new Node1({ [TICKET]: 'T' })
    const text = new Node1({}, 'span')
    const cart = new Node1({ [ADD_TO_CART]: 'C' }, 'button')
    const fav = new Node1({ [FAVORITE]: 'P' }, 'button')
    const noHref = new Node1({}, 'a')
    const area = new Node1({ href: '/p' }, 'area')
    const wrapper = new Node1({ href: '/p' }, 'a')
    const inside = new Node1({ [TICKET]: 'IN' })
    tile.add(text, cart, fav, noHref)
    wrapper.add(inside)
    const mapTile = new Node1({ [TICKET]: 'MAP' }).add(area)
    for (const n of [text, cart, fav, noHref]) { click(n, { button: 1 }); vi.runAllTimers() }
    expect(seen).toEqual([])
    click(area, { button: 1 })
    vi.runAllTimers()
    // A tile inside a link: the middle click opens the link.
    click(inside, { button: 1 })
    expect(seen).toEqual([['MAP', false], ['IN', false]])
  })

  it('does not report right clicks, other buttons, or clicks on unmarked elements', () => {
    const { seen, handle } = start()
    const tile = new Node1({ [TICKET]: 'T' })
    handle(ev({ type: 'auxclick', button: 2, on: tile }))
    handle(ev({ type: 'click', button: 2, on: tile }))
    handle(ev({ type: 'auxclick', button: 3, on: tile }))
    handle(ev({ type: 'click', on: new Node1() }))
    handle(ev({ type: 'contextmenu', on: tile }))
    expect(seen).toEqual([])
  })

  it('a drag is not a click: more than 10 px between press and click (squared: 100); a plain click and a little jitter are', () => {
    const { seen, click } = start()
    const slide = new Node1({ [TICKET]: 'SLIDE' })
    click(slide, { from: [100, 100], x: 160, y: 100 })
    vi.runAllTimers()
    click(slide, { from: [100, 100], x: 107, y: 108 })
    vi.runAllTimers()
    click(slide, { from: [100, 100], x: 106, y: 108 })
    vi.runAllTimers()
    click(slide, { from: [100, 100], x: 100, y: 100 })
    expect(seen).toEqual([['SLIDE', false], ['SLIDE', false]])
  })

  it('a label\'s click on its control after a drag is dropped too (the same gesture); a keyboard click never counts as a drag', () => {
    const { seen, handle, click } = start()
    const tile = new Node1({ [TICKET]: 'T' })
    click(tile, { from: [0, 0], x: 50, y: 0 })
    handle(ev({ type: 'click', on: tile, screenX: 50, screenY: 0 }))
    vi.runAllTimers()
    // Enter on a link: a click with detail 0 and no position.
    handle(ev({ type: 'keydown', key: 'Enter', on: tile }))
    handle(ev({ type: 'click', detail: 0, screenX: 0, screenY: 0, on: tile }))
    expect(seen).toEqual([['T', false]])
  })

  it('a click with no press before it (assistive technology) is not judged against an older press', () => {
    const { seen, handle, click } = start()
    const tile = new Node1({ [TICKET]: 'T' })
    click(tile, { from: [0, 0], x: 0, y: 0 })
    vi.runAllTimers()
    handle(ev({ type: 'click', on: tile, screenX: 500, screenY: 500 }))
    expect(seen).toEqual([['T', false], ['T', false]])
  })

  it('does not report the 2nd and later clicks of a double click or a burst', () => {
    const { seen, click } = start()
    const tile = new Node1({ [TICKET]: 'T' })
    const link = new Node1({ href: '/p', [TICKET]: 'L' }, 'a')
    click(tile, { detail: 1 })
    vi.runAllTimers()
    click(tile, { detail: 2 })
    click(tile, { detail: 3 })
    click(link, { button: 1, detail: 2 })
    expect(seen).toEqual([['T', false]])
  })

  it('reports every click of a burst on a favorite toggle: each one flips it', () => {
    const { seen, click } = start()
    const toggle = new Node1({ [FAVORITE]: 'P1' })
    for (const detail of [1, 2, 3]) {
      click(toggle, { detail })
      vi.runAllTimers()
    }
    expect(seen).toEqual([['P1', false], ['P1', false], ['P1', false]])
  })

  it('a click made by script counts only while a shopper\'s input event is being dispatched, where it presses the marked element or a link', () => {
    const { seen, handle } = start()
    const dot = new Node1()
    const banner = new Node1({ [TICKET]: 'BANNER' }).add(dot)
    // Start-up code and a timer: no input is being dispatched.
    handle(ev({ type: 'click', isTrusted: false, detail: 0, on: banner }))
    const press = ev({ type: 'pointerdown', on: new Node1() })
    handle(press)
    handle(ev({ type: 'click', isTrusted: false, detail: 0, on: banner }))
    expect(seen).toEqual([])
    // A handler of the shopper's keyup (still being dispatched) clicks it.
    const keyup = ev({ type: 'keyup', eventPhase: 2, on: new Node1() })
    handle(keyup)
    handle(ev({ type: 'click', isTrusted: false, detail: 0, on: banner }))
    expect(seen).toEqual([['BANNER', false]])
    // A default swatch inside the tile that an observer or an effect selects then presses
    // nothing of the tile's: not counted, although the shopper's input is still being dispatched.
    handle(ev({ type: 'click', isTrusted: false, detail: 0, on: dot }))
    expect(seen).toEqual([['BANNER', false]])
    // A link inside the tile that a handler follows: counted.
    const link = new Node1({ href: '/p' }, 'a')
    banner.add(link)
    handle(ev({ type: 'click', isTrusted: false, detail: 0, on: link }))
    expect(seen).toEqual([['BANNER', false], ['BANNER', true]])
    // The dispatch is over: a timer a moment later counts nothing.
    Object.defineProperty(keyup, 'eventPhase', { value: 0 })
    vi.runAllTimers()
    handle(ev({ type: 'click', isTrusted: false, detail: 0, on: banner }))
    expect(seen).toEqual([['BANNER', false], ['BANNER', true]])
  })

  it('a trusted event inside the shopper\'s input (a change that a handler\'s checkbox click fires) does not end it', () => {
    const { seen, handle } = start()
    const carts = ['C1', 'C2'].map((t) => new Node1({ [ADD_TO_CART]: t }, 'button'))
    const look = ev({ type: 'click', on: new Node1({}, 'button'), eventPhase: 2 })
    handle(ev({ type: 'pointerdown', on: new Node1() }))
    handle(look)
    handle(ev({ type: 'click', isTrusted: false, detail: 0, on: carts[0] }))
    // The mini-cart drawer's checkbox: its change is trusted, and over at once.
    handle(ev({ type: 'change', on: new Node1({}, 'input'), eventPhase: 0 }))
    handle(ev({ type: 'click', isTrusted: false, detail: 0, on: carts[1] }))
    expect(seen).toEqual([['C1', false], ['C2', false]])
  })

  it('a page\'s made-up press is no press, and an untrusted event is no shopper\'s input', () => {
    const { seen, handle } = start()
    const tile = new Node1({ [TICKET]: 'T' })
    handle(ev({ type: 'click', eventPhase: 2, on: tile }))
    handle(ev({ type: 'pointerdown', isTrusted: false, on: tile }))
    // The trusted click above is still being dispatched: this script click belongs to its action.
    handle(ev({ type: 'click', isTrusted: false, eventPhase: 2, detail: 0, on: tile }))
    expect(seen).toEqual([['T', false], ['T', true]])
  })

  it('one action: a label\'s click on its control, in the same task, inside the same tile, replaces the label\'s click', () => {
    const { seen, handle, click } = start()
    const box = new Node1({ [FAVORITE]: 'P1' }, 'input')
    const label = new Node1({}, 'label').add(box)
    const tile = new Node1({ [TICKET]: 'T' }).add(label)
    click(label)
    handle(ev({ type: 'click', on: box }))
    expect(seen).toEqual([['T', false], ['P1', true]])
    vi.runAllTimers()
    // Later, in a task of its own, with no press (assistive technology): a new action.
    handle(ev({ type: 'click', on: tile }))
    expect(seen[2]).toEqual(['T', false])
  })

  it('a handler\'s clicks on other marked elements are actions of their own; on the tile\'s own link, the same action', () => {
    const { seen, handle, click } = start()
    const look = new Node1({}, 'button')
    const carts = ['C1', 'C2', 'C3'].map((t) => new Node1({ [ADD_TO_CART]: t }, 'button'))
    new Node1().add(look, ...carts)
    const outer = handle
    click(look)
    for (const cart of carts) outer(ev({ type: 'click', isTrusted: false, detail: 0, on: cart, eventPhase: 0 }))
    // The look's click is still being dispatched: the handler's clicks count.
    expect(seen).toEqual([])
    const s2 = start()
    const lookClick = ev({ type: 'click', on: look, eventPhase: 2 })
    s2.handle(ev({ type: 'pointerdown', on: look }))
    s2.handle(lookClick)
    for (const cart of carts) s2.handle(ev({ type: 'click', isTrusted: false, detail: 0, on: cart }))
    expect(s2.seen).toEqual([['C1', false], ['C2', false], ['C3', false]])
    // A tile whose handler clicks the tile's own link: one action, the link's.
    const s3 = start()
    const pic = new Node1()
    const name = new Node1({ href: '#p', [TICKET]: 'LINK' }, 'a')
    new Node1({ [TICKET]: 'TILE' }).add(pic, name)
    s3.handle(ev({ type: 'pointerdown', on: pic }))
    s3.handle(ev({ type: 'click', on: pic, eventPhase: 2 }))
    s3.handle(ev({ type: 'click', isTrusted: false, detail: 0, on: name }))
    expect(s3.seen).toEqual([['TILE', false], ['LINK', true]])
  })

  it('Enter in a combobox counts its active option\'s ticketed element, once, also when the widget clicks the option too', () => {
    const { seen, handle } = start()
    const input = new Node1({ 'aria-activedescendant': 'opt-2', role: 'combobox' }, 'input')
    const option = new Node1({ id: 'opt-2' }, 'li')
    ids.set('opt-2', option)
    new Node1({ [TICKET]: 'SUGGESTION' }).add(option)
    const keydown = ev({ type: 'keydown', key: 'Enter', on: input, eventPhase: 2 })
    handle(keydown)
    // The widget's keydown handler clicks the option, which is not the ticketed element itself:
    // it adds nothing (an option that is the ticketed element is the same action, below).
    handle(ev({ type: 'click', isTrusted: false, detail: 0, on: option }))
    expect(seen).toEqual([['SUGGESTION', false]])
    const ticketed = new Node1({ id: 'opt-1', [TICKET]: 'SELF' }, 'li')
    ids.set('opt-1', ticketed)
    vi.runAllTimers()
    input.attrs['aria-activedescendant'] = 'opt-1'
    handle(ev({ type: 'keydown', key: 'Enter', on: input, eventPhase: 2 }))
    handle(ev({ type: 'click', isTrusted: false, detail: 0, on: ticketed }))
    expect(seen).toEqual([['SUGGESTION', false], ['SELF', false], ['SELF', true]])
    seen.length = 1
    vi.runAllTimers()
    // An option that holds the ticketed element (a link in it).
    const holder = new Node1({ id: 'opt-3' }, 'li').add(new Node1({ [TICKET]: 'INSIDE' }, 'a'))
    ids.set('opt-3', holder)
    input.attrs['aria-activedescendant'] = 'opt-3'
    handle(ev({ type: 'keydown', key: 'Enter', on: input }))
    expect(seen[1]).toEqual(['INSIDE', false])
    vi.runAllTimers()
    // A focused option itself (GOV.UK's accessible-autocomplete moves the focus onto it).
    const focused = new Node1({ role: 'option', [TICKET]: 'FOCUSED' }, 'li')
    handle(ev({ type: 'keydown', key: 'Enter', on: focused }))
    expect(seen[2]).toEqual(['FOCUSED', false])
    vi.runAllTimers()
    // A list that is hidden (Escape closed it) but left its aria-activedescendant: nothing.
    holder.hidden = true
    input.attrs['aria-activedescendant'] = 'opt-3'
    handle(ev({ type: 'keydown', key: 'Enter', on: input }))
    expect(seen.length).toBe(3)
    seen.length = 2
    // With no active option, during composition, a held key, or another key: nothing.
    const none = new Node1({ role: 'combobox' }, 'input')
    handle(ev({ type: 'keydown', key: 'Enter', on: none }))
    handle(ev({ type: 'keydown', key: 'Enter', isComposing: true, on: input }))
    handle(ev({ type: 'keydown', key: 'Enter', repeat: true, on: input }))
    handle(ev({ type: 'keydown', key: 'ArrowDown', on: input }))
    handle(ev({ type: 'keydown', key: 'Enter', isTrusted: false, on: input }))
    input.attrs['aria-activedescendant'] = 'missing'
    handle(ev({ type: 'keydown', key: 'Enter', on: input }))
    expect(seen.length).toBe(2)
  })

  it('a tap is judged from where it ended (its mousedown), not from its touch\'s pointerdown; a short mouse move hands the click over as late, to be judged by the page\'s own cancel', () => {
    const lates: (Event | undefined)[] = []
    const seen: string[] = []
    const handle = capture(([, value], _again, _hit, late) => { seen.push(value); lates.push(late) })
    const tile = new Node1({ [TICKET]: 'T' })
    handle(ev({ type: 'pointerdown', on: tile, screenX: 0, screenY: 0, pointerType: 'touch' } as never))
    handle(ev({ type: 'mousedown', on: tile, screenX: 13, screenY: 0 }))
    handle(ev({ type: 'click', on: tile, screenX: 13, screenY: 0 }))
    vi.runAllTimers()
    handle(ev({ type: 'mousedown', on: tile, screenX: 0, screenY: 0 }))
    handle(ev({ type: 'click', on: tile, screenX: 6, screenY: 0 }))
    expect(seen).toEqual(['T', 'T'])
    expect(lates.map((l) => !!l)).toEqual([false, true])
  })

  it('a middle click counts only for a tile: not for an add-to-cart button or a favorite toggle inside a link; an add-to-cart\'s second click of a double click counts', () => {
    const { seen, click } = start()
    const cart = new Node1({ [ADD_TO_CART]: 'C' }, 'button')
    const fav = new Node1({ [FAVORITE]: 'P' }, 'button')
    new Node1({ href: '/p', [TICKET]: 'TILE' }, 'a').add(cart, fav)
    click(cart, { button: 1 })
    click(fav, { button: 1 })
    expect(seen).toEqual([])
    click(cart, { detail: 1 })
    vi.runAllTimers()
    click(cart, { detail: 2 })
    expect(seen).toEqual([['C', false], ['C', false]])
  })

  it('a handler that presses add-to-cart buttons inside its own ticketed look: each is an action of its own, and the look\'s click stays', () => {
    const { seen, handle } = start()
    const button = new Node1({}, 'button')
    const carts = ['C1', 'C2'].map((t) => new Node1({ [ADD_TO_CART]: t }, 'button'))
    new Node1({ [TICKET]: 'LOOK' }).add(button, ...carts)
    handle(ev({ type: 'pointerdown', on: button }))
    handle(ev({ type: 'click', on: button, eventPhase: 2 }))
    for (const cart of carts) handle(ev({ type: 'click', isTrusted: false, detail: 0, on: cart }))
    expect(seen).toEqual([['LOOK', false], ['C1', false], ['C2', false]])
  })

  it('swallows errors from the callback and from a broken event', () => {
    const handle = capture(() => { throw new Error('boom') })
    expect(() => handle(ev({ type: 'click', on: new Node1({ [TICKET]: 'T' }) }))).not.toThrow()
    expect(() => handle({ type: 'click', composedPath: () => { throw new TypeError('nope') } } as unknown as Event)).not.toThrow()
  })
})

describe('listen', () => {
  it('listens in the capture phase to every input event type, so that shop code that stops propagation cannot hide a click', () => {
    const added: [string, AddEventListenerOptions | boolean | undefined][] = []
    const root = { addEventListener: (type: string, _fn: unknown, options?: AddEventListenerOptions | boolean) => { added.push([type, options]) } }
    const { signal } = new AbortController()
    listen(root as unknown as EventTarget, () => {}, signal)
    expect(added).toEqual(INPUT.map((type) => [type, { capture: true, signal }]))
    expect(INPUT).toEqual(expect.arrayContaining(['click', 'auxclick', 'pointerdown', 'mousedown', 'keydown', 'keyup', 'pointerup', 'mouseup', 'touchend']))
  })

  it('removes its listeners when the signal aborts, and adds none when it has aborted already', () => {
    const root = new EventTarget()
    const seen: Target[] = []
    const controller = new AbortController()
    listen(root, (t) => { seen.push(t) }, controller.signal)
    const click = () => root.dispatchEvent(Object.assign(Object.defineProperty(new Event('click'), 'isTrusted', { value: true }), { button: 0, detail: 0, composedPath: () => [new Node1({ [TICKET]: 'T' })] }))
    click()
    expect(seen.map(([, v]) => v)).toEqual(['T'])
    controller.abort()
    const late: Target[] = []
    listen(root, (t) => { late.push(t) }, AbortSignal.abort())
    vi.useRealTimers()
    click()
    expect(seen.length).toBe(1)
    expect(late).toEqual([])
  })
})
