// The script-tag entry: the only module that touches globals. It reads the tag's
// data-* attributes, installs window.esales and replays the calls queued by the stub.
import { random } from 'nanoid'
import { readScriptOptions } from './config'
import { createTracker, type Tracker } from './tracker'

type Command = [name: string, ...args: unknown[]]
/** `window.esales`: callable as `esales('click', ticket)`, as the stub is, and with the tracker's methods. */
type Api = ((...command: Command) => unknown) & Partial<Tracker> & { q?: ArrayLike<unknown>[]; loaded?: boolean }

try {
  const w = window as unknown as { esales?: Api }
  const script = (document.currentScript || document.querySelector('script[data-market]')) as HTMLScriptElement | null
  const prior = w.esales
  // A second copy of the tag would send every click twice.
  if (!prior || !prior.loaded) {
    const tracker = createTracker(readScriptOptions(script), {
      window,
      now: Date.now,
      random,
      // The chunk sits beside this file. import() of a full URL works from a classic script
      // and, under a strict CSP, needs only the script's own origin in script-src.
      loadFallback: () => import(new URL('esales-fallback.js', (script && script.src) || location.href).href)
    })
    const api = ((name, ...args) => {
      const method = (tracker as unknown as Record<string, unknown>)[name]
      return typeof method == 'function' ? method(...args) : console.error('esales: no command ' + name)
    }) as Api
    Object.assign(api, tracker, { loaded: true })
    w.esales = api
    for (const command of (prior && prior.q) || []) {
      try { api(...(Array.from(command) as Command)) } catch {}
    }
  }
} catch {}
