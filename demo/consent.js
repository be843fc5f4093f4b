// @ts-nocheck: a plain page script of the demo shop, not part of the product.
// The demo's consent banner, as a consent manager would be: the shopper's choice is kept in the
// banner's own cookie (the shop's server reads it too, and renders the tag's data-consent from
// it), and each page tells the snippet with esales('consent', level), at once.
(function () {
  const CHOICES = [
    ['granted', 'Accept all', 'both keys: customer and session (PERSONALIZED)'],
    ['unpersonalized', 'Statistics only', 'the session key only (userContext=UNPERSONALIZED)'],
    ['anonymous', 'Anonymous statistics', 'no keys, nothing stored (userContext=ANONYMOUS)'],
    ['denied', 'Decline', 'nothing stored, nothing sent']
  ]
  const current = (/(?:^|; )demo\.consent=(\w+)/.exec(document.cookie) || [])[1]
  const bar = document.createElement('aside')
  bar.className = 'consent'
  bar.setAttribute('aria-label', 'Cookie consent')
  const text = document.createElement('p')
  text.textContent = current ? 'Your choice: ' + CHOICES.find((c) => c[0] == current)[2] + '. Change it:' : 'This demo asks what the snippet may store and send:'
  bar.append(text)
  for (const [level, label, meaning] of CHOICES) {
    const button = document.createElement('button')
    button.type = 'button'
    button.id = 'consent-' + level
    button.textContent = label
    button.title = meaning
    if (level == current) button.setAttribute('aria-pressed', 'true')
    button.addEventListener('click', () => {
      document.cookie = 'demo.consent=' + level + ';path=/;max-age=31536000;samesite=lax'
      // The snippet moves at once: what waits is stripped or dropped, what the level may not keep goes.
      esales('consent', level)
      text.textContent = 'Your choice: ' + meaning + '. Change it:'
      for (const b of bar.querySelectorAll('button')) b.setAttribute('aria-pressed', String(b == button))
    })
    bar.append(button)
  }
  document.body.append(bar)
})()
