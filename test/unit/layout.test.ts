// What runs where: nothing of the server reaches the browser's files, and nothing of the page
// reaches the server entry beyond the rules both share (src/shared/). The build checks this on
// every run (layoutViolations); here it is checked on fresh bundles, and shown to catch a breach.
import { join } from 'node:path'
import * as esbuild from 'esbuild'
import { describe, expect, it } from 'vitest'
import { layoutViolations } from '../../build/build.js'

const root = new URL('../..', import.meta.url).pathname

/** The metafile of a bundle of `entry`, built in memory. */
async function metafileOf(entry: string, options: esbuild.BuildOptions = {}): Promise<esbuild.Metafile> {
  const result = await esbuild.build({ entryPoints: [join(root, entry)], bundle: true, write: false, metafile: true, outdir: join(root, '.layout-test'), logLevel: 'silent', format: 'esm', ...options })
  return result.metafile!
}

const inputs = (m: esbuild.Metafile) => Object.keys(m.inputs)

describe('the layout', () => {
  it("the page's script, its chunks and the ESM entry hold nothing of src/server/; the server entry only src/server/ and src/shared/", async () => {
    const [script, fallback, ads, index, server] = await Promise.all([
      metafileOf('src/page/script.ts', { format: 'iife' }), metafileOf('src/chunks/fallback.ts'), metafileOf('src/chunks/viewability.ts'),
      metafileOf('src/index.ts', { splitting: true, external: ['ky', 'nanoid'] }), metafileOf('src/server/index.ts', { platform: 'node', external: ['ky'] })
    ])
    expect(layoutViolations([script, fallback, ads, index], server)).toEqual([])
    // The shared rules are what both sides are made of, and all the page gives the server.
    expect(inputs(server).filter((f) => !f.startsWith('src/server/')).sort()).toEqual(['src/shared/body.ts', 'src/shared/cookies.ts', 'src/shared/payment.ts', 'src/shared/settings.ts', 'src/shared/token.ts', 'src/shared/uuid.ts'])
    expect(inputs(script)).toEqual(expect.arrayContaining(['src/shared/cookies.ts', 'src/shared/token.ts', 'src/shared/uuid.ts']))
    // The admin API's payment line stays out of the page's chunk; the client's is in it.
    const chunk = await esbuild.build({ entryPoints: [join(root, 'src/chunks/fallback.ts')], bundle: true, write: false, format: 'esm', logLevel: 'silent' })
    expect(chunk.outputFiles[0]!.text).toContain('variantKey must be a non-empty string')
    expect(chunk.outputFiles[0]!.text).not.toContain('give variantKey or productKey, not both')
  })

  it('reports a server module in a browser file, and a page module in the server entry', () => {
    const meta = (output: string, files: string[]): esbuild.Metafile => ({
      inputs: {}, outputs: { [output]: { bytes: 1, inputs: Object.fromEntries(files.map((f) => [f, { bytesInOutput: 1 }])), imports: [], exports: [] } }
    })
    expect(layoutViolations([meta('dist/esales.js', ['src/page/script.ts', 'src/server/read.ts'])], meta('dist/server/index.js', ['src/server/index.ts', 'src/page/config.ts', 'node_modules/nanoid/index.js']))).toEqual([
      'dist/esales.js is built from src/server/read.ts',
      'dist/server/index.js is built from src/page/config.ts',
      'dist/server/index.js is built from node_modules/nanoid/index.js'
    ])
  })
})
