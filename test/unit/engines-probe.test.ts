import { describe, expect, it } from 'vitest'
import { CAPABILITIES, fakeMissing, probed } from '../engines/probe.js'
import type { Driver, Unsupported } from '../engines/driver'

const SHOP = 'http://shop.test'
const LANDING = `${SHOP}/landing`

type Link = 'tab' | 'follow' | 'nothing'

/** How a make-believe browser and its automation behave. */
interface Behaviour {
  /** What setOffline throws, if anything. */
  offlineError?: string
  /** Whether a Ctrl+click arrives with ctrlKey (false: the modifier is lost). */
  ctrlHeld?: boolean
  /** Whether a middle click arrives as auxclick 1 (false: as a primary click). */
  middleAux?: boolean
  /** What a Ctrl+click or middle click on a plain link does. */
  ctrlLink?: Link
  middleLink?: Link
  /** Whether a drag's click arrives where the pointer was released (false: where it was pressed, as if it never moved). */
  dragMoves?: boolean
  /** Driver methods the adapter lacks. */
  without?: (keyof Driver)[]
  /** Reasons the adapter knows already. */
  known?: Unsupported
}

/** An engine whose pages record what the probes do, as a real page would see it. */
function fakeEngine(b: Behaviour) {
  const log = { opened: 0, closed: 0, offlineCalls: 0 }
  const engine = {
    name: 'fake',
    version: 'Fake 1',
    unsupported: b.known,
    async newPage(): Promise<Driver> {
      log.opened++
      let url = 'about:blank'
      let events: string[] = []
      let drags: [string, number][] = []
      let tabs: string[] = []
      /** A click on a link: opens it in a new tab, or follows it. */
      const link = (selector: string, what: Link) => {
        if (selector == '#blank' || (selector == '#link' && what == 'tab')) tabs.push(LANDING)
        else if (selector == '#link' && what == 'follow') { url = LANDING; events = [] }
      }
      const page: Driver = {
        async open(u) { url = u; events = []; tabs = [] },
        async click(selector) { events.push('click 0'); link(selector, 'follow') },
        async ctrlClick(selector) { events.push(b.ctrlHeld === false ? 'click 0' : 'click 0 ctrl'); link(selector, b.ctrlLink || 'tab') },
        async middleClick(selector) {
          events.push(b.middleAux === false ? 'click 0' : 'auxclick 1')
          link(selector, b.middleAux === false ? 'follow' : b.middleLink || 'tab')
        },
        async drag(_selector, dx) { drags = [['mousedown', 100], ['click', b.dragMoves === false ? 100 : 100 + dx]] },
        async tabs() { return [url, ...tabs] },
        async run(fn) { return fn.includes('__drag') ? drags : events },
        async url() { return url },
        async setOffline() { log.offlineCalls++; if (b.offlineError) throw new Error(b.offlineError) },
        async close() { log.closed++ }
      }
      for (const m of b.without || []) delete page[m]
      return page
    },
    async close() {}
  }
  return { engine, log }
}

const serve = () => `${SHOP}/p/1`
const probe = (b: Behaviour, fake: (typeof CAPABILITIES)[number][] = []) => {
  const { engine, log } = fakeEngine(b)
  return probed(engine, serve, { fake, ms: 100 }).then((e) => ({ unsupported: e.unsupported, engine: e, log }))
}

describe('probed: what an engine can do, found by trying', () => {
  it('finds nothing missing where everything works, and closes every page it opened', async () => {
    const { unsupported, engine, log } = await probe({})
    expect(unsupported).toEqual({})
    expect(engine).toMatchObject({ name: 'fake', version: 'Fake 1' })
    expect(log.opened).toBe(CAPABILITIES.length)
    expect(log.closed).toBe(log.opened)
  })

  it('Firefox ESR 140: setOffline fails with the protocol error, which becomes the reason', async () => {
    const { unsupported } = await probe({ offlineError: 'Protocol error (emulation.setNetworkConditions): unknown command\n    at BidiConnection.send' })
    expect(unsupported).toEqual({ setOffline: 'Protocol error (emulation.setNetworkConditions): unknown command' })
  })

  it('WebKitGTK: keeps the reason the adapter knows, and finds the lost middle button and the Ctrl+click that follows the link', async () => {
    const known = { setOffline: 'WebKitWebDriver has no command that takes the browser offline' }
    const { unsupported, log } = await probe({ known, middleAux: false, ctrlLink: 'follow' })
    expect(log.offlineCalls).toBe(0)
    expect(unsupported).toEqual({
      ...known,
      middleClick: 'a middle click reached the page as ["click 0"] (event, button), not as ["auxclick 1"]',
      newTabOnCtrlClick: 'on a Ctrl+click the browser followed the link in the same tab and opened no new tab',
      newTabOnMiddleClick: 'not probed: no middleClick'
    })
  })

  it('a Ctrl+click without ctrlKey is no Ctrl+click', async () => {
    const { unsupported } = await probe({ ctrlHeld: false })
    expect(unsupported).toEqual({
      ctrlClick: 'a Ctrl+click reached the page as ["click 0"] (event, button, modifier), not as ["click 0 ctrl"]',
      newTabOnCtrlClick: 'not probed: no ctrlClick'
    })
  })

  it('a browser that opens no tab for a link clicked so: followed in the same tab, or nothing within the wait', async () => {
    expect((await probe({ middleLink: 'follow' })).unsupported).toEqual({
      newTabOnMiddleClick: 'on a middle click the browser followed the link in the same tab and opened no new tab'
    })
    expect((await probe({ ctrlLink: 'nothing' })).unsupported).toEqual({
      newTabOnCtrlClick: 'no new tab within 100 ms of a Ctrl+click on a link (tabs: ["http://shop.test/p/1"])'
    })
  })

  it('an adapter without a method lacks the capability, and what builds on it is not probed', async () => {
    const { unsupported } = await probe({ without: ['tabs', 'setOffline'] })
    expect(unsupported).toEqual({
      setOffline: 'the adapter has no setOffline()',
      tabs: 'the adapter has no tabs()',
      newTabOnCtrlClick: 'not probed: no tabs',
      newTabOnMiddleClick: 'not probed: no tabs'
    })
  })

  it('a drag whose click arrives where it was pressed is no drag', async () => {
    expect((await probe({ dragMoves: false })).unsupported).toEqual({
      drag: 'a drag of 100 px reached the page as [["mousedown",100],["click",100]] (event, screenX), not as a press and a click 100 px apart'
    })
  })

  it('ENGINES_FAKE_MISSING makes a working capability fail when probed', async () => {
    const { unsupported, log } = await probe({}, ['setOffline', 'newTabOnCtrlClick'])
    expect(unsupported).toEqual({
      setOffline: 'ENGINES_FAKE_MISSING=setOffline made setOffline fail',
      newTabOnCtrlClick: 'ENGINES_FAKE_MISSING=newTabOnCtrlClick made this probe fail'
    })
    // The real method was never reached: the fake failed in its place.
    expect(log.offlineCalls).toBe(0)
  })
})

describe('fakeMissing: reading ENGINES_FAKE_MISSING', () => {
  it('reads a comma-separated list, and nothing from nothing', () => {
    expect(fakeMissing('setOffline, ctrlClick')).toEqual(['setOffline', 'ctrlClick'])
    expect(fakeMissing('')).toEqual([])
  })
  it('refuses a name it does not know, so that a typo cannot fake nothing', () => {
    expect(() => fakeMissing('setOfline')).toThrow(/no capability "setOfline"; there are setOffline, ctrlClick/)
  })
})
