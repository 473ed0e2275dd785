// A run's closed trades as the trades table and its CSV export see them: one row type, sorting by any
// column (ties keep the run's order), and RFC 4180 CSV with UTC times and full-precision numbers.

/** A closed round trip, as the engine's Trade stores it in the run's result. */
export interface TradeRow {
  readonly symbol: string;
  readonly direction: 'long' | 'short';
  readonly quantity: number;
  /** Open times of the entry and exit bars, UTC ms. */
  readonly entryTime: number;
  readonly exitTime: number;
  readonly entryBar: number;
  readonly exitBar: number;
  /** Average fill prices after slippage. */
  readonly entryPrice: number;
  readonly exitPrice: number;
  /** Net profit in the quote currency, after fees and funding. */
  readonly pnl: number;
  /** Net profit, percent of entry notional. */
  readonly returnPct: number;
  readonly fees: number;
  readonly funding: number;
  readonly exitReason: string;
}

export type TradeColumn =
  | 'index'
  | 'direction'
  | 'entryTime'
  | 'exitTime'
  | 'duration'
  | 'entryPrice'
  | 'exitPrice'
  | 'quantity'
  | 'pnl'
  | 'returnPct'
  | 'fees'
  | 'exitReason';

export interface TradeSort {
  readonly column: TradeColumn;
  readonly direction: 'asc' | 'desc';
}

/** A trade with its 1-based number in the run, which sorting keeps. */
export interface NumberedTrade extends TradeRow {
  readonly index: number;
}

function isTrade(value: unknown): value is TradeRow {
  if (typeof value !== 'object' || value === null) return false;
  const t = value as Record<string, unknown>;
  return (
    typeof t.entryTime === 'number' &&
    typeof t.exitTime === 'number' &&
    typeof t.entryPrice === 'number' &&
    typeof t.exitPrice === 'number' &&
    typeof t.pnl === 'number' &&
    (t.direction === 'long' || t.direction === 'short')
  );
}

/** The result's `trades` JSON as rows; anything that is not a trade is dropped rather than drawn wrong. */
export function numberTrades(trades: unknown): NumberedTrade[] {
  if (!Array.isArray(trades)) return [];
  return trades.filter(isTrade).map((t, i) => ({ ...t, index: i + 1 }));
}

function sortKey(t: NumberedTrade, column: TradeColumn): number | string {
  if (column === 'duration') return t.exitTime - t.entryTime;
  return t[column];
}

/** A new array in the requested order; equal keys keep the run's order in both directions. */
export function sortTrades(trades: readonly NumberedTrade[], sort: TradeSort): NumberedTrade[] {
  const sign = sort.direction === 'asc' ? 1 : -1;
  return [...trades].sort((a, b) => {
    const x = sortKey(a, sort.column);
    const y = sortKey(b, sort.column);
    const order = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
    return order !== 0 ? sign * order : a.index - b.index;
  });
}

/** Clicking a header sorts by it; clicking the sorted one again reverses it. */
export function nextSort(current: TradeSort, column: TradeColumn): TradeSort {
  if (current.column === column) return { column, direction: current.direction === 'asc' ? 'desc' : 'asc' };
  // Money columns are most often read biggest first.
  const descFirst: readonly TradeColumn[] = ['pnl', 'returnPct', 'fees', 'duration', 'quantity'];
  return { column, direction: descFirst.includes(column) ? 'desc' : 'asc' };
}

export const CSV_COLUMNS = [
  'trade',
  'symbol',
  'direction',
  'entry_time_utc',
  'exit_time_utc',
  'entry_price',
  'exit_price',
  'quantity',
  'pnl',
  'return_pct',
  'fees',
  'funding',
  'exit_reason',
  'entry_bar',
  'exit_bar',
] as const;

/** One CSV field: quoted when it holds a comma, quote or line break; text that a spreadsheet would run as a formula is defused. */
export function csvField(value: string | number): string {
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** The trades as CSV (header first, CRLF line ends as RFC 4180 has them), in the order given. */
export function tradesCsv(trades: readonly NumberedTrade[]): string {
  const iso = (ms: number) => new Date(ms).toISOString();
  const lines = [CSV_COLUMNS.join(',')];
  for (const t of trades) {
    lines.push(
      [
        t.index,
        t.symbol,
        t.direction,
        iso(t.entryTime),
        iso(t.exitTime),
        t.entryPrice,
        t.exitPrice,
        t.quantity,
        t.pnl,
        t.returnPct,
        t.fees,
        t.funding,
        t.exitReason,
        t.entryBar,
        t.exitBar,
      ]
        .map(csvField)
        .join(','),
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}

/** Starts a download of text as a file (the browser's own save dialog). */
export function downloadText(filename: string, text: string, type = 'text/csv;charset=utf-8'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  // Revoked after the click has been handled; revoking at once can cancel the download in some browsers.
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
