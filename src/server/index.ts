// esales-snippet/server: the shop's server side of the snippet, for Node (http, Express) and
// web-standard servers (Next.js, workers, Deno, Bun). Re-exports only.
export { readKeys } from './read.js'
export { keyCookies } from './cookies.js'
export { keysMiddleware } from './middleware.js'
export { withKeyCookies } from './web.js'
export { sendPayment, PaymentError } from './payment.js'
export { createProxy, MAX_BODY } from './proxy.js'
export { toNodeHandler } from './node.js'
export type { NodeBodyRequest } from './node.js'
export type {
  ClusterHost, ClusterTarget, ConsentLevel, ConsentSetting, CookieOptions, KeyCookieOptions, Keys, KeySource, KeysOptions, KeyState,
  NodeRequest, NodeResponse, PaymentLine, PaymentOptions, PaymentResult, ProxyOptions
} from './types.js'
