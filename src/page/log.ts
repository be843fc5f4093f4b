/** Writes the snippet's console output; every line starts with `esales:`. */
export interface Logger {
  /** Logs a decision; silent unless debug is on. */
  debug(...parts: unknown[]): void
  /** Reports a misconfiguration or a refused call; always shown. */
  error(message: string): void
}

/**
 * Creates the logger.
 * @param debug - when true, `debug()` writes to the console.
 * @param out - the console.
 */
export const createLogger = (debug: boolean, out: Pick<Console, 'log' | 'error'>): Logger => ({
  debug: (...parts) => debug && out.log('esales:', ...parts),
  error: (message) => out.error('esales: ' + message)
})
