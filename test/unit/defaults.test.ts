import { afterEach, describe, expect, it, vi } from 'vitest'
import { page } from '../../src/chunks/defaults'
import type { Context } from '../../src/page/transport'
import { captureLog, fakeStorage, memoryStore } from './fakes'

afterEach(() => {
  vi.unstubAllGlobals()
  vi.restoreAllMocks()
})

describe('page', () => {
  it('keeps what the context passes: its fields win over the defaults', () => {
    const { store } = memoryStore()
    const { log } = captureLog()
    const now = () => 5
    const online = () => false
    const ctx = { notify: () => {}, api: 'v3', storage: store, now, online, log } as Context
    const full = page(ctx)
    expect(full.storage).toBe(store)
    expect(full.log).toBe(log)
    expect(full.now).toBe(now)
    expect(full.online).toBe(online)
    expect(full.api).toBe('v3')
    expect(full.notify).toBe(ctx.notify)
  })

  it('returns the same object for the same context, and another for another', () => {
    const ctx: Context = { notify: () => {} }
    expect(page(ctx)).toBe(page(ctx))
    expect(page({ notify: () => {} })).not.toBe(page(ctx))
  })

  it('defaults to localStorage (read on each use), Date.now, navigator.onLine and the console', () => {
    const full = page({ notify: () => {} })
    // Nothing is read until it is used: Node has no localStorage or navigator.
    const s = fakeStorage({ k: 'v' })
    vi.stubGlobal('localStorage', s.storage)
    expect(full.storage.get('k')).toBe('v')
    vi.stubGlobal('localStorage', fakeStorage({ k: 'w' }).storage)
    expect(full.storage.get('k')).toBe('w')
    expect(full.now).toBe(Date.now)
    vi.stubGlobal('navigator', { onLine: false })
    expect(full.online()).toBe(false)
    vi.stubGlobal('navigator', { onLine: true })
    expect(full.online()).toBe(true)
    vi.stubGlobal('navigator', {})
    expect(full.online()).toBe(true)
    const out = vi.spyOn(console, 'error').mockImplementation(() => {})
    full.log.error('x')
    expect(out).toHaveBeenCalledWith('esales: x')
  })

  it('logs debug lines where the context says debug', () => {
    const out = vi.spyOn(console, 'log').mockImplementation(() => {})
    page({ notify: () => {}, debug: true }).log.debug('on')
    page({ notify: () => {}, debug: false }).log.debug('off')
    expect(out.mock.calls).toEqual([['esales:', 'on']])
  })

  it('reads blocked storage as none without throwing', () => {
    const full = page({ notify: () => {} })
    vi.stubGlobal('localStorage', undefined)
    expect(full.storage.get('k')).toBeUndefined()
    expect(full.storage.names()).toEqual([])
  })
})
