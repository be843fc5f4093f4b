import { afterEach, describe, expect, it } from 'vitest'
import { append, clearOutbox, hasOutbox, OUTBOX, readOutbox, updateOutbox, writeOutbox, type Entry } from '../../src/page/outbox'
import { blockedStore, memoryStore } from './fakes'

// The outbox falls back to this module's memory: start every test without it.
afterEach(() => { clearOutbox(blockedStore()) })

const e = (id: string, t: number, extra: Partial<Entry> = {}): Entry => ({ id, url: `https://c/click?${id}`, body: `{"ticket":"${id}"}`, t, ...extra })

describe('append', () => {
  it('keeps an entry under esales.outbox:{id} as "{t} {url} {body}"', () => {
    const { store, data } = memoryStore()
    append(store, { id: 'E1', url: 'https://c/click?customerKey=c&market=UK&sessionKey=s', body: '{"ticket":"a b"}', t: 1234 })
    expect([...data]).toEqual([['esales.outbox:E1', '1234 https://c/click?customerKey=c&market=UK&sessionKey=s {"ticket":"a b"}']])
  })

  it('writes no body part for an entry without a body (end)', () => {
    const { store, data } = memoryStore()
    append(store, { id: 'E2', url: 'https://c/end', t: 5 })
    append(store, { id: 'E3', url: 'https://c/end', body: undefined, t: 6 })
    expect([...data]).toEqual([['esales.outbox:E2', '5 https://c/end'], ['esales.outbox:E3', '6 https://c/end']])
  })

  it('does not read, parse or stringify anything (a page may have broken JSON)', () => {
    const { store, data } = memoryStore({ [OUTBOX]: 'not json' })
    const stringify = JSON.stringify
    const parse = JSON.parse
    try {
      JSON.stringify = () => { throw new Error('broken') }
      JSON.parse = () => { throw new Error('broken') }
      append(store, e('E1', 1))
    } finally {
      JSON.stringify = stringify
      JSON.parse = parse
    }
    expect(data.get('esales.outbox:E1')).toBe('1 https://c/click?E1 {"ticket":"E1"}')
    expect(data.get(OUTBOX)).toBe('not json')
  })
})

describe('hasOutbox', () => {
  it('is false for an empty store and for blocked storage', () => {
    expect(hasOutbox(memoryStore({ other: '1', 'esales.keys': '{}' }).store)).toBe(false)
    expect(hasOutbox(blockedStore())).toBe(false)
  })
  it('is true for the outbox itself and for an appended entry', () => {
    expect(hasOutbox(memoryStore({ [OUTBOX]: '[]' }).store)).toBe(true)
    expect(hasOutbox(memoryStore({ 'esales.outbox:E1': '1 https://c/x' }).store)).toBe(true)
  })
})

describe('readOutbox', () => {
  it('merges the appended lines into the list, oldest first, bodies with spaces kept', () => {
    const listed = [e('L1', 30), e('L2', 10)]
    const { store } = memoryStore({
      [OUTBOX]: JSON.stringify(listed),
      'esales.outbox:A1': '20 https://c/click?A1 {"ticket":"with spaces  and more"}',
      'esales.outbox:A2': '5 https://c/end',
      other: 'x'
    })
    expect(readOutbox(store)).toEqual([
      { id: 'A2', url: 'https://c/end', body: undefined, t: 5 },
      listed[1],
      { id: 'A1', url: 'https://c/click?A1', body: '{"ticket":"with spaces  and more"}', t: 20 },
      listed[0]
    ])
  })

  it('keeps the listed entry where an appended line has the same id', () => {
    const listed = e('E1', 1, { tries: 2, due: 99 })
    const { store } = memoryStore({ [OUTBOX]: JSON.stringify([listed]), 'esales.outbox:E1': '1 https://c/click?E1 {"ticket":"E1"}' })
    expect(readOutbox(store)).toEqual([listed])
  })

  it('keeps only entries with a string url', () => {
    const good = e('G', 1)
    const { store } = memoryStore({ [OUTBOX]: JSON.stringify([null, 5, 'x', [], {}, { url: 5, t: 1 }, { id: 'N', t: 2 }, good]) })
    expect(readOutbox(store)).toEqual([good])
  })

  it('reads a broken or foreign outbox as empty, and passes over appended lines without a url', () => {
    for (const value of ['{not json', '{"url":"x"}', 'null', '"[]"', '42']) {
      expect(readOutbox(memoryStore({ [OUTBOX]: value }).store), value).toEqual([])
    }
    expect(readOutbox(memoryStore({ 'esales.outbox:X': '123', 'esales.outbox:Y': '' }).store)).toEqual([])
    expect(readOutbox(blockedStore())).toEqual([])
  })
})

describe('writeOutbox', () => {
  it('writes the list as JSON, and removes the outbox when the list is empty', () => {
    const { store, data } = memoryStore()
    const list = [e('A', 1)]
    writeOutbox(store, list)
    expect(data.get(OUTBOX)).toBe(JSON.stringify(list))
    writeOutbox(store, [])
    expect(data.has(OUTBOX)).toBe(false)
  })

  it('removes the appended names it took in, and no others', () => {
    const { store, data } = memoryStore({ 'esales.outbox:A': '1 https://c/a', 'esales.outbox:B': '2 https://c/b' })
    writeOutbox(store, [e('A', 1)], ['esales.outbox:A'])
    expect([...data.keys()].sort()).toEqual([OUTBOX, 'esales.outbox:B'])
  })

  it('keeps the outbox in memory when the write did not take (quota), and reads it from there', () => {
    const { store, data } = memoryStore({ 'esales.outbox:A': '1 https://c/a' }, (name) => name == OUTBOX)
    const list = [e('A', 1), e('B', 2)]
    writeOutbox(store, list, ['esales.outbox:A'])
    expect(data.has(OUTBOX)).toBe(false)
    expect(data.has('esales.outbox:A')).toBe(false)
    expect(readOutbox(store)).toEqual(list)
    // Later writes stay in memory too.
    writeOutbox(store, [list[1]!])
    expect(readOutbox(store)).toEqual([list[1]])
  })

  it('keeps the outbox in memory where storage is blocked', () => {
    const list = [e('A', 1)]
    writeOutbox(blockedStore(), list)
    expect(readOutbox(blockedStore())).toEqual(list)
  })

  it('keeps the outbox in memory when the page replaced JSON.stringify', () => {
    const { store } = memoryStore()
    const list = [e('A', 1)]
    const stringify = JSON.stringify
    try {
      JSON.stringify = () => '{}'
      writeOutbox(store, list)
    } finally {
      JSON.stringify = stringify
    }
    expect(readOutbox(store)).toEqual(list)
  })

  it('keeps the outbox in memory when the page added Array.prototype.toJSON (Prototype.js)', () => {
    const { store } = memoryStore()
    const list = [e('A', 1)]
    const proto = Array.prototype as unknown as { toJSON?: () => string }
    try {
      proto.toJSON = function () { return 'an array' }
      writeOutbox(store, list)
    } finally {
      delete proto.toJSON
    }
    expect(readOutbox(store)).toEqual(list)
  })

  it('keeps the outbox in memory, and does not throw, when the page made JSON.stringify throw', () => {
    const { store } = memoryStore()
    const list = [e('A', 1)]
    const stringify = JSON.stringify
    let threw: unknown
    try {
      JSON.stringify = () => { throw new TypeError('cyclic object value') }
      writeOutbox(store, list)
    } catch (error) {
      threw = error
    } finally {
      JSON.stringify = stringify
    }
    expect(threw).toBeUndefined()
    expect(readOutbox(store)).toEqual(list)
  })
})

describe('updateOutbox', () => {
  it('changes the outbox under the Web Lock esales.outbox', async () => {
    const { store, data } = memoryStore({ 'esales.outbox:A': '1 https://c/a {"ticket":"A"}' })
    const requests: string[] = []
    let held = false
    const locks = {
      async request(name: string, run: () => unknown) {
        requests.push(name)
        held = true
        try { return await run() } finally { held = false }
      }
    } as unknown as LockManager
    let ranInside: boolean | undefined
    let given: Entry[] = []
    await updateOutbox(store, (list) => {
      ranInside = held
      given = list
      return [...list, e('B', 2)]
    }, locks)
    expect(requests).toEqual([OUTBOX])
    expect(ranInside).toBe(true)
    expect(given).toEqual([{ id: 'A', url: 'https://c/a', body: '{"ticket":"A"}', t: 1 }])
    // The appended entry moved into the outbox.
    expect([...data.keys()]).toEqual([OUTBOX])
    expect(readOutbox(store).map((x) => x.id)).toEqual(['A', 'B'])
  })

  it('does not change the outbox before the lock is granted', async () => {
    const { store, data } = memoryStore()
    let grant: () => void = () => {}
    const locks = { request: (_name: string, run: () => unknown) => new Promise((done) => { grant = () => done(run()) }) } as unknown as LockManager
    const done = updateOutbox(store, () => [e('A', 1)], locks)
    await Promise.resolve()
    expect(data.has(OUTBOX)).toBe(false)
    grant()
    await done
    expect(readOutbox(store).map((x) => x.id)).toEqual(['A'])
  })

  it('runs the change at once where there is no Web Locks API', async () => {
    const { store } = memoryStore()
    let ran = false
    const done = updateOutbox(store, (list) => { ran = true; return list }, undefined)
    expect(ran).toBe(true)
    await done
  })
})

describe('clearOutbox', () => {
  it('removes the outbox and every appended entry, and nothing else', () => {
    const { store, data } = memoryStore({ [OUTBOX]: '[]', 'esales.outbox:A': '1 https://c/a', 'esales.keys': '{}', other: '1' })
    clearOutbox(store)
    expect([...data.keys()].sort()).toEqual(['esales.keys', 'other'])
  })

  it('forgets an outbox kept in memory', () => {
    writeOutbox(blockedStore(), [e('A', 1)])
    expect(readOutbox(blockedStore())).toHaveLength(1)
    clearOutbox(blockedStore())
    expect(readOutbox(blockedStore())).toEqual([])
  })
})
