// @ts-check
// One adapter per engine, each driving the browser through the protocol that works here:
//   Chromium: Debian's chromium through Playwright (CDP).
//   Firefox:  Debian's firefox-esr through puppeteer-core over WebDriver BiDi (Playwright 1.65
//             cannot drive this Firefox: a BiDi command it needs is missing).
//   WebKit:   Debian's WebKitGTK MiniBrowser through WebKitWebDriver (W3C WebDriver classic),
//             with webdriverio, under Xvfb (WebKitGTK needs a display).
import { spawn, spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { createServer } from 'node:net'
import { CHROMIUM_ARGS, findChromium } from '../support/browser.js'
import { probed } from './probe.js'

/** @typedef {import('./driver').Driver} Driver */
/** @typedef {import('./driver').Engine} Engine */
/** @typedef {import('./driver').EngineFactory} EngineFactory */

const FIREFOX = process.env.FIREFOX_PATH || '/usr/bin/firefox-esr'
const WEBKIT_DRIVER = process.env.WEBKIT_DRIVER_PATH || '/usr/bin/WebKitWebDriver'
const INSTALL = 'apt-get install -y chromium firefox-esr webkit2gtk-driver xvfb'

/** @param {string} command */
const onPath = (command) => spawnSync('sh', ['-c', `command -v ${command}`]).status == 0

/** A free TCP port on 127.0.0.1. */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = /** @type {import('node:net').AddressInfo} */ (server.address())
      server.close(() => resolve(port))
    })
  })
}

/** @type {EngineFactory} */
export const chromiumEngine = {
  name: 'chromium',
  missing() {
    try { findChromium(); return undefined } catch (error) { return String(/** @type {Error} */ (error).message) }
  },
  async launch(serve) {
    const { chromium } = await import('@playwright/test')
    const browser = await chromium.launch({ executablePath: findChromium(), args: CHROMIUM_ARGS })
    return probed({
      name: 'chromium',
      version: `Chromium ${browser.version()}`,
      async newPage() {
        const context = await browser.newContext()
        const page = await context.newPage()
        return {
          open: async (url) => { await page.goto(url) },
          click: (selector) => page.click(selector),
          ctrlClick: (selector) => page.click(selector, { modifiers: ['Control'] }),
          middleClick: (selector) => page.click(selector, { button: 'middle' }),
          async drag(selector, dx) {
            const box = /** @type {{ x: number, y: number, width: number, height: number }} */ (await page.locator(selector).boundingBox())
            const [x, y] = [box.x + box.width / 2, box.y + box.height / 2]
            await page.mouse.move(x, y)
            await page.mouse.down()
            await page.mouse.move(x + dx, y, { steps: 10 })
            await page.mouse.up()
          },
          tabs: async () => [page, ...context.pages().filter((p) => p !== page)].map((p) => p.url()),
          run: (fn) => page.evaluate(`(() => { ${fn} })()`),
          url: async () => page.url(),
          setOffline: (offline) => context.setOffline(offline),
          close: () => context.close()
        }
      },
      close: () => browser.close()
    }, serve)
  }
}

/** @type {EngineFactory} */
export const firefoxEngine = {
  name: 'firefox',
  missing: () => (existsSync(FIREFOX) ? undefined : `no Firefox at ${FIREFOX}: ${INSTALL} (or set FIREFOX_PATH)`),
  async launch(serve) {
    const puppeteer = (await import('puppeteer-core')).default
    const browser = await puppeteer.launch({
      browser: 'firefox',
      executablePath: FIREFOX,
      headless: true,
      // Keep Firefox off the network (this machine has none) and quiet.
      extraPrefsFirefox: {
        'network.captive-portal-service.enabled': false,
        'app.update.enabled': false,
        'browser.safebrowsing.malware.enabled': false,
        'browser.safebrowsing.phishing.enabled': false,
        'datareporting.policy.dataSubmissionEnabled': false,
        'network.connectivity-service.enabled': false
      }
    })
    return probed({
      name: 'firefox',
      version: (await browser.version()).replace(/^firefox\//i, 'Firefox '),
      async newPage() {
        const context = await browser.createBrowserContext()
        const page = await context.newPage()
        return {
          open: async (url) => { await page.goto(url, { waitUntil: 'load' }) },
          click: (selector) => page.click(selector),
          async ctrlClick(selector) {
            await page.keyboard.down('Control')
            try {
              await page.click(selector)
            } finally {
              await page.keyboard.up('Control')
            }
          },
          middleClick: (selector) => page.click(selector, { button: 'middle' }),
          async drag(selector, dx) {
            const el = await page.$(selector)
            const box = await el?.boundingBox()
            if (!box) throw new Error(`nothing to drag at ${selector}`)
            const [x, y] = [box.x + box.width / 2, box.y + box.height / 2]
            await page.mouse.move(x, y)
            await page.mouse.down()
            await page.mouse.move(x + dx, y, { steps: 10 })
            await page.mouse.up()
          },
          tabs: async () => [page, ...(await context.pages()).filter((p) => p !== page)].map((p) => p.url()),
          run: (fn) => page.evaluate(`(() => { ${fn} })()`),
          url: async () => page.url(),
          // Firefox ESR 140 has no BiDi emulation.setNetworkConditions: the probe finds out.
          setOffline: (offline) => page.setOfflineMode(offline),
          close: () => context.close()
        }
      },
      close: () => browser.close()
    }, serve)
  }
}

/** @type {EngineFactory} */
export const webkitEngine = {
  name: 'webkit',
  missing() {
    if (!existsSync(WEBKIT_DRIVER)) return `no WebKitWebDriver at ${WEBKIT_DRIVER}: ${INSTALL} (or set WEBKIT_DRIVER_PATH)`
    if (!process.env.DISPLAY && !onPath('Xvfb')) return `no display and no Xvfb for WebKitGTK: ${INSTALL}`
    return undefined
  },
  async launch(serve) {
    /** @type {import('node:child_process').ChildProcess | undefined} */
    let xvfb
    const env = { ...process.env }
    if (!env.DISPLAY) {
      // A virtual display of our own (what xvfb-run does), ended with the engine.
      const display = `:${90 + Math.floor(Math.random() * 400)}`
      xvfb = spawn('Xvfb', [display, '-screen', '0', '1280x1024x24', '-nolisten', 'tcp'], { stdio: 'ignore' })
      env.DISPLAY = display
      await new Promise((r) => setTimeout(r, 500))
    }
    const port = await freePort()
    const driver = spawn(WEBKIT_DRIVER, [`--port=${port}`], { env, stdio: 'ignore' })
    const { remote, Key } = await import('webdriverio')
    /** @param {number} ms */
    const sleep = (ms) => new Promise((r) => setTimeout(r, ms))
    // The driver needs a moment to listen.
    const deadline = Date.now() + 10_000
    /** @type {WebdriverIO.Browser | undefined} */
    let session
    while (!session) {
      try {
        session = await remote({
          hostname: '127.0.0.1', port, path: '/', logLevel: 'error', connectionRetryCount: 0,
          capabilities: /** @type {any} */ ({
            browserName: 'MiniBrowser',
            'webkitgtk:browserOptions': { args: ['--automation'] },
            'wdio:enforceWebDriverClassic': true
          })
        })
      } catch (error) {
        if (Date.now() > deadline) throw error
        await sleep(200)
      }
    }
    const browser = session
    const caps = /** @type {Record<string, unknown>} */ (browser.capabilities)
    // Every page is this window; the windows it opens are closed with the page.
    const main = await browser.getWindowHandle()
    return probed({
      name: 'webkit',
      version: `WebKitGTK ${caps.browserVersion || ''}`.trim(),
      unsupported: { setOffline: 'WebKitWebDriver (W3C WebDriver classic) has no command that takes the browser offline' },
      async newPage() {
        // One session, one profile: a "new" page is the same tab (the runner wipes the shop's
        // cookies and storage before each scenario).
        const page = {
          /** @param {string} url */
          async open(url) {
            await browser.url(url)
          },
          /** @param {string} selector */
          async click(selector) {
            const el = await browser.$(selector)
            await el.click()
          },
          /** @param {string} selector */
          async ctrlClick(selector) {
            const el = await browser.$(selector)
            // Key and pointer as two sources of one actions call lose the modifier here (the
            // click arrives without ctrlKey); three calls that keep the key down work.
            await browser.action('key').down(Key.Ctrl).perform(true)
            try {
              await browser.action('pointer').move({ origin: el }).down().up().perform(true)
            } finally {
              await browser.action('key').up(Key.Ctrl).perform()
            }
          },
          /** @param {string} selector */
          async middleClick(selector) {
            const el = await browser.$(selector)
            await browser.action('pointer').move({ origin: el }).down({ button: 1 }).up({ button: 1 }).perform()
          },
          /** @param {string} selector @param {number} dx */
          async drag(selector, dx) {
            const el = await browser.$(selector)
            await browser.action('pointer').move({ origin: el }).down().move({ origin: 'pointer', x: dx, y: 0, duration: 200 }).up().perform()
          },
          async tabs() {
            // WebDriver classic reads a window's URL only from inside it.
            const urls = [await browser.getUrl()]
            const others = (await browser.getWindowHandles()).filter((h) => h != main)
            for (const handle of others) {
              await browser.switchToWindow(handle)
              urls.push(await browser.getUrl())
            }
            if (others.length) await browser.switchToWindow(main)
            return urls
          },
          /** @param {string} fn */
          run: (fn) => browser.execute(`return (function () { ${fn} })()`),
          url: () => browser.getUrl(),
          async close() {
            for (const handle of await browser.getWindowHandles()) {
              if (handle == main) continue
              await browser.switchToWindow(handle)
              await browser.closeWindow()
            }
            await browser.switchToWindow(main)
          }
        }
        return /** @type {Driver} */ (/** @type {unknown} */ (page))
      },
      async close() {
        await browser.deleteSession().catch(() => {})
        driver.kill()
        xvfb?.kill()
      }
    }, serve)
  }
}

export const ENGINES = [chromiumEngine, firefoxEngine, webkitEngine]
