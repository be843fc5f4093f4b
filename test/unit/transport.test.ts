// How the main script hands a notification to the browser (the beacon, the outbox, the chunk)
// is the tracker's: see tracker.test.ts, "sending".
import { describe, expect, it } from 'vitest'
import { notificationUrl } from '../../src/page/transport'

describe('notificationUrl', () => {
  it('puts the keys and market in the query, URL-encoded, in the documented order', () => {
    expect(notificationUrl('https://c.example/api/v2/notifications/', 'click', 'UK & IE', { customerKey: 'c:1', sessionKey: 's/2' }))
      .toBe('https://c.example/api/v2/notifications/click?customerKey=c%3A1&market=UK%20%26%20IE&sessionKey=s%2F2')
  })
  it('encodes every character that means something in a query', () => {
    expect(notificationUrl('/e/', 'end', 'a=b&c?d#e+f %', { customerKey: 'é', sessionKey: '🛒' }))
      .toBe('/e/end?customerKey=%C3%A9&market=a%3Db%26c%3Fd%23e%2Bf%20%25&sessionKey=%F0%9F%9B%92')
  })
})
