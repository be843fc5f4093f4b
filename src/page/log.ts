// The snippet's console output: every line starts with `esales:`.
import type { FallbackModule } from './transport.js'

/** Writes the lazily loaded chunks' console output; every line starts with `esales:`. */
export interface Logger {
  /** Logs a decision; silent unless debug is on. */
  debug(...parts: unknown[]): void
  /** Reports a misconfiguration or a refused call; always shown. An empty message is not shown. */
  error(message: string): void
}

/**
 * Writes an error, always shown; an empty message is not shown.
 * @param out - the console.
 * @param message - without the `esales: ` prefix.
 */
export const error = (out: Pick<Console, 'error'>, message: string): void => { message && out.error('esales: ' + message) }

/**
 * Reports a misuse in the words of the lazily loaded chunk (only a misused page needs them),
 * or, where the chunk cannot load, in a few words of its own. The main script's debug lines
 * are the chunk's words too (see story.ts).
 * @param out - the console.
 * @param load - loads the chunk.
 * @param what - the setting, method, `command` or `attribute`.
 * @param value - what it was given.
 */
export const refuse = (out: Pick<Console, 'error'>, load: () => Promise<Pick<FallbackModule, 'explain'>>, what: string, value: unknown): void => {
  load().then((m) => error(out, m.explain(what, value))).catch(() => error(out, 'bad ' + what))
}

/**
 * Creates the chunks' logger.
 * @param debug - when true, `debug()` writes to the console.
 * @param out - the console.
 */
export const createLogger = (debug: unknown, out: Pick<Console, 'log' | 'error'>): Logger => ({
  error: (message) => error(out, message),
  debug: (...parts) => { debug && out.log('esales:', ...parts) }
})
