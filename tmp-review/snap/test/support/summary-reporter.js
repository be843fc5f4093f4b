// @ts-check
// Prints one closing line, "e2e: N passed, N failed, N skipped", for people and for CI.

export default class SummaryReporter {
  passed = 0
  failed = 0
  skipped = 0
  /**
   * @param {import('@playwright/test/reporter').TestCase} test
   * @param {import('@playwright/test/reporter').TestResult} result
   */
  onTestEnd(test, result) {
    // Count each test once, by its final outcome.
    if (result.retry < test.retries && result.status != 'passed' && result.status != 'skipped') return
    if (result.status == 'passed') this.passed++
    else if (result.status == 'skipped') this.skipped++
    else this.failed++
  }
  onEnd() {
    console.log(`e2e: ${this.passed} passed, ${this.failed} failed` + (this.skipped ? `, ${this.skipped} skipped` : ''))
  }
  printsToStdio() { return false }
}
