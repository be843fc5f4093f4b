// @ts-check
// Finds a Chromium for Playwright: CHROMIUM_PATH, then Playwright's own build if it is
// installed, then the system's. Playwright cannot download browsers on every machine,
// so the project drives Debian's chromium through executablePath.
import { existsSync } from 'node:fs'
import { chromium } from '@playwright/test'

/**
 * Flags for a root user on a machine without a network or GPU. The host resolver rule gives
 * the tests real host names of one site (www.shop.test, checkout.shop.test) on this machine, and
 * one under a public suffix (www.shop.co.uk).
 */
export const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--no-first-run', '--disable-quic', '--host-resolver-rules=MAP *.shop.test 127.0.0.1,MAP *.shop.co.uk 127.0.0.1'
]

const SYSTEM = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable']

/** The path of a Chromium to drive; throws with install instructions when there is none. */
export function findChromium() {
  const fromEnv = process.env.CHROMIUM_PATH
  if (fromEnv) {
    if (existsSync(fromEnv)) return fromEnv
    throw new Error(`CHROMIUM_PATH is ${fromEnv}, but there is no file there.`)
  }
  try {
    const own = chromium.executablePath()
    if (own && existsSync(own)) return own
  } catch {}
  const system = SYSTEM.find((p) => existsSync(p))
  if (system) return system
  throw new Error('No Chromium found. Install one: `apt-get install -y chromium` (Debian/Ubuntu), ' +
    'or `npx playwright install chromium` where downloads work, or set CHROMIUM_PATH to a Chromium binary.')
}
