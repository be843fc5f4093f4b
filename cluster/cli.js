#!/usr/bin/env node
// @ts-check
// `npx esales-snippet cluster` (also `npx esales-snippet-cluster`, its older name): the local
// eSales cluster as a command, for a shop that points its own dev site's data-endpoint at it.
// Prints the URLs, one line per notification with what the page does with its answer, and
// stops on Ctrl-C.
import { parseArgs } from 'node:util'
import { normalizeOrigin } from './cors.js'
import { DEFAULT_API_KEY, startCluster } from './server.js'

const NAME = 'esales-snippet cluster'
const USAGE = `Usage: npx ${NAME} [options]
       npx esales-snippet-cluster [options]   (the same command)

A local eSales cluster for development: point the snippet's data-endpoint (or createTracker's
endpoint) at it, click on your site, and watch each notification arrive, checked against
the eSales API, in the terminal and in the live log.

Options:
  -p, --port <port>          port to listen on (default: $PORT, else 8081; 0 takes any free port)
      --host <address>       address to listen on (default: 127.0.0.1; 0.0.0.0 for every interface)
      --allow-origin <origin>
                             answer this page origin with CORS headers too, e.g.
                             http://shop.test:3000 (repeatable). Pages on localhost and
                             *.localhost (shop.localhost), 127.0.0.0/8 and [::1], any port, are
                             always allowed.
      --allow-any-origin     answer every origin with CORS headers
      --api-key <key>        the admin API key that server payments must send as
                             Api-Key (default: $ESALES_API_KEY, else the development
                             key ${DEFAULT_API_KEY}); never printed or logged
  -q, --quiet                print no line per notification
  -h, --help                 print this help

Other origins are answered without CORS headers, as a real cluster restricted by its CORS
settings does: the notification arrives and is logged, but a page's fetch fails.`

/** @param {string} message @param {number} [code] @returns {never} */
function fail(message, code = 1) {
  console.error(`${NAME}: ${message}`)
  process.exit(code)
}

function parse() {
  try {
    return parseArgs({
      options: {
        port: { type: 'string', short: 'p' },
        host: { type: 'string', default: '127.0.0.1' },
        'allow-origin': { type: 'string', multiple: true },
        'allow-any-origin': { type: 'boolean', default: false },
        'api-key': { type: 'string' },
        quiet: { type: 'boolean', short: 'q', default: false },
        help: { type: 'boolean', short: 'h', default: false }
      },
      // `cluster`, the command, when this runs as `esales-snippet`; nothing as `esales-snippet-cluster`.
      allowPositionals: true
    })
  } catch (error) {
    return fail(`${/** @type {Error} */ (error).message}\nRun npx ${NAME} --help for the options.`, 2)
  }
}
const { values: args, positionals } = parse()
if (positionals.length > 1 || (positionals[0] ?? 'cluster') != 'cluster') {
  fail(`unknown command ${JSON.stringify(positionals.join(' '))}: the command is cluster.\nRun npx ${NAME} --help for the options.`, 2)
}
if (args.help) {
  console.log(USAGE)
  process.exit(0)
}

// `PORT= npx …` or an exported empty PORT means no PORT.
const portText = args.port ?? (process.env.PORT || '8081')
// Decimal digits only: Number() also reads 0x1F90 (8080), 1e3 (1000), 0b1, 8080.0 and ' 80 ',
// and a typo should stop here rather than listen on a port nobody asked for.
const port = /^[0-9]+$/.test(portText) ? Number(portText) : NaN
if (!(port <= 65535)) fail(`${args.port != null ? '--port' : 'PORT'}=${portText} is not a port number (0 to 65535, in decimal digits).`, 2)
const host = args.host ?? '127.0.0.1'

/** @type {string[]} */
let extra = []
try {
  extra = (args['allow-origin'] ?? []).map(normalizeOrigin)
} catch (error) {
  fail(`--allow-origin ${/** @type {Error} */ (error).message}`, 2)
}
const anyOrigin = args['allow-any-origin'] ?? false
const apiKey = args['api-key'] ?? (process.env.ESALES_API_KEY || DEFAULT_API_KEY)
if (!apiKey.trim()) fail('--api-key is empty: give the key that your server sends as Api-Key.', 2)

/** @type {import('./server.js').MockCluster} */
let cluster
try {
  cluster = await startCluster({ port, host, allowOrigins: anyOrigin ? '*' : extra, apiKey })
} catch (error) {
  const code = /** @type {NodeJS.ErrnoException} */ (error).code
  if (code == 'EADDRINUSE') fail(`port ${port} on ${host} is taken. Stop what uses it, or pick another port: npx ${NAME} --port ${port + 1}`)
  if (code == 'EACCES') fail(`no permission to listen on port ${port}; pick a port above 1023: npx ${NAME} --port 8081`)
  if (code == 'EADDRNOTAVAIL' || code == 'ENOTFOUND') fail(`cannot listen on --host ${host}: this machine has no such address.`)
  throw error
}

const { url } = cluster
const allowedText = anyOrigin ? 'every origin' : ['localhost, *.localhost, 127.0.0.0/8 and [::1] (http and https, any port)', ...extra].join(', ')
console.log(`${NAME}: listening on ${url}

  endpoint:        ${url}
                   <script async src="/assets/esales.js" data-endpoint="${url}" data-market="UK" data-api="v3"></script>
                   or createTracker({ endpoint: '${url}', market: 'UK', api: 'v3' })
  live log:        ${url}/
  records:         curl '${url}/records?market=UK'    (DELETE forgets them)
  fault switches:  curl -X POST ${url}/faults -d '{"kind":"500","count":3}'
                   kinds: 500, 400, 503 (with "retryAfter": 2), delay (with "ms": 3000), drop;
                   "market": "UK" limits a switch to one market. curl -X DELETE ${url}/faults
                   turns them off; the live log has buttons for them.
  server payments: POST ${url}/api/admin/v3/notifications/payment (or v4), with the header
                   Api-Key: ${apiKey == DEFAULT_API_KEY ? `${DEFAULT_API_KEY} (the development key; --api-key sets another)` : 'the --api-key value'}
  CORS allowed:    ${allowedText}${anyOrigin ? '' : `
                   others: --allow-origin <origin> (repeatable), or --allow-any-origin`}

Ctrl-C stops it.${args.quiet ? '' : ' Notifications as they arrive:'}`)

/** Origins already warned about: one warning each is enough. */
const warned = new Set()
if (!args.quiet) {
  cluster.onRecord((r) => {
    const time = new Date(r.time).toTimeString().slice(0, 8)
    const what = (r.type ? `${r.type} (${r.api})` : `${r.method} ${r.url.split('?')[0]}`) +
      (r.transport ? ` by ${r.transport}` : '') + (r.again ? `, retry of #${r.again}` : '')
    const detail = r.verdict == 'accepted' ? (r.ticket ?? r.body) : r.reason
    console.log(`${time}  #${r.seq}  ${r.verdict.padEnd(8)}  ${what}  market=${r.market || '-'}  ${detail}`.trimEnd())
    if (r.fate) console.log(`          ${r.fate}`)
    if (r.origin && !r.cors && !warned.has(r.origin)) {
      warned.add(r.origin)
      console.log(`          no CORS headers for ${r.origin}: a page's fetch from there fails (a beacon still arrives). ` +
        `Allow it with --allow-origin ${r.origin}`)
    }
  })
}

let stopping = false
async function stop() {
  // A second Ctrl-C while open log pages are being closed: leave at once.
  if (stopping) process.exit(130)
  stopping = true
  await cluster.close()
  console.log(`${NAME}: stopped`)
  process.exit(0)
}
process.on('SIGINT', stop)
process.on('SIGTERM', stop)
