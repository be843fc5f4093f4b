// The lazily loaded chunk (dist/esales-fallback.js): only pages whose beacon failed, that have
// something in the outbox, that make a rare API call, or that are misconfigured (a cookie domain that does not hold
// too) load it.
// Sending with ky is in deliver, the outbox replay in replay (with lifecycle), the rare API
// calls in calls, the words of error messages in explain, a cookie domain that does not hold in domain.
export { send, flush, restrict } from './replay.js'
export { call, forget } from './calls.js'
export { explain } from './explain.js'
export { checkCookieDomain } from './domain.js'
export { say } from './story.js'
