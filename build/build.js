// One script writes every output and prints raw and gzip sizes.
//   node build/build.js               build
//   node build/build.js --check-size  build, then fail when dist/esales.js is over budget
//   node build/build.js --quiet       build without the size table
import { execFile } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { promisify } from 'node:util'
import { gzipSync } from 'node:zlib'
import * as esbuild from 'esbuild'
import { minify } from 'terser'
import ts from 'typescript'

/**
 * The gzip budget of what every shop page loads. The target is 4,300 B; the click rules and the
 * consent levels take it to 5,000 B, and what would bring it back (see
 * docs/development.md, "Size") changes behaviour that shops rely on. This line stops any further
 * growth until that is decided.
 */
export const BUDGET = 5000
const root = new URL('..', import.meta.url).pathname
const dist = join(root, 'dist')
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))
// Browsers with sendBeacon, Blob, composedPath and dynamic import(): see the README's support table.
const target = ['chrome91', 'edge91', 'firefox90', 'safari15']
const common = {
  bundle: true,
  metafile: true,
  target,
  legalComments: /** @type {const} */ ('none'),
  define: { __VERSION__: JSON.stringify(pkg.version) },
  logLevel: /** @type {const} */ ('warning')
}

/**
 * Builds dist/ and returns the file list with sizes. The bundles and declarations are written
 * to a temporary folder and renamed into dist/ one by one, so that a page that loads them
 * while a build runs (the demo, a parallel test) never sees a missing or half-written file.
 */
export async function build() {
  const out = join(root, `.dist-${process.pid}`)
  rmSync(out, { recursive: true, force: true })
  try {
    await Promise.all([bundle(out), declarations(out)])
    const fresh = new Set(files(out).map((f) => f.slice(out.length)))
    for (const f of fresh) {
      mkdirSync(join(dist, f, '..'), { recursive: true })
      renameSync(join(out, f), join(dist, f))
    }
    for (const f of files(dist)) {
      if (!fresh.has(f.slice(dist.length))) rmSync(f)
    }
  } finally {
    rmSync(out, { recursive: true, force: true })
  }
  return sizes()
}

/**
 * The type declarations: dist/index.d.ts and what it imports, dist/global.d.ts (the script tag's
 * `window.esales`, `esales-snippet/global`), and dist/cluster/server.d.ts (the
 * types of `esales-snippet/cluster`, from cluster/'s JSDoc) and what it imports. tsc writes one
 * .d.ts per source file; the ones that no public type reaches are internals, and are dropped.
 * @param {string} out
 */
async function declarations(out) {
  const tsc = join(root, 'node_modules/.bin/tsc')
  const run = (/** @type {string[]} */ args) => promisify(execFile)(tsc, args).catch((/** @type {any} */ error) => {
    // tsc prints its diagnostics on stdout.
    throw new Error(`tsc ${args.join(' ')} failed:\n${error.stdout || ''}${error.stderr || ''}`)
  })
  await Promise.all([
    run(['-p', join(root, 'tsconfig.build.json'), '--declarationDir', out]),
    run(['--allowJs', '--declaration', '--emitDeclarationOnly', '--strict', '--skipLibCheck', '--types', 'node', '--target', 'es2022',
      '--module', 'nodenext', '--rootDir', join(root, 'cluster'), '--declarationDir', join(out, 'cluster'), join(root, 'cluster/server.js')])
  ])
  const keep = reachable([join(out, 'index.d.ts'), join(out, 'global.d.ts'), join(out, 'server/index.d.ts'), join(out, 'cluster/server.d.ts')])
  for (const f of files(out)) if (f.endsWith('.d.ts') && !keep.has(f)) rmSync(f)
}

/**
 * The declaration files that `roots` reach through relative imports, exports, `import()` types
 * and `/// <reference path>`, roots included. Package imports (ky, nanoid) are left to the package.
 * @param {string[]} roots
 * @returns {Set<string>}
 */
export function reachable(roots) {
  const seen = new Set(roots)
  const queue = [...roots]
  for (let file = queue.shift(); file; file = queue.shift()) {
    if (!existsSync(file)) throw new Error(`${relative(root, file)} was not emitted`)
    const info = ts.preProcessFile(readFileSync(file, 'utf8'), true, true)
    const specifiers = [...info.importedFiles, ...info.referencedFiles].map((f) => f.fileName).filter((s) => s.startsWith('.'))
    for (const specifier of specifiers) {
      const found = declarationOf(resolve(dirname(file), specifier))
      if (!found) throw new Error(`${relative(root, file)} refers to ${specifier}, which has no emitted declaration file`)
      if (!seen.has(found)) {
        seen.add(found)
        queue.push(found)
      }
    }
  }
  return seen
}

/**
 * The .d.ts file that an import of `base` (a path without or with a .js extension) finds.
 * @param {string} base
 */
function declarationOf(base) {
  const js = /\.([mc]?)js$/.exec(base)
  const candidates = js
    ? [base.slice(0, -js[0].length) + `.d.${js[1]}ts`]
    : [base, `${base}.d.ts`, `${base}.d.mts`, `${base}.d.cts`, join(base, 'index.d.ts')]
  return candidates.find((c) => c.endsWith('.ts') && existsSync(c) && statSync(c).isFile())
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
  const results = await Promise.all([
    // The script tag: classic script, no globals but window.esales.
    // The IIFE needs no "use strict" prologue: nothing in it depends on sloppy or strict mode.
    esbuild.build({
      ...common, entryPoints: [join(root, 'src/page/script.ts')], outfile: join(dist, 'esales.js'), format: 'iife', minify: true,
      tsconfigRaw: { compilerOptions: { alwaysStrict: false, verbatimModuleSyntax: true } }
    }),
    // The lazily loaded chunks beside it: ky and the rare paths; the viewability code for sponsored items.
    esbuild.build({ ...common, entryPoints: [join(root, 'src/chunks/fallback.ts')], outfile: join(dist, 'esales-fallback.js'), format: 'esm', minify: true }),
    esbuild.build({ ...common, entryPoints: [join(root, 'src/chunks/viewability.ts')], outfile: join(dist, 'esales-ads.js'), format: 'esm', minify: true }),
    // For bundlers: the entry, and its two lazy chunks as files of their own. ky stays an import,
    // and so does nanoid in the entry. Each chunk is complete in itself, as the script tag's are:
    // a module that the entry and a chunk shared would be a chunk of its own for the app's bundler,
    // loaded with the entry, and the whole of it, also the outbox code that only the fallback uses.
    esbuild.build({
      ...common, entryPoints: [join(root, 'src/index.ts')], outfile: join(dist, 'index.js'), format: 'esm',
      external: ['ky', 'nanoid'], sourcemap: true, plugins: [lazyChunks]
    }),
    esbuild.build({
      ...common, entryPoints: { 'chunks/fallback': join(root, 'src/chunks/fallback.ts'), 'chunks/ads': join(root, 'src/chunks/viewability.ts') },
      outdir: dist, format: 'esm', external: ['ky'], sourcemap: true
    }),
    // esales-snippet/server: for Node 20 and web-standard servers; ky stays an import. Last: the
    // layout check takes it for the server's.
    esbuild.build({
      bundle: true, platform: 'node', target: 'node20', format: 'esm', entryPoints: [join(root, 'src/server/index.ts')],
      outfile: join(dist, 'server/index.js'), external: ['ky'], sourcemap: true, legalComments: 'none', logLevel: 'warning', metafile: true
    })
  ])
  await squeeze(join(dist, 'esales.js'))
  const metafiles = results.map((r) => /** @type {esbuild.Metafile} */ (r.metafile))
  const violations = layoutViolations(metafiles.slice(0, -1), /** @type {esbuild.Metafile} */ (metafiles.at(-1)))
  if (violations.length) throw new Error(`the layout is broken:\n  ${violations.join('\n  ')}`)
}

/**
 * Minifies the script tag's file once more with terser, after esbuild: every shop page loads
 * it, and terser's compression and naming take about 4 % more off its gzip size than esbuild's
 * minifier does. Only options that keep the code's meaning (no `unsafe`, no `pure_getters`:
 * the snippet reads getters that throw, such as `localStorage` in a sandboxed frame).
 * @param {string} file
 */
async function squeeze(file) {
  const { code } = await minify(readFileSync(file, 'utf8'), { ecma: 2020, compress: { passes: 3 }, mangle: true, format: { comments: false } })
  if (!code) throw new Error(`terser wrote nothing for ${file}`)
  writeFileSync(file, code)
}

/**
 * What each output may be built from: the browser's files (the script tag's, its chunks, the
 * ESM entry's) nothing of src/server/; the server entry only src/server/ and src/shared/ (the
 * rules both sides import), with ky left an import.
 * @param {esbuild.Metafile[]} browser the metafiles of the browser's builds
 * @param {esbuild.Metafile} server the server entry's
 * @returns {string[]} one line per input that is where it must not be
 */
export function layoutViolations(browser, server) {
  /** @type {string[]} */
  const found = []
  const check = (/** @type {esbuild.Metafile} */ metafile, /** @type {(source: string) => boolean} */ allowed) => {
    for (const [output, { inputs }] of Object.entries(metafile.outputs)) {
      if (!output.endsWith('.js')) continue
      for (const input of Object.keys(inputs)) {
        const source = relative(root, resolve(input))
        if (!allowed(source)) found.push(`${relative(root, resolve(output)).replace(/^\.dist-\d+\//, 'dist/')} is built from ${source}`)
      }
    }
  }
  for (const metafile of browser) check(metafile, (source) => !source.startsWith('src/server/'))
  check(server, (source) => /^src\/(server|shared)\//.test(source))
  return found
}

/**
 * Leaves the entry's `import()` of each lazy chunk to the app's bundler, pointing at the chunk's
 * own file in dist/chunks/ (built beside it), so that esbuild does not bundle the chunk's modules
 * into the entry's build.
 * @type {esbuild.Plugin}
 */
const lazyChunks = {
  name: 'lazy-chunks',
  setup(b) {
    const files = /** @type {Record<string, string>} */ ({ './chunks/fallback.js': './chunks/fallback.js', './chunks/viewability.js': './chunks/ads.js' })
    b.onResolve({ filter: /^\.\/chunks\/(fallback|viewability)\.js$/ }, (args) => ({ path: files[args.path], external: true }))
  }
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
