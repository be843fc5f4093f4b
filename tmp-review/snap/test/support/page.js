// @ts-check
// What the e2e suite (test/e2e/) and the engine scenarios (test/engines/) both build: the
// snippet's script tag, a shop page around it, and a page without sendBeacon.

/** @param {string} s */
const attr = (s) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;')

/**
 * The snippet's `<script>` tag.
 * @param {string} src the URL of dist/esales.js
 * @param {Record<string, string | null | undefined>} attrs data-* attributes; null or undefined leaves one out
 */
export function scriptTag(src, attrs) {
  const list = Object.entries(attrs).filter(([, v]) => v != null).map(([k, v]) => ` ${k}="${attr(String(v))}"`).join('')
  return `<script src="${attr(src)}"${list}></script>`
}

/**
 * A shop page: the snippet's tag in the head, after `head`.
 * @param {{ src: string, attrs: Record<string, string | null | undefined>, head?: string, body: string }} page
 */
export function shopPage({ src, attrs, head = '', body }) {
  return `<!doctype html><html><head><meta charset="utf-8"><title>shop</title>${head}${scriptTag(src, attrs)}</head><body>${body}</body></html>`
}

/**
 * Removes navigator.sendBeacon, as an old or locked-down browser lacks it. A function for
 * Playwright's addInitScript or evaluate; NO_BEACON_HTML is the same as a script tag.
 */
export const NO_BEACON = () => { delete (/** @type {Partial<Navigator>} */ (Navigator.prototype)).sendBeacon }

/** NO_BEACON as a `<script>` for the head of a page (engines whose drivers cannot add init scripts). */
export const NO_BEACON_HTML = `<script>(${NO_BEACON})()</script>`
