// The local cluster's live log says how each notification came (beacon or fetch) and, under a
// fault, what the page does with it: on the beacon path it is lost, on the fetch path ky sends
// it again, and the retry is marked as one.
import type { Page } from '@playwright/test'
import { expect, NO_BEACON, ready, REFUSING_BEACON, test } from './fixtures'

const LOST = 'sent by beacon: the page cannot see this answer, the notification is lost'
const v3 = { attrs: { 'data-api': 'v3' } }

/** The live log's row of a record, by its number. */
const row = (log: Page, seq: number) => log.locator(`tr[data-seq="${seq}"]`)

test('a fault on the beacon path: the log says the page cannot see the answer and the notification is lost', async ({ page, context, open, cluster, market, received }) => {
  cluster.addFault({ kind: '500', count: 1, market })
  await open('<a id="t" href="#p" data-esales-ticket="LOG-BEACON">tile</a>', v3)
  await ready(page)
  await page.click('#t')
  await expect.poll(() => received().map((r) => [r.ticket, r.verdict, r.transport, r.fate])).toEqual([['LOG-BEACON', 'fault', 'beacon', LOST]])

  const log = await context.newPage()
  await log.goto(`${cluster.url}/`)
  const r = row(log, received()[0]!.seq)
  await expect(r).toHaveAttribute('data-transport', 'beacon')
  await expect(r).toContainText('by beacon')
  await expect(r.locator('.fate')).toHaveText(LOST)
  await expect(log.locator('#help')).toContainText('A beacon that the browser refuses (a body over 64 KiB, a full queue) never reaches this cluster')
})

test('a fault on the fetch path: the log says the page sends it again, and marks the retry of the try before it', async ({ page, context, open, cluster, market, received }) => {
  await page.addInitScript(NO_BEACON)
  cluster.addFault({ kind: '500', count: 1, market })
  await open('<a id="t" href="#p" data-esales-ticket="LOG-KY">tile</a>', v3)
  await ready(page)
  await page.click('#t')
  await expect.poll(() => received().map((r) => r.verdict)).toEqual(['fault', 'accepted'])
  const [first, retry] = received()
  expect([first!.transport, retry!.transport]).toEqual(['fetch', 'fetch'])
  expect(first!.fate).toBe('sent by fetch: the page reads this answer and sends the notification again (ky retries, then the outbox: at most 6 tries in all)')
  expect(retry!.again).toBe(first!.seq)
  expect(retry!.fate).toBe('')

  const log = await context.newPage()
  await log.goto(`${cluster.url}/`)
  await expect(row(log, first!.seq).locator('.fate')).toContainText('sends the notification again')
  await expect(row(log, retry!.seq)).toContainText(`retry of #${first!.seq}`)
  await expect(row(log, retry!.seq)).toContainText('by fetch')
})

test('a beacon that the browser refuses never reaches the cluster: the notification arrives by fetch', async ({ page, open, received }) => {
  await page.addInitScript(REFUSING_BEACON)
  await open('<a id="t" href="#p" data-esales-ticket="LOG-REFUSED">tile</a>', v3)
  await ready(page)
  await page.click('#t')
  await expect.poll(() => received().map((r) => [r.ticket, r.verdict, r.transport, r.again])).toEqual([['LOG-REFUSED', 'accepted', 'fetch', undefined]])
})
