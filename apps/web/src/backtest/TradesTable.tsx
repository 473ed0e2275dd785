// The run's closed trades: sortable by any column (click a header; again to reverse), exported as CSV in
// the order shown.
import { useMemo, useState } from 'react';
import { formatDuration, formatPrice, formatTime } from './format';
import {
  downloadText,
  type NumberedTrade,
  nextSort,
  sortTrades,
  type TradeColumn,
  type TradeSort,
  tradesCsv,
} from './trades';

const COLUMNS: ReadonlyArray<{ key: TradeColumn; label: string; left?: boolean }> = [
  { key: 'index', label: '#' },
  { key: 'direction', label: 'Side', left: true },
  { key: 'entryTime', label: 'Entry (UTC)', left: true },
  { key: 'exitTime', label: 'Exit (UTC)', left: true },
  { key: 'duration', label: 'Held' },
  { key: 'entryPrice', label: 'Entry price' },
  { key: 'exitPrice', label: 'Exit price' },
  { key: 'quantity', label: 'Quantity' },
  { key: 'pnl', label: 'P&L' },
  { key: 'returnPct', label: 'Return' },
  { key: 'fees', label: 'Fees' },
  { key: 'exitReason', label: 'Exit reason', left: true },
];

export function TradesTable(props: {
  readonly trades: readonly NumberedTrade[];
  readonly quote: string;
  readonly filename: string;
}) {
  const [sort, setSort] = useState<TradeSort>({ column: 'index', direction: 'asc' });
  const rows = useMemo(() => sortTrades(props.trades, sort), [props.trades, sort]);
  const arrow = (key: TradeColumn) => (sort.column === key ? (sort.direction === 'asc' ? ' ▲' : ' ▼') : '');

  return (
    <section className="bt-section" aria-labelledby="bt-trades">
      <div className="bt-toolbar">
        <h2 id="bt-trades">Trades ({props.trades.length})</h2>
        <button
          type="button"
          data-testid="trades-csv"
          disabled={props.trades.length === 0}
          onClick={() => downloadText(props.filename, tradesCsv(rows))}
        >
          Export CSV
        </button>
      </div>
      {props.trades.length === 0 ? (
        <p className="bt-hint" data-testid="trades-table">
          No closed trades: the strategy's entry conditions never held in this range.
        </p>
      ) : (
        <div className="bt-table-wrap">
          <table className="bt-table" data-testid="trades-table">
            <thead>
              <tr>
                {COLUMNS.map((c) => (
                  <th
                    key={c.key}
                    className={c.left ? 'bt-left' : undefined}
                    aria-sort={
                      sort.column === c.key ? (sort.direction === 'asc' ? 'ascending' : 'descending') : 'none'
                    }
                  >
                    <button
                      type="button"
                      data-testid={`trades-sort-${c.key}`}
                      onClick={() => setSort((s) => nextSort(s, c.key))}
                    >
                      {c.label}
                      {arrow(c.key)}
                    </button>
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((t) => (
                <tr key={t.index} data-testid={`trade-${t.index}`}>
                  <td>{t.index}</td>
                  <td className="bt-left">{t.direction}</td>
                  <td className="bt-left">{formatTime(t.entryTime)}</td>
                  <td className="bt-left">{formatTime(t.exitTime)}</td>
                  <td>{formatDuration(t.exitTime - t.entryTime)}</td>
                  <td>{formatPrice(t.entryPrice)}</td>
                  <td>{formatPrice(t.exitPrice)}</td>
                  <td>{formatPrice(t.quantity)}</td>
                  <td className={t.pnl > 0 ? 'bt-pos' : t.pnl < 0 ? 'bt-neg' : undefined}>
                    {t.pnl.toFixed(2)} {props.quote}
                  </td>
                  <td className={t.returnPct > 0 ? 'bt-pos' : t.returnPct < 0 ? 'bt-neg' : undefined}>
                    {t.returnPct.toFixed(2)}%
                  </td>
                  <td>
                    {t.fees.toFixed(2)} {props.quote}
                  </td>
                  <td className="bt-left">{t.exitReason.replaceAll('_', ' ')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
