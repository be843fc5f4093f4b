// @ts-check
// The live notification log that the mock cluster serves at / : server-sent events, newest first;
// the browser's notifications and the shop server's payments side by side (never an Api-Key:
// the cluster does not keep it). Each row says how the browser sent the notification (beacon or
// fetch) and, under a fault, what the page does with the answer (fate.js).

/** The page's HTML. */
export function logPage() {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>eSales mock cluster · live notifications</title>
<style>
  :root { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1d2433; background: #f5f6f8; }
  body { margin: 0; }
  header { background: #14213d; color: #fff; padding: 14px 24px; display: flex; align-items: center; gap: 24px; flex-wrap: wrap; }
  header h1 { font-size: 18px; margin: 0; font-weight: 600; }
  .counter { font-size: 13px; opacity: .85; }
  .counter b { font-size: 20px; display: block; }
  .ok b { color: #7ee2a8; } .seen b { color: #9cc7ff; } .bad b { color: #ff9d8a; } .faults-served b { color: #ffd479; }
  #status { margin-left: auto; font-size: 12px; }
  section.faults { padding: 12px 24px; background: #fff; border-bottom: 1px solid #e3e6ea; display: flex; gap: 8px; align-items: center; flex-wrap: wrap; }
  section.faults button { border: 1px solid #c9ced6; background: #fafbfc; border-radius: 6px; padding: 5px 10px; cursor: pointer; font: inherit; }
  section.faults button:hover { background: #eef1f5; }
  section.faults input { width: 56px; padding: 4px; border: 1px solid #c9ced6; border-radius: 6px; font: inherit; }
  #active { color: #8a5a00; font-size: 13px; }
  table { border-collapse: collapse; width: 100%; background: #fff; }
  th, td { text-align: left; padding: 7px 12px; border-bottom: 1px solid #eceef1; vertical-align: top; }
  th { font-size: 12px; text-transform: uppercase; letter-spacing: .04em; color: #5b6475; background: #fafbfc; position: sticky; top: 0; }
  td.mono, td .mono { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 12px; word-break: break-all; }
  td.when { white-space: nowrap; word-break: normal; }
  .verdict { font-weight: 600; border-radius: 10px; padding: 1px 8px; font-size: 12px; white-space: nowrap; }
  .accepted { background: #e3f7ea; color: #16794a; } .rejected { background: #fde8e4; color: #b3261e; } .fault { background: #fff3d6; color: #8a5a00; }
  .readable { color: #5b6475; font-size: 12px; }
  .empty { padding: 40px; text-align: center; color: #5b6475; }
  .impression { background: #e8f0ff; color: #1f4fa3; border-radius: 10px; padding: 1px 8px; font-size: 12px; }
  .server { background: #efe6ff; color: #5b2ca0; border-radius: 10px; padding: 1px 8px; font-size: 12px; }
  .server-payments b { color: #d6b8ff; }
  .via { border: 1px solid #c9ced6; color: #5b6475; border-radius: 10px; padding: 0 7px; font-size: 12px; white-space: nowrap; }
  .retry { background: #f1e8ff; color: #5b2a9e; border-radius: 10px; padding: 1px 8px; font-size: 12px; white-space: nowrap; }
  .fate { color: #8a5a00; font-size: 12px; max-width: 32em; }
  details.help { padding: 10px 24px; background: #fff; border-bottom: 1px solid #e3e6ea; font-size: 13px; color: #3a4252; }
  details.help summary { cursor: pointer; font-weight: 600; }
  details.help li { margin: 4px 0; max-width: 60em; }
  tr.new { animation: flash 1.2s ease-out; }
  @keyframes flash { from { background: #fff7c2; } to { background: transparent; } }
</style>
</head>
<body>
<header>
  <h1>eSales mock cluster · live notifications</h1>
  <div class="counter ok"><b id="accepted">0</b>accepted</div>
  <div class="counter bad"><b id="rejected">0</b>rejected</div>
  <div class="counter faults-served"><b id="faulted">0</b>faults served</div>
  <div class="counter seen"><b id="impressions">0</b>ad impressions</div>
  <div class="counter server-payments"><b id="payments">0</b>server payments</div>
  <div id="status">connecting…</div>
</header>
<section class="faults" aria-label="Fault switches">
  <span>Next <input id="count" type="number" min="1" value="3" aria-label="how many"> notifications:</span>
  <button data-kind="500">answer 500</button>
  <button data-kind="400">answer 400</button>
  <button data-kind="503">answer 503 + Retry-After 2</button>
  <button data-kind="429">answer 429 + Retry-After 2</button>
  <button data-kind="delay">delay 3 s</button>
  <button data-kind="drop">drop connection</button>
  <button id="clear">switches off</button>
  <span id="active"></span>
</section>
<details class="help" id="help">
  <summary>How to read a fault</summary>
  <ul>
    <li><b>by beacon</b>: the page sent it with <code>navigator.sendBeacon</code>, as it sends every notification it can. The page never sees a beacon's answer: a notification that a beacon brought to a fault is lost.</li>
    <li><b>by fetch</b>: the page sent it with ky, its fallback (no beacon, a beacon the browser refused, or the outbox sent on a later page). The page reads the answer: after a 500, a 503 or a dropped connection it sends the notification again, marked <b>retry of #N</b>, at most 6 tries in all, on this page and later ones; a 400 it drops.</li>
    <li>A beacon that the browser refuses (a body over 64 KiB, a full queue) never reaches this cluster. The page then sends the notification by fetch; with <code>data-debug</code> its console says so.</li>
    <li>The log tells them apart by the request's <code>Sec-Fetch-Mode</code> header: <code>no-cors</code> for a beacon, <code>cors</code> for a fetch. A request without it (curl, or a proxy that does not pass it on) shows neither.</li>
    <li>A retry is a request identical to an earlier one whose answer the page took as a failure: the same keys, market and body. The same tile clicked again after such a fault looks the same.</li>
  </ul>
</details>
<table>
  <thead><tr><th>time</th><th>verdict</th><th>notification</th><th>market</th><th>level: customer key / session key</th><th>ticket / body</th></tr></thead>
  <tbody id="rows"></tbody>
</table>
<div class="empty" id="empty">No notifications yet. Click something in the shop.</div>
<script>
  const rows = document.getElementById('rows')
  const counts = { accepted: 0, rejected: 0, fault: 0, impressions: 0, payments: 0 }
  const text = (tag, value, cls) => { const el = document.createElement(tag); el.textContent = value; if (cls) el.className = cls; return el }
  function add(r, fresh) {
    counts[r.verdict]++
    document.getElementById('accepted').textContent = counts.accepted
    document.getElementById('rejected').textContent = counts.rejected
    document.getElementById('faulted').textContent = counts.fault
    if (r.type == 'ad-impression' && r.verdict == 'accepted') document.getElementById('impressions').textContent = ++counts.impressions
    if (r.source == 'server' && r.verdict == 'accepted') document.getElementById('payments').textContent = ++counts.payments
    document.getElementById('empty').hidden = true
    const tr = document.createElement('tr')
    tr.dataset.verdict = r.verdict
    tr.dataset.ticket = r.ticket || ''
    tr.dataset.transport = r.transport || ''
    tr.dataset.seq = r.seq
    if (fresh) tr.className = 'new'
    tr.append(text('td', '#' + r.seq + ' ' + new Date(r.time).toLocaleTimeString(), 'mono when'))
    const v = document.createElement('td')
    v.append(text('span', r.verdict, 'verdict ' + r.verdict))
    if (r.reason) v.append(text('div', r.reason, 'readable'))
    // What the page does with this answer: lost on the beacon path, sent again on the fetch path.
    if (r.fate) v.append(text('div', r.fate, 'fate'))
    tr.append(v)
    const name = text('td', (r.type || r.url.split('?')[0]) + (r.api ? ' (' + r.api + ')' : ''))
    // A sponsored item was seen: half in view for a second.
    if (r.type == 'ad-impression') name.prepend(text('span', 'seen', 'impression'), ' ')
    // A payment from the shop's server, on the admin API.
    if (r.source == 'server') name.prepend(text('span', 'server', 'server'), ' ')
    if (r.transport) name.append(' ', text('span', 'by ' + r.transport, 'via'))
    if (r.again) name.append(' ', text('span', 'retry of #' + r.again, 'retry'))
    tr.dataset.type = r.type || ''
    tr.dataset.source = r.source || ''
    tr.append(name)
    tr.append(text('td', r.market))
    tr.dataset.keys = r.customerKey + ' / ' + r.sessionKey
    // The consent level (userContext): PERSONALIZED carries both keys, UNPERSONALIZED the session key, ANONYMOUS none.
    tr.append(text('td', (r.userContext || 'PERSONALIZED').toLowerCase() + ': ' + (r.customerKey || '—') + ' / ' + (r.sessionKey || '—'), 'mono'))
    const t = document.createElement('td')
    t.append(text('div', r.ticket != null ? r.ticket : r.body, 'mono'))
    if (r.readable) t.append(text('div', r.readable, 'readable mono'))
    tr.append(t)
    rows.prepend(tr)
  }
  function showFaults(faults) {
    document.getElementById('active').textContent = faults.length
      ? 'Active: ' + faults.map((f) => f.count + ' × ' + f.kind + (f.market ? ' (' + f.market + ')' : '')).join(', ')
      : ''
  }
  const source = new EventSource('/events')
  source.addEventListener('open', () => { document.getElementById('status').textContent = 'live' })
  source.addEventListener('error', () => { document.getElementById('status').textContent = 'reconnecting…' })
  source.addEventListener('init', (e) => {
    const data = JSON.parse(e.data)
    rows.textContent = ''
    counts.accepted = counts.rejected = counts.fault = counts.impressions = counts.payments = 0
    document.getElementById('impressions').textContent = 0
    document.getElementById('payments').textContent = 0
    data.records.forEach((r) => add(r, false))
    showFaults(data.faults)
  })
  source.addEventListener('record', (e) => add(JSON.parse(e.data), true))
  source.addEventListener('faults', (e) => showFaults(JSON.parse(e.data)))
  for (const b of document.querySelectorAll('button[data-kind]')) {
    b.addEventListener('click', () => fetch('/faults', {
      method: 'POST',
      body: JSON.stringify({ kind: b.dataset.kind, count: Number(document.getElementById('count').value) || 1, ms: 3000, retryAfter: 2 })
    }))
  }
  document.getElementById('clear').addEventListener('click', () => fetch('/faults', { method: 'DELETE' }))
</script>
</body>
</html>`
}
