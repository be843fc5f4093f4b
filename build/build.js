// One script writes every output and prints raw and gzip sizes.
//   node build/build.js               build
//   node build/build.js --check-size  build, then fail when dist/esales.js is over budget
//   node build/build.js --quiet       build without the size table
import { execFileSync } from 'node:child_process'
import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import * as esbuild from 'esbuild'

/** The gzip budget of what every shop page loads. */
export const BUDGET = 2560
const root = new URL('..', import.meta.url).pathname
const dist = join(root, 'dist')
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))
// Browsers with sendBeacon, Blob, composedPath and dynamic import(): see the README's support table.
const target = ['chrome91', 'edge91', 'firefox90', 'safari15']
const common = {
  bundle: true,
  target,
  legalComments: /** @type {const} */ ('none'),
  define: { __VERSION__: JSON.stringify(pkg.version) },
  logLevel: /** @type {const} */ ('warning')
}

/**
 * Builds dist/ and returns the file list with sizes. The bundles are written to a
 * temporary folder and renamed into dist/ one by one, so that a page that loads them
 * while a build runs (the demo, a parallel test) never sees a missing or half-written file.
 */
export async function build() {
  const out = join(root, `.dist-${process.pid}`)
  rmSync(out, { recursive: true, force: true })
  await bundle(out)
  const fresh = new Set(files(out).map((f) => f.slice(out.length)))
  for (const f of fresh) {
    mkdirSync(join(dist, f, '..'), { recursive: true })
    renameSync(join(out, f), join(dist, f))
  }
  rmSync(out, { recursive: true, force: true })
  for (const f of files(dist)) {
    if (!fresh.has(f.slice(dist.length)) && !f.endsWith('.d.ts')) rmSync(f)
  }
  execFileSync(join(root, 'node_modules/.bin/tsc'), ['-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit' })
  return sizes()
}

/** @param {string} dir */
function files(dir) {
  /** @type {string[]} */
  const found = []
  const walk = (/** @type {string} */ d) => {
    let names = /** @type {string[]} */ ([])
    try { names = readdirSync(d) } catch {}
    for (const name of names) {
      const path = join(d, name)
      if (statSync(path).isDirectory()) walk(path)
      else found.push(path)
    }
  }
  walk(dir)
  return found
}

/** @param {string} dist */
async function bundle(dist) {
  await Promise.all([
    // The script tag: classic script, no globals but window.esales.
    // The IIFE needs no "use strict" prologue: nothing in it depends on sloppy or strict mode.
    esbuild.build({
      ...common, entryPoints: [join(root, 'src/script.ts')], outfile: join(dist, 'esales.js'), format: 'iife', minify: true,
      tsconfigRaw: { compilerOptions: { alwaysStrict: false, verbatimModuleSyntax: true } }
    }),
    // The lazily loaded chunks beside it: ky and the rare paths; the viewability code for sponsored items.
    esbuild.build({ ...common, entryPoints: [join(root, 'src/fallback.ts')], outfile: join(dist, 'esales-fallback.js'), format: 'esm', minify: true }),
    esbuild.build({ ...common, entryPoints: [join(root, 'src/viewability.ts')], outfile: join(dist, 'esales-ads.js'), format: 'esm', minify: true }),
    // For bundlers: ky and nanoid stay imports, and the fallback stays a lazy chunk.
    esbuild.build({
      ...common, entryPoints: [join(root, 'src/index.ts')], outdir: dist, format: 'esm', splitting: true,
      chunkNames: 'chunks/[name]-[hash]', external: ['ky', 'nanoid'], sourcemap: true
    })
  ])
}

function sizes() {
  return files(dist).filter((f) => f.endsWith('.js')).map((path) => {
    const bytes = readFileSync(path)
    return { file: path.slice(root.length), raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length }
  }).sort((a, b) => a.file.localeCompare(b.file))
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
