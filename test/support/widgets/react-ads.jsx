// A React 19 product list, as a shop writes it: the sponsored flag bound straight to data-esales-ad.
import { createRoot } from 'react-dom/client'

const items = window.ITEMS

function List() {
  return (
    <div id="list">
      {items.map((item) => (
        <div key={item.ticket} className="tile" data-esales-ticket={item.ticket} data-esales-ad={item.sponsored}>{item.name}</div>
      ))}
    </div>
  )
}

createRoot(document.getElementById('app')).render(<List />)
