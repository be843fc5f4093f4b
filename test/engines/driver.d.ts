// The small interface that the shared scenarios are written against; one adapter per engine
// (test/engines/adapters.js) implements it.

/** A cookie as the page sees it. */
export interface PageCookie { name: string; value: string }

/**
 * What a scenario may need beyond open, click and run. An engine lacks one when its adapter has
 * no method for it, or when the probe at launch (test/engines/probe.js) saw it fail; a scenario
 * that needs it is then reported as not applicable, with the reason.
 *   setOffline: the automation can take the browser offline and back.
 *   ctrlClick: a real click with Control held arrives with ctrlKey.
 *   middleClick: a real middle click arrives as auxclick (button 1), not as click.
 *   tabs: the automation sees the tabs a page opens (a target=_blank link).
 *   newTabOnCtrlClick, newTabOnMiddleClick: the browser opens a link clicked that way in a new
 *     tab and keeps the page (a browser's behaviour, not the automation's).
 *   drag: a real press, move and release of the mouse reaches the page as a press at one place
 *     and a click at another.
 */
export type Capability = 'setOffline' | 'ctrlClick' | 'middleClick' | 'tabs' | 'newTabOnCtrlClick' | 'newTabOnMiddleClick' | 'drag'

/** Why each capability is missing; an absent key means the engine has it. */
export type Unsupported = Partial<Record<Capability, string>>

/** One browser tab, driven by the engine's own automation protocol. */
export interface Driver {
  /** Opens a URL and waits for its load event. */
  open(url: string): Promise<void>
  /** A real click (the engine's input pipeline, not element.click()) on the first match. */
  click(selector: string): Promise<void>
  /** A real click with the Control key held. */
  ctrlClick?(selector: string): Promise<void>
  /** A real middle-button click. */
  middleClick?(selector: string): Promise<void>
  /** Presses the mouse at the centre of the first match, moves it `dx` px to the right in steps, and releases it. */
  drag?(selector: string, dx: number): Promise<void>
  /** The URLs of the tabs of this page's browser context, this page's first. */
  tabs?(): Promise<string[]>
  /** Runs a function in the page and returns its JSON-able result. */
  run(fn: string): Promise<any>
  /** The page's URL now. */
  url(): Promise<string>
  /** Takes the browser offline or back online. */
  setOffline?(offline: boolean): Promise<void>
  /** Closes the tab and any tab it opened. */
  close(): Promise<void>
}

/** An engine: a browser process that makes tabs. */
export interface Engine {
  /** chromium, firefox or webkit. */
  name: string
  /** The browser's product and version, for the README's table. */
  version: string
  /** What this engine cannot do here, and why (known to the adapter, or seen by the probe). */
  unsupported: Unsupported
  /** A new tab with fresh cookies and storage. */
  newPage(): Promise<Driver>
  /** Ends the browser (and its driver). */
  close(): Promise<void>
}

/** Serves a page of HTML on the test shop and returns its URL. */
export type Serve = (html: string) => string

/** How to start an engine, or why it cannot start on this machine. */
export interface EngineFactory {
  name: string
  /** Undefined when the engine can run here; else what is missing and how to install it. */
  missing(): string | undefined
  /** Starts the browser and probes what it can do, on pages that `serve` serves. */
  launch(serve: Serve): Promise<Engine>
}
