import { describe, expect, it } from 'vitest'
import { seeable, seenShare } from '../../src/chunks/seen'

// ─── Stand-ins: an element, and the root that hit-tests its page ─────────────────────────

interface Box { left: number; top: number; width: number; height: number }
const rect = ({ left, top, width, height }: Box) => ({ left, top, width, height, right: left + width, bottom: top + height, x: left, y: top }) as DOMRectReadOnly

class FakeElement {
  children: FakeElement[] = []
  constructor(public root: FakeRoot, public visible = true) {}
  ownerDocument = { defaultView: { innerWidth: 800, innerHeight: 600 } }
  getRootNode() { return this.root }
  contains(other: unknown): boolean { return other === this || this.children.some((c) => c.contains(other)) }
  checkVisibility(options: Record<string, boolean>) {
    expect(options).toMatchObject({ opacityProperty: true, visibilityProperty: true })
    return this.visible
  }
}

/** A page of layers, top first, each an element over a box: hit testing finds the top one. */
class FakeRoot {
  layers: [FakeElement, Box][] = []
  points: [number, number][] = []
  deepLooks = 0
  at(x: number, y: number) {
    return this.layers.filter(([, b]) => x >= b.left && x < b.left + b.width && y >= b.top && y < b.top + b.height).map(([el]) => el)
  }
  elementFromPoint(x: number, y: number) {
    this.points.push([x, y])
    return this.at(x, y)[0] ?? null
  }
  elementsFromPoint(x: number, y: number) {
    this.deepLooks++
    return this.at(x, y)
  }
}

function item(box: Box, root = new FakeRoot()) {
  const el = new FakeElement(root)
  root.layers.push([el, box])
  return { el, root, box: rect(box), share: () => seenShare(el as unknown as Element, rect(box)) }
}

describe('seenShare', () => {
  it('is 1 for an item on top, all of it in the viewport, sampled on a 3 × 3 grid of cell middles in its own root node', () => {
    // The root is the item's getRootNode() (a shadow root, in a shadow tree); its ownerDocument cannot hit-test here.
    const { root, share } = item({ left: 0, top: 0, width: 300, height: 240 })
    expect(share()).toBe(1)
    expect(root.points).toEqual([[50, 40], [50, 120], [50, 200], [150, 40], [150, 120], [150, 200], [250, 40], [250, 120], [250, 200]])
  })

  it('counts the point of its own child as seen', () => {
    const { el, root, share } = item({ left: 0, top: 0, width: 300, height: 240 })
    const child = new FakeElement(root)
    el.children.push(child)
    root.layers.unshift([child, { left: 0, top: 0, width: 300, height: 100 }])
    expect(share()).toBe(1)
  })

  it('leaves out the points where something else is on top: a badge over one point, a banner over a row', () => {
    const { root, share } = item({ left: 0, top: 0, width: 300, height: 240 })
    const badge = new FakeElement(root)
    root.layers.unshift([badge, { left: 130, top: 100, width: 40, height: 40 }])
    expect(share()).toBeCloseTo(8 / 9)
    root.layers.unshift([new FakeElement(root), { left: 0, top: 180, width: 800, height: 60 }])
    expect(share()).toBeCloseTo(5 / 9)
  })

  it('with the share that matters, stops as soon as the answer is known: a covered item costs 5 hit tests, one on top 5', () => {
    const covered = item({ left: 0, top: 0, width: 300, height: 240 })
    covered.root.layers.unshift([new FakeElement(covered.root), { left: 0, top: 0, width: 800, height: 600 }])
    expect(seenShare(covered.el as unknown as Element, covered.box, 0.5)).toBe(0)
    expect(covered.root.points).toHaveLength(5)
    const seen = item({ left: 0, top: 0, width: 300, height: 240 })
    expect(seenShare(seen.el as unknown as Element, seen.box, 0.5)).toBeGreaterThanOrEqual(0.5)
    expect(seen.root.points).toHaveLength(5)
    // The answer is the same as the full grid's: a badge over the middle leaves 8 of 9 points.
    const badge = item({ left: 0, top: 0, width: 300, height: 240 })
    badge.root.layers.unshift([new FakeElement(badge.root), { left: 130, top: 100, width: 40, height: 40 }])
    expect(seenShare(badge.el as unknown as Element, badge.box, 0.5) >= 0.5).toBe(badge.share() >= 0.5)
  })

  it('times the share of the box inside the viewport, and samples only that part', () => {
    // 300 × 400 at the bottom of a 600 px viewport: 100 px of it inside.
    const { root, share } = item({ left: 0, top: 500, width: 300, height: 400 })
    expect(share()).toBeCloseTo(0.25)
    expect(root.points.every(([, y]) => y > 500 && y < 600)).toBe(true)
    const { share: outside } = item({ left: 0, top: 600, width: 300, height: 400 })
    expect(outside()).toBe(0)
  })

  it('looks under a transparent element on top (a carousel\'s faded slide), not under an opaque one', () => {
    const { root, share } = item({ left: 0, top: 0, width: 300, height: 240 })
    const faded = new FakeElement(root, false)
    root.layers.unshift([faded, { left: 0, top: 0, width: 300, height: 240 }])
    expect(share()).toBe(1)
    expect(root.deepLooks).toBe(9)
    root.layers.unshift([new FakeElement(root), { left: 0, top: 0, width: 300, height: 80 }])
    expect(share()).toBeCloseTo(6 / 9)
  })

  it('is 0 for an item that cannot be seen, has no area, or is not in a document', () => {
    const { el, share } = item({ left: 0, top: 0, width: 300, height: 240 })
    el.visible = false
    expect(share()).toBe(0)
    expect(item({ left: 0, top: 0, width: 300, height: 0 }).share()).toBe(0)
    const detached = item({ left: 0, top: 0, width: 300, height: 240 })
    detached.el.getRootNode = () => detached.el as unknown as FakeRoot
    expect(detached.share()).toBe(0)
  })
})

describe('seeable', () => {
  it('asks checkVisibility about opacity and visibility, and says yes where the browser has no checkVisibility', () => {
    expect(seeable(new FakeElement(new FakeRoot(), false) as unknown as Element)).toBe(false)
    expect(seeable(new FakeElement(new FakeRoot(), true) as unknown as Element)).toBe(true)
    expect(seeable({} as Element)).toBe(true)
  })
})
