// data-esales-favorite toggles: the main script records them at once and reads their state
// once the click is done, so that a toggle that navigates loses nothing, and each click of a
// double click counts with its own state. Assertions are on what the local cluster received.
import { exactly, expect, ready, test } from './fixtures'

// A page's own handler flips aria-pressed, as a favorite button's does.
const FLIP = `onclick="this.setAttribute('aria-pressed', this.getAttribute('aria-pressed') == 'true' ? 'false' : 'true')"`
const add = (key: string) => `add-favorite {"productKey":"${key}"} accepted`
const remove = (key: string) => `remove-favorite {"productKey":"${key}"} accepted`

test.describe('a favorite toggle that navigates away sends its notification once', () => {
  for (const [name, body] of [
    ['a button that submits a form (POST)', `<form method="post" action="/landing"><button id="fav" aria-pressed="false" data-esales-favorite="P1" ${FLIP}>♥</button></form>`],
    ['a link', `<a id="fav" href="/landing" aria-pressed="false" data-esales-favorite="P1" ${FLIP}>♥ add to favorites</a>`],
    ['a checkbox whose change submits its form', '<form action="/landing"><label><input id="fav" type="checkbox" data-esales-favorite="P1" onchange="this.form.submit()"> ♥</label></form>']
  ] as const) {
    test(name, async ({ page, open, received }) => {
      // On a slow network the fallback chunk comes late: a toggle must not wait for it.
      await open(body, { slowChunks: 1500 })
      await ready(page)
      await page.click('#fav')
      await page.waitForURL('**/landing**')
      await exactly(received, [add('P1')])
    })
  }
})

test('a double click on a favorite button: add, then remove, each with the state its own click left', async ({ page, open, received }) => {
  await open(`<button id="fav" aria-pressed="false" data-esales-favorite="P2" ${FLIP}>♥</button>`)
  await ready(page)
  await page.dblclick('#fav')
  await expect.poll(() => page.getAttribute('#fav', 'aria-pressed')).toBe('false')
  await exactly(received, [add('P2'), remove('P2')])
})

test('a double click on a label around a favorite checkbox in a tile: add, then remove, and no click', async ({ page, open, received }) => {
  await open('<div data-esales-ticket="TILE"><label><input id="box" type="checkbox" data-esales-favorite="P3"> <span id="heart">♥</span></label></div>')
  await ready(page)
  await page.dblclick('#heart')
  expect(await page.isChecked('#box')).toBe(false)
  await exactly(received, [add('P3'), remove('P3')])
})

test('a double click on a favorite checkbox itself: add, then remove', async ({ page, open, received }) => {
  await open('<input id="box" type="checkbox" data-esales-favorite="P4">')
  await ready(page)
  await page.dblclick('#box')
  expect(await page.isChecked('#box')).toBe(false)
  await exactly(received, [add('P4'), remove('P4')])
})

test('a favorite checkbox whose click the page prevents (sign in first) stays unchecked: remove-favorite', async ({ page, open, received }) => {
  await open('<input id="box" type="checkbox" data-esales-favorite="P5" onclick="event.preventDefault()">')
  await ready(page)
  await page.click('#box')
  expect(await page.isChecked('#box')).toBe(false)
  await exactly(received, [remove('P5')])
})

test('a favorite button that the page replaces as it re-renders (a framework swapping components) is read from its replacement', async ({ page, open, received }) => {
  await open(`<div id="slot"><button id="fav" aria-pressed="false" data-esales-favorite="P6">♥</button></div>
  <script>document.getElementById('slot').addEventListener('click', (e) => {
    const next = e.target.closest('button').getAttribute('aria-pressed') == 'true' ? 'false' : 'true'
    queueMicrotask(() => { document.getElementById('slot').innerHTML = '<button id="fav" aria-pressed="' + next + '" data-esales-favorite="P6">♥</button>' })
  })</script>`)
  await ready(page)
  await page.click('#fav')
  await expect.poll(() => page.getAttribute('#fav', 'aria-pressed')).toBe('true')
  await exactly(received, [add('P6')])
  await page.waitForTimeout(600)
  await page.click('#fav')
  await exactly(received, [add('P6'), remove('P6')])
})

