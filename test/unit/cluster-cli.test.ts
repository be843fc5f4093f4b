// `esales-snippet cluster` (cluster/cli.js, also installed as `esales-snippet-cluster`) as a shop
// runs it: it prints where it listens, takes notifications and says what the page does with
// each answer, stops on Ctrl-C, and says clearly what is wrong with a bad command line.
import { spawn, type ChildProcess } from 'node:child_process'
import { request } from 'node:http'
import { createServer } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'

const CLI = new URL('../../cluster/cli.js', import.meta.url).pathname

interface Run { child: ChildProcess; out: () => string; err: () => string; exit: Promise<number | null> }

function run(args: string[], env: Record<string, string> = {}): Run {
  const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
  let out = ''
  let err = ''
  child.stdout!.on('data', (c) => { out += c })
  child.stderr!.on('data', (c) => { err += c })
  const exit = new Promise<number | null>((done) => child.on('close', (code) => done(code)))
  return { child, out: () => out, err: () => err, exit }
}

/** Polls until `read` returns something, or fails at the deadline with what was printed. */
async function until<T>(read: () => T | undefined, what: string, r: Run, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms
  for (;;) {
    const value = read()
    if (value !== undefined) return value
    if (Date.now() > deadline) throw new Error(`no ${what} in ${ms} ms; stdout: ${r.out()} stderr: ${r.err()}`)
    await new Promise((done) => setTimeout(done, 25))
  }
}

const listening = (r: Run) => until(() => /listening on (http:\/\/\S+)/.exec(r.out())?.[1], 'URL', r)

/** POSTs as a browser's beacon does: Node's fetch always says Sec-Fetch-Mode: cors. */
function beacon(url: string, body: string): Promise<number> {
  return new Promise((done, fail) => {
    const req = request(url, { method: 'POST', headers: { 'content-type': 'text/plain;charset=UTF-8', 'sec-fetch-mode': 'no-cors', origin: 'http://localhost:3000' } }, (res) => {
      res.resume()
      res.on('end', () => done(res.statusCode!))
    })
    req.on('error', fail)
    req.end(body)
  })
}

describe('esales-snippet cluster', () => {
  const started: Run[] = []
  const start = (args: string[], env?: Record<string, string>) => { const r = run(args, env); started.push(r); return r }
  afterEach(() => { for (const r of started.splice(0)) if (r.child.exitCode == null) r.child.kill('SIGKILL') })

  it('prints its URLs, logs a notification, and stops on Ctrl-C', async () => {
    const r = start(['--port', '0', '--allow-origin', 'http://shop.test:3000/'])
    const url = await listening(r)
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect(r.out()).toContain(`live log:        ${url}/`)
    expect(r.out()).toContain(`${url}/faults`)
    expect(r.out()).toContain('http://shop.test:3000')
    const res = await fetch(`${url}/api/v2/notifications/click?customerKey=c&market=CLI&sessionKey=s`, {
      method: 'POST', body: '{"ticket":"T-CLI"}', headers: { 'content-type': 'text/plain;charset=UTF-8', origin: 'http://shop.test:3000' }
    })
    expect(res.status).toBe(204)
    expect(res.headers.get('access-control-allow-origin')).toBe('http://shop.test:3000')
    expect(await (await fetch(`${url}/records?market=CLI`)).json()).toMatchObject([{ ticket: 'T-CLI', verdict: 'accepted', cors: true }])
    await until(() => /#1\s+accepted\s+click \(v2\) by fetch\s+market=CLI\s+T-CLI/.exec(r.out())?.[0], 'log line', r)
    r.child.kill('SIGINT')
    expect(await r.exit).toBe(0)
    expect(r.out()).toContain('esales-snippet cluster: stopped')
  })

  it('warns once about an origin it answers without CORS headers, and --allow-any-origin answers it', async () => {
    const strict = start(['-p', '0'])
    const url = await listening(strict)
    for (const ticket of ['A', 'B']) {
      await fetch(`${url}/api/v2/notifications/click?customerKey=c&market=W&sessionKey=s`, { method: 'POST', body: `{"ticket":"${ticket}"}`, headers: { origin: 'https://shop.example' } })
    }
    await until(() => (/market=W\s+B/.test(strict.out()) ? true : undefined), 'second log line', strict)
    expect(strict.out().split('no CORS headers for https://shop.example').length - 1).toBe(1)
    expect(strict.out()).toContain('--allow-origin https://shop.example')

    const any = start(['--port', '0', '--allow-any-origin', '--quiet'])
    const anyUrl = await listening(any)
    const res = await fetch(`${anyUrl}/api/v2/notifications/click?customerKey=c&market=W&sessionKey=s`, { method: 'POST', body: '{"ticket":"C"}', headers: { origin: 'https://shop.example' } })
    expect(res.headers.get('access-control-allow-origin')).toBe('https://shop.example')
    expect(any.out()).toContain('CORS allowed:    every origin')
  })

  it('takes the port from PORT when there is no --port', async () => {
    const r = start([], { PORT: '0' })
    expect(await listening(r)).toMatch(/:\d+$/)
  })

  it('takes a port in decimal digits only: hexadecimal, exponents, signs, fractions and spaces exit 2, from --port and PORT', async () => {
    // Number() reads 0x1F90 as 8080 and 1e3 as 1000: each of these once started a cluster.
    const odd = ['0x1F90', '1e3', '0b1', '0o17', '8080.0', '80.', '+80', '-1', ' 8080', '8080 ', '1_000', 'Infinity', '65536', '８０８０']
    const runs = [
      ...odd.map((p) => ({ what: `--port=${JSON.stringify(p)}`, r: start([`--port=${p}`]), message: `--port=${p} is not a port number (0 to 65535, in decimal digits).` })),
      ...['0x1F90', '1e3'].map((p) => ({ what: `PORT=${p}`, r: start([], { PORT: p }), message: `PORT=${p} is not a port number (0 to 65535, in decimal digits).` }))
    ]
    for (const { what, r, message } of runs) {
      expect(await r.exit, what).toBe(2)
      expect(r.err(), what).toBe(`esales-snippet cluster: ${message}\n`)
      expect(r.out(), what).toBe('')
    }
  })

  it('says in one line that a port is taken, and exits 1', async () => {
    const blocker = createServer()
    await new Promise<void>((done) => blocker.listen(0, '127.0.0.1', done))
    const port = (blocker.address() as { port: number }).port
    try {
      const r = start(['--port', String(port)])
      expect(await r.exit).toBe(1)
      expect(r.err()).toBe(`esales-snippet cluster: port ${port} on 127.0.0.1 is taken. Stop what uses it, or pick another port: npx esales-snippet cluster --port ${port + 1}\n`)
      expect(r.out()).toBe('')
    } finally {
      blocker.close()
    }
  })

  it('prints usage with --help, and refuses bad options with exit code 2', async () => {
    const help = start(['--help'])
    expect(await help.exit).toBe(0)
    for (const flag of ['--port', '--host', '--allow-origin', '--allow-any-origin', '--quiet']) expect(help.out()).toContain(flag)
    const cases: [string[], RegExp][] = [
      [['--bogus'], /Unknown option '--bogus'[\s\S]*--help/],
      [['--port', '99999'], /--port=99999 is not a port number/],
      [['--port', ''], /--port= is not a port number/],
      [['--allow-origin', 'https://shop.example/cart'], /--allow-origin "https:\/\/shop.example\/cart" is not an origin/],
      [['clutser'], /unknown command "clutser": the command is cluster/],
      [['cluster', 'now'], /unknown command "cluster now"/]
    ]
    for (const [args, message] of cases) {
      const r = start(args)
      expect(await r.exit, args.join(' ')).toBe(2)
      expect(r.err()).toMatch(message)
    }
  })

  it('runs as `esales-snippet cluster`, and its banner gives a script tag and createTracker call that state API v3', async () => {
    const r = start(['cluster', '--port', '0'])
    const url = await listening(r)
    expect(r.out()).toContain(`<script async src="/assets/esales.js" data-endpoint="${url}" data-market="UK" data-api="v3"></script>`)
    expect(r.out()).toContain(`createTracker({ endpoint: '${url}', market: 'UK', api: 'v3' })`)
  })

  it('says under a fault what the page does with it: a beacon\'s is lost, a fetch is sent again, and its retry is marked', async () => {
    const r = start(['--port', '0'])
    const url = await listening(r)
    const click = (market: string) => `${url}/api/storefront/v3/notifications/click?customerKey=c&market=${market}&sessionKey=s`
    await fetch(`${url}/faults`, { method: 'POST', body: '{"kind":"500","count":2}' })
    expect(await beacon(click('FB'), '{"ticket":"B"}')).toBe(500)
    const fetched = () => fetch(click('FF'), { method: 'POST', body: '{"ticket":"F"}', headers: { origin: 'http://localhost:3000' } })
    expect((await fetched()).status).toBe(500)
    expect((await fetched()).status).toBe(204)
    const lines = await until(() => (/#3 .*\n/.test(r.out()) ? r.out() : undefined), 'third record', r)
    expect(lines).toMatch(/#1\s+fault\s+click \(v3\) by beacon\s+market=FB\s+fault switch: 500\n\s+sent by beacon: the page cannot see this answer, the notification is lost\n/)
    expect(lines).toMatch(/#2\s+fault\s+click \(v3\) by fetch\s+market=FF\s+fault switch: 500\n\s+sent by fetch: the page reads this answer and sends the notification again/)
    expect(lines).toMatch(/#3\s+accepted\s+click \(v3\) by fetch, retry of #2\s+market=FF\s+F\n/)
  })
})
