// The script-tag entry: the only module that touches globals. It reads the tag's data-*
// attributes, installs window.esales and replays the calls queued by the stub.
import { random } from 'nanoid'
import { refuse } from './log.js'
import { track, type Tracker } from './tracker.js'

type Command = [name: string, ...args: unknown[]]
/** `window.esales`: callable as `esales('click', ticket)`, as the stub is, and with the tracker's methods. */
type Api = ((...command: Command) => unknown) & Partial<Tracker> & { q?: ArrayLike<unknown>[]; loaded?: boolean }

try {
  const w = window as unknown as { esales?: Api }
  // Set while a classic script (async or not) runs; the tag's attributes are the config. A
  // module script has none (HTML: currentScript is null for modules): its tag is the one with
  // the one attribute every tag has.
  const script = (document.currentScript || document.querySelector('script[data-market]')) as HTMLScriptElement | null
  const prior = w.esales
  // A second copy of the tag: the first one's window.esales stays (createTracker would return its tracker anyway).
  if (!prior?.loaded) {
    // The chunks sit beside this file. import() of a full URL works from a classic script
    // and, under a strict CSP, needs only the script's own origin in script-src; it reads the
    // URL as its string, the href.
    const failed: Record<string, 1> = {}
    const chunk = (name: string) => import(new URL(name, script?.src || location.href) as unknown as string).catch((error) => {
      // Once a file: a page that cannot load it (not copied beside esales.js, renamed, a CDN
      // without CORS) keeps its notifications in the outbox and counts no ad impressions.
      navigator.onLine && !failed[name] && console.error(`esales: cannot load ${name} beside esales.js`)
      failed[name] = 1
      throw error
    })
    const fallback = () => chunk('esales-fallback.js')
    // dataset camelCases data-cluster-id to clusterId: the attribute names are the option names.
    const tracker = track({ ...script?.dataset }, window, Date.now, random, fallback, () => chunk('esales-ads.js'))
    const api = ((name, ...args) => {
      const method = (tracker as unknown as Record<string, (...a: unknown[]) => unknown>)[name]
      // A misspelt command (esales('addTocart', …)) is said, never thrown into the page.
      if (typeof method != 'function') return refuse(console, fallback, 'command', name)
      try { return method(...args) } catch {}
    }) as Api
    Object.assign(api, tracker).loaded = true
    w.esales = api
    for (const command of prior?.q || []) {
      try { api(...(command as unknown as Command)) } catch {}
    }
  }
} catch {}
