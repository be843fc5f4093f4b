// The script tag's global for TypeScript: a page that adds the tag, rather than calling
// createTracker, opts in with `/// <reference types="esales-snippet/global" />` (or
// `"types": ["esales-snippet/global"]` in its tsconfig.json). Types only: nothing here runs.
import type { Esales } from './api.js'

declare global {
  /**
   * The snippet's API, as the script tag installs it: `esales.click(ticket)` once the script has
   * loaded, and `esales('click', ticket)` at any time (the stub queues it until then).
   * @example
   * esales('consent', 'granted')
   * esales('addToCart', ticket)
   */
  // A var, not a let: a global var is also a property of `window` (`window.esales`).
  var esales: Esales
}

export {}
