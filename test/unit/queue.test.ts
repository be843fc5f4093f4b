import { describe, expect, it } from 'vitest'
import { createQueue, type Pending, type QueueHost } from '../../src/page/queue'

/** A window stand-in whose frames and timers run only when the test says so. */
function host(withFrames = true) {
  const frames: (() => void)[] = []
  const timers: [() => void, number | undefined][] = []
  const h: QueueHost = {
    document: { visibilityState: 'visible' },
    setTimeout: (fn, ms) => { timers.push([fn, ms]) }
  }
  if (withFrames) h.requestAnimationFrame = (fn) => { frames.push(fn) }
  const runFrames = () => { for (const fn of frames.splice(0)) fn() }
  const runTimers = (which: (ms: number | undefined) => boolean = () => true) => {
    const due = timers.filter(([, ms]) => which(ms))
    for (const t of due) timers.splice(timers.indexOf(t), 1)
    for (const [fn] of due) fn()
  }
  return { h, frames, timers, runFrames, runTimers }
}

const K1 = { customerKey: 'c1', sessionKey: 's1' }
const K2 = { customerKey: 'c2', sessionKey: 's2' }

describe('createQueue', () => {
  it('sends nothing at push: after the next frame, in a 0 ms timeout', () => {
    const { h, frames, timers, runFrames, runTimers } = host()
    const batches: Pending[][] = []
    const queue = createQueue(h, (batch) => { batches.push(batch) })
    queue.push(['click', '{"ticket":"A"}'])
    expect(batches).toEqual([])
    expect(frames).toHaveLength(1)
    expect(timers.map(([, ms]) => ms)).toEqual([250])
    runFrames()
    expect(batches).toEqual([])
    expect(timers.map(([, ms]) => ms ?? 0)).toEqual([250, 0])
    runTimers((ms) => !ms)
    expect(batches).toEqual([[['click', '{"ticket":"A"}']]])
  })

  it('schedules once for everything pushed before the send, and sends the batch once', () => {
    const { h, frames, timers, runFrames, runTimers } = host()
    const batches: Pending[][] = []
    const queue = createQueue(h, (batch) => { batches.push(batch) })
    queue.push(['click', 'A'])
    queue.push(['add-to-cart', 'B'])
    queue.push(['end'])
    expect(frames).toHaveLength(1)
    expect(timers).toHaveLength(1)
    runFrames()
    runTimers()
    expect(batches).toEqual([[['click', 'A'], ['add-to-cart', 'B'], ['end']]])
  })

  it('sends on the 250 ms timer where no frame comes (a hidden page), and only once', () => {
    const { h, runTimers, runFrames } = host()
    const batches: Pending[][] = []
    const queue = createQueue(h, (batch) => { batches.push(batch) })
    queue.push(['click', 'A'])
    runTimers((ms) => ms == 250)
    expect(batches).toEqual([[['click', 'A']]])
    runFrames()
    runTimers()
    expect(batches).toHaveLength(1)
  })

  it('works without requestAnimationFrame', () => {
    const { h, timers, runTimers } = host(false)
    const batches: Pending[][] = []
    const queue = createQueue(h, (batch) => { batches.push(batch) })
    queue.push(['click', 'A'])
    expect(timers.map(([, ms]) => ms)).toEqual([250])
    runTimers()
    expect(batches).toEqual([[['click', 'A']]])
  })

  it('schedules again for a push after a send', () => {
    const { h, frames, timers, runFrames, runTimers } = host()
    const batches: Pending[][] = []
    const queue = createQueue(h, (batch) => { batches.push(batch) })
    queue.push(['click', 'A'])
    runFrames()
    runTimers()
    queue.push(['click', 'B'])
    expect([frames.length, timers.length]).toEqual([1, 1])
    runFrames()
    runTimers()
    expect(batches).toEqual([[['click', 'A']], [['click', 'B']]])
  })

  it('flush sends what waits at once, synchronously, and not again at the timers', () => {
    const { h, runFrames, runTimers } = host()
    const batches: Pending[][] = []
    const queue = createQueue(h, (batch) => { batches.push(batch) })
    queue.flush()
    expect(batches).toEqual([])
    queue.push(['click', 'A'])
    queue.flush()
    expect(batches).toEqual([[['click', 'A']]])
    runFrames()
    runTimers()
    expect(batches).toHaveLength(1)
  })

  it('returns the entry it records: emptying its name drops it before the send', () => {
    const { h, runFrames, runTimers } = host()
    const sent: string[] = []
    // As the tracker sends: an entry whose name was emptied goes nowhere.
    const queue = createQueue(h, (batch) => { for (const [name, body] of batch) if (name) sent.push(`${name} ${body}`) })
    const first = queue.push(['click', 'A'])
    queue.push(['click', 'B'])
    first[0] = ''
    runFrames()
    runTimers()
    expect(sent).toEqual(['click B'])
  })

  it('hands the dropped entry over as the same object, its name empty', () => {
    const { h } = host()
    const batches: Pending[][] = []
    const queue = createQueue(h, (batch) => { batches.push(batch) })
    const entry: Pending = ['click', 'A']
    expect(queue.push(entry)).toBe(entry)
    entry[0] = ''
    queue.flush()
    expect(batches[0]![0]).toBe(entry)
    expect(batches[0]![0]![0]).toBe('')
  })

  it('fix(keys) runs only for what waits (the tracker asks for the keys only then: asking may start a new session)', () => {
    const { h } = host()
    const queue = createQueue(h, () => {})
    const seen: (Partial<typeof K1> | undefined)[] = []
    queue.fix((fixed) => (seen.push(fixed), K1))
    expect(seen).toEqual([])
    queue.push(['click', 'A'])
    queue.push(['end', undefined, K2])
    queue.fix((fixed) => (seen.push(fixed), fixed || K1))
    expect(seen).toEqual([undefined, K2])
  })

  it('fix(keys) sets the keys of what waits only, from those it had: not of what was sent, nor of what comes later', () => {
    const { h } = host()
    const batches: Pending[][] = []
    const queue = createQueue(h, (batch) => { batches.push(batch) })
    queue.push(['click', 'sent'])
    queue.flush()
    queue.push(['click', 'A'])
    queue.push(['end', undefined, K2])
    // A key change: what waits keeps the keys it had, or gets those of now.
    queue.fix((fixed) => fixed || K1)
    queue.push(['click', 'B'])
    // A lower consent level: the customer key goes from everything that waits.
    queue.fix((fixed) => ({ sessionKey: (fixed || K2).sessionKey }))
    queue.flush()
    expect(batches).toEqual([
      [['click', 'sent']],
      [['click', 'A', { sessionKey: K1.sessionKey }], ['end', undefined, { sessionKey: K2.sessionKey }], ['click', 'B', { sessionKey: K2.sessionKey }]]
    ])
  })

  it('clear() forgets what waits: the timers send nothing', () => {
    const { h, runFrames, runTimers } = host()
    const batches: Pending[][] = []
    const queue = createQueue(h, (batch) => { batches.push(batch) })
    queue.push(['click', 'A'])
    queue.clear()
    runFrames()
    runTimers()
    queue.flush()
    expect(batches).toEqual([])
    queue.push(['click', 'B'])
    queue.flush()
    expect(batches).toEqual([[['click', 'B']]])
  })

  it('does not use Array.prototype.push, which a page may have broken', () => {
    const { h } = host()
    const batches: Pending[][] = []
    const queue = createQueue(h, (batch) => { batches.push(batch) })
    const original = Array.prototype.push
    try {
      Array.prototype.push = () => 0
      queue.push(['click', 'A'])
      queue.push(['click', 'B'])
    } finally {
      Array.prototype.push = original
    }
    queue.flush()
    expect(batches).toEqual([[['click', 'A'], ['click', 'B']]])
  })
})
