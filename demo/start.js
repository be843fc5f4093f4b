// @ts-check
// `npm start`: builds the snippet, starts the local eSales cluster and the demo shop,
// and prints both URLs. SHOP_PORT and CLUSTER_PORT choose the ports (0: any free one).
import { build } from '../build/build.js'
import { DEFAULT_API_KEY, startCluster } from '../cluster/server.js'
import { startDemoShop } from './server.js'

const shopPort = port('SHOP_PORT', 8080)
const clusterPort = port('CLUSTER_PORT', 8081)

/** @param {string} name @param {number} fallback */
function port(name, fallback) {
  const value = process.env[name]
  if (value == null || value === '') return fallback
  const n = Number(value)
  if (!Number.isInteger(n) || n < 0 || n > 65535) fail(`${name}=${value} is not a port number (0 to 65535).`)
  return n
}

/** @param {string} message @returns {never} */
function fail(message) {
  console.error(`esales demo: ${message}`)
  process.exit(1)
}

/**
 * @template T
 * @param {() => Promise<T>} start
 * @param {string} what
 * @param {string} variable
 * @param {number} wanted
 */
async function listen(start, what, variable, wanted) {
  try {
    return await start()
  } catch (error) {
    const code = /** @type {NodeJS.ErrnoException} */ (error).code
    if (code == 'EADDRINUSE') fail(`port ${wanted} for the ${what} is taken. Stop what uses it, or pick another: ${variable}=${wanted + 10} npm start`)
    if (code == 'EACCES') fail(`no permission to listen on port ${wanted} for the ${what}; pick a port above 1023 with ${variable}.`)
    throw error
  }
}

const sizes = await build()
const main = sizes.find((s) => s.file == 'dist/esales.js')
console.log(`built dist/esales.js: ${main?.raw} B, ${main?.gzip} B gzip`)

// The cluster on 127.0.0.1 and the shop on localhost: two origins, as in production. The
// shop's server reaches the cluster for the snippet (its /esales proxy) and for payments (the
// admin API, with the cluster's development key).
const cluster = await listen(() => startCluster({ port: clusterPort, host: '127.0.0.1', apiKey: DEFAULT_API_KEY }), 'local eSales cluster', 'CLUSTER_PORT', clusterPort)
const shop = await listen(() => startDemoShop({ port: shopPort, clusterUrl: cluster.url, apiKey: DEFAULT_API_KEY, log: (line) => console.log(`  ${line}`) }), 'demo shop', 'SHOP_PORT', shopPort)

console.log(`
  demo shop:         ${shop.url}/
  notification log:  ${cluster.url}/
  eSales endpoint:   ${cluster.url}  (the pages send to ${shop.url}/esales, which forwards there)
  the shop's tag:    <script async src="/dist/esales.js" data-endpoint="/esales" data-market="UK" data-api="v3"></script>
  fault switches:    POST ${cluster.url}/faults  {"kind":"500"|"400"|"429"|"503"|"delay"|"drop","count":3}
                     (the log says what the page does with each: a beacon's fault is lost, a fetch is sent again)

  Open the shop, click tiles, buy something on a product page, and watch the log:
  the payment comes from the shop's server, with the keys of the clicks before it.
  Ctrl-C stops both servers.
`)

let stopping = false
async function stop() {
  if (stopping) return
  stopping = true
  await Promise.all([shop.close(), cluster.close()])
  console.log('esales demo: stopped')
  process.exit(0)
}
process.on('SIGINT', stop)
process.on('SIGTERM', stop)
