import { describe, expect, it } from 'vitest'
import { uuid } from '../../src/shared/uuid'
import { UUID_V4 } from './fakes'

describe('uuid', () => {
  it('makes RFC 9562 version-4 UUIDs from the random bytes it is given', () => {
    const ids = new Set(Array.from({ length: 200 }, () => uuid((n) => crypto.getRandomValues(new Uint8Array(n)))))
    expect(ids.size).toBe(200)
    for (const id of ids) expect(id).toMatch(UUID_V4)
  })
  it('fixes the version and variant whatever the bytes; each other digit is a byte XOR a constant, so stays uniform', () => {
    expect(uuid((n) => new Uint8Array(n))).toBe('10000000-1000-4000-8000-100000000000')
    expect(uuid((n) => new Uint8Array(n).fill(255))).toBe('efffffff-efff-4fff-bfff-efffffffffff')
  })
  it('asks for the random bytes in one call of 31', () => {
    const asked: number[] = []
    uuid((n) => (asked.push(n), new Uint8Array(n)))
    expect(asked).toEqual([31])
  })
  it('takes each random digit from its own byte, in order (a known answer, worked by hand)', () => {
    // 1^0, then bytes 1..7; 1^(8&15), 9, 10, 11; 4 stays; 12..14; 8^(15&3), 16&15.., 20&15..
    expect(uuid(() => Uint8Array.from({ length: 31 }, (_, i) => i))).toBe('11234567-99ab-4cde-b012-2456789abcde')
  })
})
