import ky, { HTTPError } from 'ky'
import type { Logger } from './log'

/** A body past this many bytes cannot go with `keepalive` (the Fetch spec's 64 KiB in-flight quota). */
const KEEPALIVE_MAX = 60_000

/**
 * Sends one notification with ky: POST, the same `text/plain` body as the beacon and no
 * custom headers (they would force a CORS preflight), `keepalive` so that it survives the
 * page, a timeout, and retries with backoff and jitter on network errors, timeouts and 5xx;
 * never on 4xx (eSales answers 400 for bad arguments, and a retry would not change that).
 * @param url - the notification URL.
 * @param body - the JSON body.
 * @param log - the logger.
 */
export async function send(url: string, body: string, log: Logger): Promise<void> {
  try {
    const res = await ky.post(url, {
      body,
      keepalive: new Blob([body]).size < KEEPALIVE_MAX,
      timeout: 10_000,
      retry: {
        limit: 3,
        methods: ['post'],
        statusCodes: [408, 429, 500, 502, 503, 504],
        afterStatusCodes: [429, 503],
        maxRetryAfter: 60_000,
        backoffLimit: 8_000,
        jitter: true,
        retryOnTimeout: true
      }
    })
    log.debug('sent with fetch', res.status, url)
  } catch (error) {
    if (error instanceof HTTPError && error.response.status < 500) {
      const reason = await error.response.text().catch(() => '')
      log.debug('dropped: eSales answered', error.response.status, reason)
    } else {
      log.debug('not delivered', String(error))
      throw error
    }
  }
}
