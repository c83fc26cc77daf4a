/**
 * The console's two static files, served from /static/ (the Content-Security-Policy allows
 * scripts and styles from the console itself only: nothing inline). The script polls the
 * JSON API and updates the counts and the chart without a reload; it writes text with
 * `textContent` and builds the chart with DOM calls, never with `innerHTML`.
 */

export const CONSOLE_CSS = `
:root { --fg: #1d2430; --muted: #5b6577; --line: #d9dee7; --accent: #2458c6; --bad: #b42318; --ok: #1a7f37; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg); background: #f6f7f9; }
header { background: #16213a; color: #fff; padding: 10px 24px; display: flex; gap: 24px; align-items: center; }
header a { color: #cfe0ff; text-decoration: none; }
header .who { margin-left: auto; color: #aab4c8; font-size: 12px; }
main { padding: 20px 24px; max-width: 1200px; }
h1 { font-size: 20px; margin: 0 0 12px; }
h2 { font-size: 16px; margin: 24px 0 8px; }
table { border-collapse: collapse; width: 100%; background: #fff; border: 1px solid var(--line); }
th, td { text-align: left; padding: 6px 10px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { background: #eef1f6; font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
code, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 12px; word-break: break-all; }
.bad { color: var(--bad); font-weight: 600; }
.ok { color: var(--ok); font-weight: 600; }
.muted { color: var(--muted); }
.notice { background: #e8f1ff; border: 1px solid #b9d0fb; padding: 8px 12px; margin-bottom: 12px; }
.error { background: #fdecea; border: 1px solid #f5b7b1; padding: 8px 12px; margin-bottom: 12px; }
form.inline { display: inline; }
button { font: inherit; padding: 4px 10px; border: 1px solid #9aa7bd; background: #fff; border-radius: 4px; cursor: pointer; }
button.danger { border-color: var(--bad); color: var(--bad); }
input[type=text], input[type=password], select { font: inherit; padding: 4px 6px; border: 1px solid #9aa7bd; border-radius: 4px; }
dl.facts { display: grid; grid-template-columns: 220px 1fr; gap: 4px 12px; background: #fff; border: 1px solid var(--line); padding: 12px; margin: 0; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; }
pre.body { background: #fff; border: 1px solid var(--line); padding: 12px; overflow: auto; max-height: 320px; white-space: pre-wrap; word-break: break-all; }
#chart { background: #fff; border: 1px solid var(--line); display: block; }
.legend span { display: inline-block; margin-right: 16px; }
.swatch { display: inline-block; width: 10px; height: 10px; margin-right: 4px; }
.swatch.accepted { background: var(--ok); }
.swatch.rejected { background: var(--bad); }
.filters { margin: 8px 0 12px; display: flex; gap: 8px; align-items: center; }
`;

export const CONSOLE_JS = `'use strict';
(function () {
  var SVG = 'http://www.w3.org/2000/svg';
  function svg(name, attrs) {
    var el = document.createElementNS(SVG, name);
    Object.keys(attrs).forEach(function (k) { el.setAttribute(k, String(attrs[k])); });
    return el;
  }
  function getJson(url) {
    return fetch(url, { credentials: 'same-origin', headers: { accept: 'application/json' } })
      .then(function (r) { if (!r.ok) throw new Error(String(r.status)); return r.json(); });
  }
  function updateQueues(queues) {
    queues.forEach(function (q) {
      ['depth', 'inFlight', 'poison', 'deadLetter'].forEach(function (field) {
        var cells = document.querySelectorAll('[data-count]');
        for (var i = 0; i < cells.length; i++) {
          if (cells[i].getAttribute('data-count') === q.name + '|' + field) {
            cells[i].textContent = q[field] === null || q[field] === undefined ? '\\u2014' : String(q[field]);
          }
        }
      });
    });
  }
  function drawChart(chart, rates) {
    while (chart.firstChild) chart.removeChild(chart.firstChild);
    var w = Number(chart.getAttribute('width')), h = Number(chart.getAttribute('height'));
    var minutes = rates.minutes, n = minutes.length, pad = 28;
    var max = 1;
    minutes.forEach(function (m) { max = Math.max(max, m.accepted || 0, m.rejected); });
    var slot = (w - pad - 8) / n, bar = Math.max(1, slot / 2 - 1);
    chart.appendChild(svg('line', { x1: pad, y1: h - 18, x2: w - 4, y2: h - 18, stroke: '#9aa7bd' }));
    var top = svg('text', { x: 2, y: 12, 'font-size': 10, fill: '#5b6577' });
    top.textContent = String(max) + '/min';
    chart.appendChild(top);
    minutes.forEach(function (m, i) {
      var x = pad + i * slot;
      var a = m.accepted || 0, r = m.rejected, scale = (h - 30) / max;
      var ra = svg('rect', { x: x, y: h - 18 - a * scale, width: bar, height: a * scale, fill: '#1a7f37', 'data-accepted': a });
      var rr = svg('rect', { x: x + bar + 1, y: h - 18 - r * scale, width: bar, height: r * scale, fill: '#b42318', 'data-rejected': r });
      var title = svg('title', {});
      title.textContent = new Date(m.minute).toISOString().slice(11, 16) + ' accepted ' + (m.accepted === null || m.accepted === undefined ? '?' : a) + ', rejected ' + r;
      rr.appendChild(title);
      chart.appendChild(ra); chart.appendChild(rr);
      if (i % 10 === 0 || i === n - 1) {
        var label = svg('text', { x: x, y: h - 4, 'font-size': 10, fill: '#5b6577' });
        label.textContent = new Date(m.minute).toISOString().slice(11, 16);
        chart.appendChild(label);
      }
    });
    var totals = document.getElementById('totals');
    if (totals) {
      var ta = 0, tr = 0, known = true;
      minutes.forEach(function (m) { if (m.accepted === null || m.accepted === undefined) known = false; ta += m.accepted || 0; tr += m.rejected; });
      totals.textContent = 'last ' + n + ' min: ' + (known ? ta : '?') + ' accepted, ' + tr + ' rejected (' + rates.source + ')';
    }
  }
  function refresh() {
    var chart = document.getElementById('chart');
    if (document.querySelector('[data-count]')) getJson('/api/queues').then(updateQueues).catch(function () {});
    if (chart) getJson('/api/rates').then(function (rates) { drawChart(chart, rates); }).catch(function () {});
  }
  document.addEventListener('DOMContentLoaded', function () {
    var body = document.body;
    var every = Number(body.getAttribute('data-refresh-ms') || '0');
    refresh();
    if (every > 0) setInterval(refresh, every);
  });
})();
`;
