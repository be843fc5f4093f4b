// @ts-nocheck: a plain page script of the demo shop, not part of the product.
// The demo shop's own script: autocomplete, late-rendered tiles and a web component.
// It knows nothing about eSales: the snippet picks up every data-esales-ticket by itself.
(function () {
  const data = JSON.parse(document.getElementById('data').textContent)

  function tile(p) {
    const a = document.createElement('a')
    a.className = 'tile'
    a.href = '/product/' + p.key
    a.dataset.esalesTicket = p.ticket
    a.innerHTML = p.picture
    const name = document.createElement('div')
    name.className = 'name'
    name.textContent = p.name
    const price = document.createElement('div')
    price.className = 'price'
    price.textContent = p.price
    a.append(name, price)
    return a
  }

  // The shop's own cart and favorite buttons. The snippet reads the toggle's aria-pressed after this runs.
  let cart = 0
  document.addEventListener('click', function (e) {
    const button = e.target.closest && e.target.closest('button')
    if (!button) return
    if (button.classList.contains('cart')) document.getElementById('cart-count').textContent = 'Cart: ' + ++cart
    if (button.classList.contains('fav')) button.setAttribute('aria-pressed', String(button.getAttribute('aria-pressed') != 'true'))
  })

  // Recommendations arrive after load, as from a framework's data fetch.
  setTimeout(function () {
    const box = document.getElementById('recommended')
    data.recommended.forEach(function (p) { box.append(tile(p)) })
    box.setAttribute('aria-busy', 'false')
  }, 600)

  // Autocomplete: product suggestions carry tickets; clicking one is a click notification.
  const input = document.getElementById('search')
  const list = document.getElementById('suggestions')
  function suggest() {
    const q = input.value.trim().toLowerCase()
    list.textContent = ''
    const hits = q ? data.suggestions.filter(function (s) { return s.name.toLowerCase().includes(q) }) : []
    hits.forEach(function (s) {
      const li = document.createElement('li')
      li.setAttribute('role', 'option')
      li.dataset.esalesTicket = s.ticket
      li.innerHTML = s.picture
      li.append(s.name)
      li.addEventListener('click', function () { location.href = '/product/' + s.key })
      list.append(li)
    })
    list.hidden = hits.length === 0
  }
  input.addEventListener('input', suggest)
  input.addEventListener('focus', suggest)

  // A tile inside a web component's (open) shadow root.
  customElements.define('featured-product', class extends HTMLElement {
    connectedCallback() {
      const root = this.attachShadow({ mode: 'open' })
      const d = this.dataset
      root.innerHTML = '<style>a{display:block;background:#fff;border-radius:12px;padding:14px;text-decoration:none;color:inherit;' +
        'box-shadow:0 1px 3px #0001;outline:2px dashed #c58af9;outline-offset:-6px}svg{width:100%;height:auto}' +
        '.n{font-weight:600;margin-top:10px}.p{color:#5d6472}</style><a part="tile"></a>'
      const a = root.querySelector('a')
      a.href = '/product/' + d.key
      a.setAttribute('data-esales-ticket', d.ticket)
      a.innerHTML = d.picture + '<div class="n"></div><div class="p"></div>'
      a.querySelector('.n').textContent = d.name
      a.querySelector('.p').textContent = d.price
    }
  })
})()
