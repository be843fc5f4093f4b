import { describe, expect, it } from 'vitest'
import { favoriteBody, listBody, quote, stringBody } from '../../src/shared/body'

/** Runs `use` while the page has broken JSON.stringify and added Array.prototype.toJSON. */
function onABrokenPage(use: () => void) {
  const stringify = JSON.stringify
  const proto = Array.prototype as unknown as { toJSON?: () => string }
  try {
    JSON.stringify = () => '{}'
    proto.toJSON = () => 'broken'
    use()
  } finally {
    JSON.stringify = stringify
    delete proto.toJSON
  }
}

describe('quote', () => {
  it('escapes " and \\ as JSON.stringify does', () => {
    for (const s of ['', 'a"b', 'a\\b', '\\"', '"\\"\\', 'plain ticket', 'Oy9mYXNoaW9u==', '🛒👟', 'å ä ö', '\u2028\u2029', '\x7f']) {
      expect(quote(s), s).toBe(JSON.stringify(s))
    }
  })

  it('writes control characters as \\u00XX', () => {
    expect(quote('\n')).toBe('"\\u000a"')
    expect(quote('\0')).toBe('"\\u0000"')
    expect(quote('a\tb\r\x1f')).toBe('"a\\u0009b\\u000d\\u001f"')
    for (let i = 0; i < 0x20; i++) expect(quote(String.fromCharCode(i))).toBe(`"\\u${i.toString(16).padStart(4, '0')}"`)
  })

  it('is byte for byte JSON.stringify for every code unit but the control characters, lone surrogates included', () => {
    const differ: string[] = []
    for (let i = 0x20; i < 0x10000; i++) {
      const s = String.fromCharCode(i)
      if (quote(s) !== JSON.stringify(s)) differ.push(i.toString(16))
    }
    expect(differ).toEqual([])
  })

  it('parses back to the same string for every UTF-16 code unit except lone surrogates', () => {
    const differ: string[] = []
    for (let i = 0; i < 0x10000; i++) {
      if (i >= 0xd800 && i <= 0xdfff) continue
      const c = String.fromCharCode(i)
      if (JSON.parse(quote(c)) !== c || JSON.parse(quote(`a${c}b`)) !== `a${c}b`) differ.push(i.toString(16))
    }
    expect(differ).toEqual([])
  })

  it('escapes a lone surrogate as JSON.stringify does (well-formed, ES2019), in any position, and keeps pairs beside it', () => {
    for (const s of ['caf\ud800e', '\udc00', 'a\ud83d', '\ud83d\ud83d\ude00', '\ude00\ud83d', '🛒\udfff🛒', '\ud800\ud800']) {
      expect(quote(s), escape(s)).toBe(JSON.stringify(s))
      expect(JSON.parse(quote(s))).toBe(s)
    }
  })

  it('parses back to the same string for surrogate pairs', () => {
    const differ: string[] = []
    for (let hi = 0xd800; hi <= 0xdbff; hi += 0x3f) {
      for (let lo = 0xdc00; lo <= 0xdfff; lo += 0x1f) {
        const s = String.fromCharCode(hi, lo)
        if (JSON.parse(quote(s)) !== s || quote(s) !== JSON.stringify(s)) differ.push(hi.toString(16) + lo.toString(16))
      }
    }
    for (const s of ['🛒', '𝄞', '\u{10ffff}', '\u{10000}', 'x😀"y\\']) if (JSON.parse(quote(s)) !== s) differ.push(s)
    expect(differ).toEqual([])
  })

  it('does not use JSON.stringify, which a page may have replaced', () => {
    onABrokenPage(() => { expect(quote('a"b')).toBe('"a\\"b"') })
  })
})

describe('stringBody', () => {
  it('builds {"field":"value"} byte-exact for a non-blank string', () => {
    expect(stringBody('ticket', 'a"b 🛒')).toBe(JSON.stringify({ ticket: 'a"b 🛒' }))
    expect(stringBody('productKey', ' P1 ')).toBe('{"productKey":" P1 "}')
    expect(stringBody('variantKey', 'V\n1')).toBe('{"variantKey":"V\\u000a1"}')
  })
  it('refuses blank and non-string values', () => {
    for (const bad of ['', '  ', '\n\t', undefined, null, 42, {}, ['T'], true]) expect(stringBody('ticket', bad), String(bad)).toBeUndefined()
  })
})

describe('favoriteBody', () => {
  it('builds the body from a key, {productKey} or {variantKey}', () => {
    expect(favoriteBody('P1')).toBe('{"productKey":"P1"}')
    expect(favoriteBody({ productKey: 'P1' })).toBe('{"productKey":"P1"}')
    expect(favoriteBody({ variantKey: 'V1' })).toBe('{"variantKey":"V1"}')
    expect(favoriteBody({ productKey: 'P"1' })).toBe(JSON.stringify({ productKey: 'P"1' }))
  })
  it('takes the variant key where both are given', () => {
    expect(favoriteBody({ productKey: 'P1', variantKey: 'V1' })).toBe('{"variantKey":"V1"}')
  })
  it('refuses anything else', () => {
    for (const bad of ['', ' ', {}, { productKey: '' }, { productKey: 5 }, { variantKey: 5 }, { variantKey: '', productKey: 'P' }, null, undefined, 7, [], ['P1']]) {
      expect(favoriteBody(bad), JSON.stringify(bad)).toBeUndefined()
    }
  })
})

describe('listBody', () => {
  it('builds byte for byte JSON.stringify({phrases: […]})', () => {
    for (const list of [['dress'], ['dress', 'red "jacket"', 'å\\ö', '🛒'], [' spaced ']]) {
      expect(listBody('phrases', list)).toBe(JSON.stringify({ phrases: list }))
      expect(listBody('productKeys', list)).toBe(JSON.stringify({ productKeys: list }))
    }
  })
  it("builds {\"removeAll\":true} for 'removeAll'", () => {
    expect(listBody('phrases', 'removeAll')).toBe('{"removeAll":true}')
    expect(listBody('productKeys', 'removeAll')).toBe('{"removeAll":true}')
    // In a list, it is a phrase like any other.
    expect(listBody('phrases', ['removeAll'])).toBe('{"phrases":["removeAll"]}')
  })
  it('refuses non-arrays, empty arrays, and lists with a non-string or blank item', () => {
    const holey: unknown[] = ['a']
    holey[2] = 'c'
    for (const bad of [undefined, null, 'dress', 'all', 'removeall', {}, { length: 1, 0: 'a' }, [], [''], [' '], ['a', ''], ['a', 3], [null], [['a']], holey]) {
      expect(listBody('phrases', bad), JSON.stringify(bad)).toBeUndefined()
    }
  })
  it('is not fooled by a page that broke JSON.stringify or added Array.prototype.toJSON', () => {
    onABrokenPage(() => { expect(listBody('phrases', ['a', 'b'])).toBe('{"phrases":["a","b"]}') })
  })
})
