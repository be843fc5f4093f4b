// @ts-check
// The demo shop's catalogue, and tickets shaped like eSales's: base64 of a ';'-separated path
// (the seed's example decodes to ";/fashion/DESKTOP/CONTENT_SEARCH_PAGE/PRIMARY_LIST;#;content_key;d001;#;#;#;#;").

/**
 * @typedef {object} Product
 * @property {string} key
 * @property {string} name
 * @property {string} price
 * @property {string} color
 * @property {'shirt' | 'shoe' | 'bag' | 'hat' | 'jacket' | 'scarf'} shape
 */

/** @type {Product[]} */
export const PRODUCTS = [
  { key: 'P1001', name: 'Linen shirt', price: '£39', color: '#5b8def', shape: 'shirt' },
  { key: 'P1002', name: 'Trail runner', price: '£89', color: '#ef6b5b', shape: 'shoe' },
  { key: 'P1003', name: 'Canvas tote', price: '£25', color: '#3fb68b', shape: 'bag' },
  { key: 'P1004', name: 'Wool beanie', price: '£19', color: '#c58af9', shape: 'hat' },
  { key: 'P1005', name: 'Rain jacket', price: '£119', color: '#f2a93b', shape: 'jacket' },
  { key: 'P1006', name: 'Knit scarf', price: '£29', color: '#e06aa3', shape: 'scarf' }
]

/** Late-rendered recommendations (as a framework would render them after load). @type {Product[]} */
export const RECOMMENDED = [
  { key: 'P2001', name: 'Cotton tee', price: '£15', color: '#4cc3d9', shape: 'shirt' },
  { key: 'P2002', name: 'City sneaker', price: '£69', color: '#8a6cf0', shape: 'shoe' },
  { key: 'P2003', name: 'Leather bag', price: '£149', color: '#b5794a', shape: 'bag' }
]

/**
 * An eSales-like ticket.
 * @param {string} panel the panel path, e.g. /demo/DESKTOP/SEARCH_PAGE/PRIMARY_LIST
 * @param {string} kind product_key, content_key or phrase
 * @param {string} key
 */
export function ticket(panel, kind, key) {
  return Buffer.from(`;${panel};#;${kind};${key};#;#;#;#;`).toString('base64')
}

const SHAPES = {
  shirt: '<path d="M30 22 L42 16 Q50 24 58 16 L70 22 L80 38 L70 44 L68 84 L32 84 L30 44 L20 38 Z"/>',
  shoe: '<path d="M16 64 Q18 48 30 46 L44 44 Q52 56 66 56 L82 60 Q88 66 84 74 L18 74 Q14 70 16 64 Z"/>',
  bag: '<path d="M26 38 L74 38 L80 84 L20 84 Z"/><path d="M38 38 Q38 20 50 20 Q62 20 62 38" fill="none" stroke="currentColor" stroke-width="5"/>',
  hat: '<path d="M24 66 Q24 30 50 28 Q76 30 76 66 Z"/><rect x="20" y="64" width="60" height="10" rx="4"/><circle cx="50" cy="24" r="7"/>',
  jacket: '<path d="M32 20 L44 16 L50 26 L56 16 L68 20 L82 44 L72 48 L70 84 L30 84 L28 48 L18 44 Z"/><path d="M50 26 L50 84" stroke="#fff" stroke-width="2"/>',
  scarf: '<path d="M26 26 Q50 36 74 26 L74 40 Q50 50 26 40 Z"/><path d="M56 44 L64 86 L52 86 L46 46 Z"/>'
}

/** An inline SVG product picture: nothing to download. @param {Pick<Product, 'color' | 'shape'>} p */
export function picture(p) {
  return `<svg viewBox="0 0 100 100" role="img" aria-hidden="true" style="color:${p.color}"><rect width="100" height="100" rx="10" fill="${p.color}22"/><g fill="${p.color}">${SHAPES[p.shape]}</g></svg>`
}
