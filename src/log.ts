/** Writes the snippet's console output; every line starts with `esales:`. */
export interface Logger {
  /** Logs a decision; silent unless debug is on. */
  debug(...parts: unknown[]): void
  /** Reports a misconfiguration or a refused call; always shown. */
  error(message: string): void
}

/**
 * Creates the logger. A page that replaced `console` with something broken must not lose a click.
 * @param debug - when true, `debug()` writes to the console.
 * @param out - the console.
 */
export const createLogger = (debug: boolean, out: Pick<Console, 'log' | 'error'>): Logger => ({
  debug: (...parts) => { try { debug && out.log('esales:', ...parts) } catch {} },
  error: (message) => { try { out.error('esales: ' + message) } catch {} }
})
