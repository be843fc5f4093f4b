// The small interface that the shared scenarios are written against; one adapter per engine
// (test/engines/adapters/) implements it.

/** A cookie as the page sees it. */
export interface PageCookie { name: string; value: string }

/** One browser tab, driven by the engine's own automation protocol. */
export interface Driver {
  /** Opens a URL and waits for its load event. */
  open(url: string): Promise<void>
  /** A real click (the engine's input pipeline, not element.click()) on the first match. */
  click(selector: string): Promise<void>
  /** A middle-button click, where the engine's automation can send one. */
  middleClick?(selector: string): Promise<void>
  /** Runs a function in the page and returns its JSON-able result. */
  run(fn: string): Promise<any>
  /** The page's URL now. */
  url(): Promise<string>
  /** Takes the browser offline or back online, where the engine's automation can. */
  setOffline?(offline: boolean): Promise<void>
  /** Closes the tab. */
  close(): Promise<void>
}

/** An engine: a browser process that makes tabs. */
export interface Engine {
  /** chromium, firefox or webkit. */
  name: string
  /** The browser's product and version, for the README's table. */
  version: string
  /** A new tab with fresh cookies and storage. */
  newPage(): Promise<Driver>
  /** Ends the browser (and its driver). */
  close(): Promise<void>
}

/** How to start an engine, or why it cannot start on this machine. */
export interface EngineFactory {
  name: string
  /** Undefined when the engine can run here; else what is missing and how to install it. */
  missing(): string | undefined
  launch(): Promise<Engine>
}
