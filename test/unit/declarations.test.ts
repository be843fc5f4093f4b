// The build ships only the declaration files that the public entries reach: reachable() must
// follow every way a .d.ts can refer to another one, and no more.
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { reachable } from '../../build/build.js'

describe('reachable', () => {
  const dirs: string[] = []
  afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }) })
  const tree = (files: Record<string, string>) => {
    const dir = mkdtempSync(join(tmpdir(), 'dts-'))
    dirs.push(dir)
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(join(dir, name, '..'), { recursive: true })
      writeFileSync(join(dir, name), text)
    }
    return (name: string) => join(dir, name)
  }

  it('follows imports, re-exports, import() types, /// references, .js specifiers and folders; skips packages and comments', () => {
    const at = tree({
      // A /// reference counts at the top of a file only, where tsc writes it.
      'index.d.ts': "/// <reference path=\"./d.d.ts\" />\n/** import { x } from './commented' */\nimport type { A } from './a';\n" +
        "export * from './b.js';\nexport type { K } from 'ky';\nexport declare const c: import('./c').C;\nexport type { E } from './e';\n",
      'a.d.ts': "import { type F } from './deep/f';\nexport type A = F;\n",
      'b.d.ts': 'export type B = 1;\n',
      'c.d.ts': 'export type C = 1;\n',
      'd.d.ts': 'declare const d: 1;\n',
      'e/index.d.ts': 'export type E = 1;\n',
      'deep/f.d.ts': "export type F = typeof import('../b');\n",
      'commented.d.ts': 'export const x: 1;\n',
      'internal.d.ts': "import './a';\n"
    })
    expect([...reachable([at('index.d.ts')])].sort()).toEqual(
      ['a.d.ts', 'b.d.ts', 'c.d.ts', 'd.d.ts', 'deep/f.d.ts', 'e/index.d.ts', 'index.d.ts'].map(at).sort())
  })

  it('fails the build when a public declaration refers to a file that was not emitted', () => {
    const at = tree({ 'index.d.ts': "export type { G } from './gone';\n" })
    expect(() => reachable([at('index.d.ts')])).toThrow(/index\.d\.ts refers to \.\/gone, which has no emitted declaration file/)
  })
})
