// One script writes every output and prints raw and gzip sizes.
//   node build/build.js               build
//   node build/build.js --check-size  build, then fail when dist/esales.js is over budget
//   node build/build.js --quiet       build without the size table
import { execFileSync } from 'node:child_process'
import { readFileSync, readdirSync, rmSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import * as esbuild from 'esbuild'

/** The gzip budget of what every shop page loads. */
export const BUDGET = 2560
const root = new URL('..', import.meta.url).pathname
const dist = join(root, 'dist')
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))
// Browsers with sendBeacon, Blob, composedPath and dynamic import(): see the README's support table.
const target = ['chrome80', 'edge80', 'firefox78', 'safari15']
const common = {
  bundle: true,
  target,
  legalComments: /** @type {const} */ ('none'),
  define: { __VERSION__: JSON.stringify(pkg.version) },
  logLevel: /** @type {const} */ ('warning')
}

/** Builds dist/ and returns the file list with sizes. */
export async function build() {
  rmSync(dist, { recursive: true, force: true })
  await Promise.all([
    // The script tag: classic script, no globals but window.esales.
    // The IIFE needs no "use strict" prologue: nothing in it depends on sloppy or strict mode.
    esbuild.build({
      ...common, entryPoints: [join(root, 'src/script.ts')], outfile: join(dist, 'esales.js'), format: 'iife', minify: true,
      tsconfigRaw: { compilerOptions: { alwaysStrict: false, verbatimModuleSyntax: true } }
    }),
    // The lazily loaded chunk beside it, with ky.
    esbuild.build({ ...common, entryPoints: [join(root, 'src/fallback.ts')], outfile: join(dist, 'esales-fallback.js'), format: 'esm', minify: true }),
    // For bundlers: ky and nanoid stay imports, and the fallback stays a lazy chunk.
    esbuild.build({
      ...common, entryPoints: [join(root, 'src/index.ts')], outdir: dist, format: 'esm', splitting: true,
      chunkNames: 'chunks/[name]-[hash]', external: ['ky', 'nanoid'], sourcemap: true
    })
  ])
  execFileSync(join(root, 'node_modules/.bin/tsc'), ['-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit' })
  return sizes()
}

function sizes() {
  /** @type {{ file: string, raw: number, gzip: number }[]} */
  const rows = []
  const walk = (/** @type {string} */ dir) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name)
      if (statSync(path).isDirectory()) walk(path)
      else if (name.endsWith('.js')) {
        const bytes = readFileSync(path)
        rows.push({ file: path.slice(root.length), raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length })
      }
    }
  }
  walk(dist)
  return rows.sort((a, b) => a.file.localeCompare(b.file))
}

if (import.meta.url == `file://${process.argv[1]}`) {
  const rows = await build()
  if (!process.argv.includes('--quiet')) {
    console.log('file'.padEnd(36) + 'raw B'.padStart(9) + 'gzip B'.padStart(9))
    for (const r of rows) console.log(r.file.padEnd(36) + String(r.raw).padStart(9) + String(r.gzip).padStart(9))
  }
  const main = rows.find((r) => r.file == 'dist/esales.js')
  if (!main) throw new Error('dist/esales.js was not written')
  const verdict = `dist/esales.js: ${main.gzip} B gzip of a ${BUDGET} B budget`
  if (process.argv.includes('--check-size') && main.gzip > BUDGET) {
    console.error(`size check failed: ${verdict}`)
    process.exit(1)
  }
  console.log(verdict + (main.gzip <= BUDGET ? ' (ok)' : ' (OVER)'))
}
