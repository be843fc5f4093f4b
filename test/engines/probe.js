// @ts-check
// Finds out at launch what an engine can do on this machine, so that a scenario it cannot
// express is reported as not applicable, with the reason, instead of failing. Machines differ
// (apt-get has given Chromium 150 to 156 and Firefox ESR 140 to 153, and Firefox 140 has no
// BiDi emulation.setNetworkConditions), so this tries each capability rather than reading
// versions. Each probe runs on a page without the snippet: what it finds is the browser's and
// the automation's doing, never the snippet's.
//
// ENGINES_FAKE_MISSING=setOffline,ctrlClick makes the named capabilities fail when probed, to
// see the not-applicable path on a machine where everything works.

/** @typedef {import('./driver').Capability} Capability */
/** @typedef {import('./driver').Driver} Driver */
/** @typedef {import('./driver').Engine} Engine */
/** @typedef {import('./driver').Serve} Serve */
/** @typedef {import('./driver').Unsupported} Unsupported */

/** @type {readonly Capability[]} */
export const CAPABILITIES = ['setOffline', 'ctrlClick', 'middleClick', 'tabs', 'newTabOnCtrlClick', 'newTabOnMiddleClick', 'drag']

/** The Driver method each capability needs, and the capabilities it builds on. */
const NEEDS = /** @type {Record<Capability, { method?: keyof Driver, after?: Capability[] }>} */ ({
  setOffline: { method: 'setOffline' },
  ctrlClick: { method: 'ctrlClick' },
  middleClick: { method: 'middleClick' },
  tabs: { method: 'tabs' },
  newTabOnCtrlClick: { after: ['ctrlClick', 'tabs'] },
  newTabOnMiddleClick: { after: ['middleClick', 'tabs'] },
  drag: { method: 'drag' }
})

// Each click the page gets, as "type button [ctrl]", where the probes can read it.
export const PROBE_HTML = `<!doctype html><html><head><meta charset="utf-8"><title>probe</title>
<script>window.__probe=[];['click','auxclick'].forEach(function(t){addEventListener(t,function(e){__probe.push(t+' '+e.button+(e.ctrlKey?' ctrl':''))},true)});
window.__drag=[];['mousedown','click'].forEach(function(t){addEventListener(t,function(e){__drag.push([t,e.screenX])},true)})</script>
</head><body><div id="wide" style="width:400px;height:40px">wide</div><button id="b">probe</button> <a id="link" href="/landing">link</a> <a id="blank" href="/landing" target="_blank">new tab</a></body></html>`

/**
 * The capabilities ENGINES_FAKE_MISSING names.
 * @param {string | undefined} value
 * @returns {Capability[]}
 */
export function fakeMissing(value = process.env.ENGINES_FAKE_MISSING) {
  const names = (value || '').split(',').map((s) => s.trim()).filter(Boolean)
  for (const name of names) {
    // A typo would otherwise fake nothing and prove nothing.
    if (!CAPABILITIES.includes(/** @type {Capability} */ (name))) throw new Error(`ENGINES_FAKE_MISSING: no capability "${name}"; there are ${CAPABILITIES.join(', ')}`)
  }
  return /** @type {Capability[]} */ (names)
}

/**
 * Polls `get` until `done` holds or `ms` pass; returns the last value either way.
 * @template T
 * @param {() => Promise<T>} get
 * @param {(value: T) => boolean} done
 * @param {number} ms
 */
async function poll(get, done, ms) {
  const deadline = Date.now() + ms
  let value = await get()
  while (!done(value) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50))
    value = await get()
  }
  return value
}

/** @param {Driver} d */
const clicks = (d) => d.run('return window.__probe || []').then((v) => /** @type {string[]} */ (v))

/**
 * A link clicked with `click` must open in a new tab while the page stays.
 * @param {Driver} d
 * @param {string} url the probe page
 * @param {(selector: string) => Promise<void>} click
 * @param {string} how
 * @param {number} ms
 */
async function opensTab(d, url, click, how, ms) {
  await click('#link')
  const tabs = () => /** @type {NonNullable<Driver['tabs']>} */ (d.tabs)()
  const seen = await poll(async () => ({ here: await d.url(), tabs: await tabs() }),
    (s) => s.here != url || (s.tabs.length == 2 && String(s.tabs[1]).endsWith('/landing')), ms)
  if (seen.here != url) throw new Error(`on a ${how} the browser followed the link in the same tab and opened no new tab`)
  if (seen.tabs.length != 2) throw new Error(`no new tab within ${ms} ms of a ${how} on a link (tabs: ${JSON.stringify(seen.tabs)})`)
}

/** Each probe throws, with the reason, where its capability is missing. */
const PROBES = /** @type {Record<Capability, (d: Driver, url: string, ms: number) => Promise<void>>} */ ({
  async setOffline(d) {
    const setOffline = /** @type {NonNullable<Driver['setOffline']>} */ (d.setOffline)
    await setOffline(true)
    await setOffline(false)
  },
  async ctrlClick(d, _url, ms) {
    await /** @type {NonNullable<Driver['ctrlClick']>} */ (d.ctrlClick)('#b')
    const seen = await poll(() => clicks(d), (c) => c.length > 0, ms)
    if (seen.join() != 'click 0 ctrl') throw new Error(`a Ctrl+click reached the page as ${JSON.stringify(seen)} (event, button, modifier), not as ["click 0 ctrl"]`)
  },
  async middleClick(d, _url, ms) {
    await /** @type {NonNullable<Driver['middleClick']>} */ (d.middleClick)('#b')
    // click and auxclick are dispatched together after the button's release: once one is
    // there, so is the other.
    const seen = await poll(() => clicks(d), (c) => c.length > 0, ms)
    if (seen.join() != 'auxclick 1') throw new Error(`a middle click reached the page as ${JSON.stringify(seen)} (event, button), not as ["auxclick 1"]`)
  },
  async tabs(d, url, ms) {
    const tabs = /** @type {NonNullable<Driver['tabs']>} */ (d.tabs)
    const before = await tabs()
    if (before.length != 1 || before[0] != url) throw new Error(`before any click, tabs() saw ${JSON.stringify(before)}`)
    await d.click('#blank')
    const after = await poll(tabs, (t) => t.length == 2 && String(t[1]).endsWith('/landing'), ms)
    if (after.length != 2 || !String(after[1]).endsWith('/landing')) throw new Error(`after a click on a target=_blank link, tabs() saw ${JSON.stringify(after)}`)
  },
  async drag(d, _url, ms) {
    await /** @type {NonNullable<Driver['drag']>} */ (d.drag)('#wide', 100)
    const seen = await poll(() => d.run('return window.__drag'), (c) => c.length >= 2, ms)
    const [down, click] = /** @type {[string, number][]} */ (seen)
    if (!down || !click || down[0] != 'mousedown' || click[0] != 'click' || click[1] - down[1] < 90) {
      throw new Error(`a drag of 100 px reached the page as ${JSON.stringify(seen)} (event, screenX), not as a press and a click 100 px apart`)
    }
  },
  newTabOnCtrlClick: (d, url, ms) => opensTab(d, url, /** @type {NonNullable<Driver['ctrlClick']>} */ (d.ctrlClick), 'Ctrl+click', ms),
  newTabOnMiddleClick: (d, url, ms) => opensTab(d, url, /** @type {NonNullable<Driver['middleClick']>} */ (d.middleClick), 'middle click', ms)
})

/**
 * Probes each capability the engine's adapter does not already know to be missing, each on a
 * new page, and returns the engine with `unsupported` filled in.
 * @param {Omit<Engine, 'unsupported'> & { unsupported?: Unsupported }} engine
 * @param {Serve} serve
 * @param {{ fake?: Capability[], ms?: number }} [options] fake: capabilities to make fail;
 *   ms: how long a probe waits for a click or a new tab
 * @returns {Promise<Engine>}
 */
export async function probed(engine, serve, options = {}) {
  /** @type {Unsupported} */
  const unsupported = { ...engine.unsupported }
  try {
    await probeEach(engine, serve(PROBE_HTML), unsupported, options.fake ?? fakeMissing(), options.ms ?? 3000)
  } catch (error) {
    // No page, or a misspelt ENGINES_FAKE_MISSING: the engine cannot run; leave no browser behind.
    await engine.close().catch(() => {})
    throw error
  }
  return { ...engine, unsupported }
}

/**
 * @param {Omit<Engine, 'unsupported'>} engine
 * @param {string} url
 * @param {Unsupported} unsupported filled in
 * @param {Capability[]} fake
 * @param {number} ms
 */
async function probeEach(engine, url, unsupported, fake, ms) {
  for (const capability of CAPABILITIES) {
    if (unsupported[capability]) continue
    const { method, after = [] } = NEEDS[capability]
    const lacking = after.find((c) => unsupported[c])
    if (lacking) {
      unsupported[capability] = `not probed: no ${lacking}`
      continue
    }
    const page = await engine.newPage()
    if (method && !page[method]) {
      unsupported[capability] = `the adapter has no ${method}()`
      await page.close()
      continue
    }
    let d = page
    if (fake.includes(capability)) {
      const failing = async () => { throw new Error(`ENGINES_FAKE_MISSING=${capability} made ${method || 'this probe'} fail`) }
      d = method ? Object.assign(Object.create(page), { [method]: failing }) : Object.assign(Object.create(page), { click: failing, ctrlClick: failing, middleClick: failing })
    }
    try {
      await page.open(url)
      await PROBES[capability](d, url, ms)
    } catch (error) {
      unsupported[capability] = String(/** @type {Error} */ (error)?.message ?? error).split('\n')[0]?.trim() || 'failed without a message'
    } finally {
      await page.close().catch(() => {})
    }
  }
}
