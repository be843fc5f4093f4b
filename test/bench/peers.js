// @ts-check
// The trackers under comparison, each set up to do the same job: report clicks on
// [data-esales-ticket] tiles to the local mock cluster. Peers that ship no browser file
// are bundled with esbuild (minified, as a shop would ship them), with a delegated
// capture-phase click listener around them, as the official libraries leave that to the shop.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import * as esbuild from 'esbuild'

const root = new URL('../..', import.meta.url).pathname
const out = join(root, 'test/bench/.build')

// Shared by the peers' wrappers: the tag's data-* attributes, and the ticket of a click.
const PRELUDE = `
const tag = document.currentScript.dataset
const ticketOf = (e) => { const el = e.target.closest && e.target.closest('[data-esales-ticket]'); return el && el.dataset.esalesTicket }
`

/** @type {Record<string, { name: string, source: string }>} */
const WRAPPERS = {
  lifestyle: {
    name: '@apptus/esales-lifestyle-api 1.6.0 (API v2)',
    source: `import { esales } from '@apptus/esales-lifestyle-api'
${PRELUDE}
const api = esales({ market: tag.market, webApiUrl: tag.endpoint + '/api/v2/', touchpoint: 'desktop' })
document.addEventListener('click', (e) => { const t = ticketOf(e); if (t) try { api.notify.click(t) } catch {} }, true)`
  },
  v3: {
    name: '@apptus/esales-api 3.5.1 (Storefront v3)',
    source: `import { notifications, localStorageBackedSession } from '@apptus/esales-api'
${PRELUDE}
const notify = notifications({ clusterId: tag.endpoint, market: tag.market, session: localStorageBackedSession() })
document.addEventListener('click', (e) => { const t = ticketOf(e); if (t) notify.click(t).catch(() => {}) }, true)`
  },
  algolia: {
    name: 'search-insights 2.17.3 (Algolia)',
    source: `import aa from 'search-insights'
${PRELUDE}
aa('init', { appId: 'BENCH', apiKey: 'bench', host: tag.endpoint, useCookie: false, anonymousUserToken: true })
document.addEventListener('click', (e) => { const t = ticketOf(e); if (t) aa('clickedObjectIDs', { index: 'products', eventName: 'Product clicked', objectIDs: [t] }) }, true)`
  }
}

/** @typedef {{ id: string, name: string, file: string, raw: number, gzip: number, lazyRaw: number, lazyGzip: number }} Tracker */

/** @param {string} file */
const size = (file) => {
  const bytes = readFileSync(file)
  return { raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length }
}

/**
 * Bundles the peers and measures every tracker's files. Ours must be built already (dist/).
 * @returns {Promise<Tracker[]>}
 */
export async function buildTrackers() {
  mkdirSync(out, { recursive: true })
  const ours = size(join(root, 'dist/esales.js'))
  const lazy = size(join(root, 'dist/esales-fallback.js'))
  /** @type {Tracker[]} */
  const trackers = [{ id: 'ours', name: 'esales-snippet (this)', file: '/dist/esales.js', ...ours, lazyRaw: lazy.raw, lazyGzip: lazy.gzip }]
  for (const [id, { name, source }] of Object.entries(WRAPPERS)) {
    const entry = join(out, `${id}.entry.js`)
    writeFileSync(entry, source)
    await esbuild.build({
      entryPoints: [entry], outfile: join(out, `${id}.js`), bundle: true, minify: true, format: 'iife',
      target: ['chrome91', 'firefox90', 'safari15'], platform: 'browser', logLevel: 'error', legalComments: 'none'
    })
    trackers.push({ id, name, file: `/bench/${id}.js`, ...size(join(out, `${id}.js`)), lazyRaw: 0, lazyGzip: 0 })
  }
  return trackers
}
