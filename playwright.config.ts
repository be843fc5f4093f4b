import { defineConfig } from '@playwright/test'
import { CHROMIUM_ARGS, findChromium } from './test/support/browser.js'

export default defineConfig({
  testDir: 'test/e2e',
  outputDir: 'test/e2e/output',
  forbidOnly: true,
  fullyParallel: true,
  workers: 2,
  timeout: 30_000,
  expect: { timeout: 10_000 },
  // The summary line is the plain 'N passed, N failed' that CI reads.
  reporter: [['list'], ['./test/support/summary-reporter.js']],
  use: {
    browserName: 'chromium',
    headless: true,
    launchOptions: { executablePath: findChromium(), args: CHROMIUM_ARGS }
  }
})
