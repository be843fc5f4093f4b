// The snippet's console output: every line starts with `esales:`.
import type { FallbackModule } from './transport.js'

/** Writes the snippet's console output; every line starts with `esales:`. */
export interface Logger {
  /** Logs a decision; silent unless debug is on. */
  debug(...parts: unknown[]): void
  /** Reports a misconfiguration or a refused call; always shown. An empty message is not shown. */
  error(message: string): void
  /**
   * Reports a misuse in the words of the lazily loaded chunk (only a misused page needs them),
   * or, where the chunk cannot load, in a few words of its own.
   * @param what - the setting, method, `command` or `attribute`.
   * @param value - what it was given.
   */
  refuse(what: string, value: unknown): void
}

/**
 * The errors half of the logger: what the main script needs (its debug lines are the chunk's
 * words, see story.ts).
 * @param out - the console.
 * @param load - loads the chunk, for `refuse`.
 */
export const errors = (out: Pick<Console, 'error'>, load?: () => Promise<Pick<FallbackModule, 'explain'>>): Omit<Logger, 'debug'> => {
  const error = (message: string) => { message && out.error('esales: ' + message) }
  return { error, refuse: (what, value) => { load!().then((m) => error(m.explain(what, value))).catch(() => error('bad ' + what)) } }
}

/**
 * Creates the logger.
 * @param debug - when true, `debug()` writes to the console.
 * @param out - the console.
 * @param load - loads the chunk, for `refuse`.
 */
export const createLogger = (debug: unknown, out: Pick<Console, 'log' | 'error'>, load?: () => Promise<Pick<FallbackModule, 'explain'>>): Logger => ({
  ...errors(out, load),
  debug: (...parts) => { debug && out.log('esales:', ...parts) }
})
