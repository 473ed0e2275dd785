// A self-contained HTML backtest report: metric cards, equity, drawdown and price charts as inline SVG,
// a sortable trade list, the settings used and every warning. No network access needed to open it.
import type { CandleSeries } from '@candleflow/data';
import { type BacktestResult, drawdownSeries } from '@candleflow/engine';
import { fmt, fmtTime } from './format';
import { metricRows } from './table';

const WIDTH = 960;
const MAX_POINTS = 1500;

export function renderHtmlReport(input: {
  readonly name: string;
  readonly result: BacktestResult;
  readonly series: ReadonlyMap<string, CandleSeries>;
  readonly notes: readonly string[];
}): string {
  const { result } = input;
  const equity = result.equity.map((p) => [p.time, p.equity] as const);
  const drawdown = drawdownSeries(result.equity).map((p) => [p.time, -p.drawdownPct] as const);
  const [symbol, candles] = [...input.series.entries()][0] ?? [];
  const price: (readonly [number, number])[] = [];
  if (candles)
    for (let i = 0; i < candles.time.length; i++) price.push([candles.time[i]!, candles.close[i]!]);
  const markers = result.trades
    .filter((t) => t.symbol === symbol)
    .flatMap((t) => [
      { time: t.entryTime, price: t.entryPrice, kind: t.direction === 'long' ? 'buy' : 'sell' },
      { time: t.exitTime, price: t.exitPrice, kind: 'exit' },
    ]);

  const cards = metricRows(result)
    .map(
      ([label, value]) =>
        `<div class="card"><div class="label">${esc(label)}</div><div class="value">${esc(value)}</div></div>`,
    )
    .join('');
  const trades = result.trades
    .map(
      (t, i) =>
        `<tr><td>${i + 1}</td><td>${esc(t.symbol)}</td><td>${t.direction}</td><td data-v="${t.entryTime}">${fmtTime(t.entryTime)}</td>` +
        `<td data-v="${t.exitTime}">${fmtTime(t.exitTime)}</td><td data-v="${t.quantity}">${fmt(t.quantity, 4)}</td>` +
        `<td data-v="${t.entryPrice}">${fmt(t.entryPrice, 4)}</td><td data-v="${t.exitPrice}">${fmt(t.exitPrice, 4)}</td>` +
        `<td data-v="${t.pnl}" class="${t.pnl >= 0 ? 'pos' : 'neg'}">${fmt(t.pnl)}</td>` +
        `<td data-v="${t.returnPct}" class="${t.returnPct >= 0 ? 'pos' : 'neg'}">${fmt(t.returnPct, 2, ' %')}</td>` +
        `<td data-v="${t.fees}">${fmt(t.fees)}</td><td>${esc(t.exitReason)}</td></tr>`,
    )
    .join('\n');
  const warnings = [...result.warnings, ...result.metrics.notes];

  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(input.name)} — Candleflow backtest</title>
<style>
body{font:14px/1.45 system-ui,sans-serif;background:#0f1419;color:#e6e6e6;margin:0;padding:24px;max-width:1040px;margin:auto}
h1{font-size:22px;margin:0 0 4px}h2{font-size:16px;margin:28px 0 8px;color:#9fb3c8}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(180px,1fr));gap:8px}
.card{background:#19212b;border-radius:6px;padding:8px 10px}.label{color:#8a99a8;font-size:12px}.value{font-size:15px;font-weight:600}
svg{background:#141b23;border-radius:6px;width:100%;height:auto}
table{border-collapse:collapse;width:100%;font-size:12px}th,td{padding:4px 6px;border-bottom:1px solid #243040;text-align:right}
th{cursor:pointer;color:#9fb3c8;position:sticky;top:0;background:#0f1419}td:nth-child(2),td:nth-child(3),td:last-child{text-align:left}
.pos{color:#4cc38a}.neg{color:#ef6461}.warn{background:#3a2a12;border-left:3px solid #f5a623;padding:6px 10px;margin:4px 0;border-radius:4px}
code,pre{background:#19212b;padding:8px;border-radius:6px;display:block;white-space:pre-wrap;font-size:12px}
</style></head><body>
<h1>${esc(input.name)}</h1>
<div>${esc(symbol ?? '')} · ${result.bars} bars · engine ${esc(result.provenance.engineVersion)}</div>
${warnings.map((w) => `<div class="warn">${esc(w)}</div>`).join('\n')}
${input.notes.map((n) => `<div>${esc(n)}</div>`).join('\n')}
<h2>Metrics</h2><div class="cards">${cards}</div>
<h2>Equity</h2>${lineChart(equity, '#4ea1ff', 220)}
<h2>Drawdown (%)</h2>${lineChart(drawdown, '#ef6461', 140)}
<h2>Price and trades${symbol ? ` — ${esc(symbol)}` : ''}</h2>${lineChart(price, '#c9d1d9', 260, markers)}
<h2>Trades (${result.trades.length})</h2>
<table id="trades"><thead><tr><th>#</th><th>Symbol</th><th>Side</th><th>Entry</th><th>Exit</th><th>Qty</th><th>Entry price</th><th>Exit price</th><th>PnL</th><th>Return</th><th>Fees</th><th>Exit reason</th></tr></thead>
<tbody>
${trades}
</tbody></table>
<h2>Settings</h2><pre>${esc(JSON.stringify(result.settings, null, 2))}</pre>
<h2>Provenance</h2><pre>${esc(JSON.stringify(result.provenance, null, 2))}</pre>
<script>
document.querySelectorAll('#trades th').forEach((th, col) => th.addEventListener('click', () => {
  const body = th.closest('table').tBodies[0];
  const dir = th.dataset.dir === 'asc' ? -1 : 1; th.dataset.dir = dir === 1 ? 'asc' : 'desc';
  const key = (tr) => { const td = tr.children[col]; const v = td.dataset.v ?? td.textContent; const n = Number(v); return Number.isNaN(n) ? v : n; };
  [...body.rows].sort((a, b) => (key(a) > key(b) ? 1 : key(a) < key(b) ? -1 : 0) * dir).forEach((tr) => body.appendChild(tr));
}));
</script>
</body></html>
`;
}

interface Marker {
  readonly time: number;
  readonly price: number;
  readonly kind: string;
}

function lineChart(
  points: readonly (readonly [number, number])[],
  color: string,
  height: number,
  markers: readonly Marker[] = [],
): string {
  if (points.length < 2) return '<p>not enough data to draw</p>';
  const step = Math.max(1, Math.ceil(points.length / MAX_POINTS));
  const sampled = points.filter((_, i) => i % step === 0 || i === points.length - 1);
  const t0 = sampled[0]![0];
  const t1 = sampled[sampled.length - 1]![0];
  let lo = Math.min(...sampled.map((p) => p[1]));
  let hi = Math.max(...sampled.map((p) => p[1]));
  if (hi === lo) {
    hi += 1;
    lo -= 1;
  }
  const pad = 36;
  const x = (t: number) => pad + ((t - t0) / Math.max(1, t1 - t0)) * (WIDTH - pad - 8);
  const y = (v: number) => 8 + (1 - (v - lo) / (hi - lo)) * (height - 28);
  const path = sampled
    .map((p, i) => `${i === 0 ? 'M' : 'L'}${x(p[0]).toFixed(1)},${y(p[1]).toFixed(1)}`)
    .join('');
  const dots = markers
    .filter((m) => m.time >= t0 && m.time <= t1)
    .slice(0, 2000)
    .map((m) => {
      const fill = m.kind === 'buy' ? '#4cc38a' : m.kind === 'sell' ? '#ef6461' : '#f5a623';
      return `<circle cx="${x(m.time).toFixed(1)}" cy="${y(m.price).toFixed(1)}" r="2.6" fill="${fill}"><title>${m.kind} ${fmt(m.price, 4)} ${fmtTime(m.time)}</title></circle>`;
    })
    .join('');
  const labels =
    `<text x="2" y="14" fill="#8a99a8" font-size="10">${fmt(hi, 2)}</text>` +
    `<text x="2" y="${height - 22}" fill="#8a99a8" font-size="10">${fmt(lo, 2)}</text>` +
    `<text x="${pad}" y="${height - 6}" fill="#8a99a8" font-size="10">${fmtTime(t0)}</text>` +
    `<text x="${WIDTH - 8}" y="${height - 6}" fill="#8a99a8" font-size="10" text-anchor="end">${fmtTime(t1)}</text>`;
  return `<svg viewBox="0 0 ${WIDTH} ${height}" role="img"><path d="${path}" fill="none" stroke="${color}" stroke-width="1.4"/>${dots}${labels}</svg>`;
}

function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
