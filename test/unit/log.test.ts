import { describe, expect, it } from 'vitest'
import { createLogger } from '../../src/page/log'

function console_() {
  const lines: [string, unknown[]][] = []
  return { lines, out: { log: (...parts: unknown[]) => { lines.push(['log', parts]) }, error: (...parts: unknown[]) => { lines.push(['error', parts]) } } }
}

describe('createLogger', () => {
  it('writes debug lines with the esales: prefix only when debug is on', () => {
    const on = console_()
    createLogger(true, on.out).debug('beacon', 'https://c/x', 42)
    expect(on.lines).toEqual([['log', ['esales:', 'beacon', 'https://c/x', 42]]])
    const off = console_()
    createLogger(false, off.out).debug('beacon')
    expect(off.lines).toEqual([])
  })
  it('always writes errors, as one string that starts with esales:', () => {
    for (const debug of [true, false]) {
      const c = console_()
      createLogger(debug, c.out).error('data-market="" is not valid')
      expect(c.lines).toEqual([['error', ['esales: data-market="" is not valid']]])
    }
  })
})
