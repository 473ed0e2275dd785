// The trades table's rows: sorting by any column (ties in run order, both ways) and the CSV export's
// exact content, including the quoting and formula defusing a spreadsheet needs.
import { describe, expect, it } from 'vitest';
import { csvField, nextSort, numberTrades, sortTrades, type TradeRow, tradesCsv } from './trades';

const T0 = Date.UTC(2024, 0, 1);
const HOUR = 3_600_000;

function trade(overrides: Partial<TradeRow>): TradeRow {
  return {
    symbol: 'BTC/USDT',
    direction: 'long',
    quantity: 1,
    entryTime: T0,
    exitTime: T0 + HOUR,
    entryBar: 0,
    exitBar: 1,
    entryPrice: 100,
    exitPrice: 110,
    pnl: 10,
    returnPct: 10,
    fees: 0.1,
    funding: 0,
    exitReason: 'exit',
    ...overrides,
  };
}

const trades = numberTrades([
  trade({ pnl: 5, entryTime: T0, exitTime: T0 + 5 * HOUR }),
  trade({ pnl: -3, entryTime: T0 + 6 * HOUR, exitTime: T0 + 7 * HOUR, direction: 'short' }),
  trade({ pnl: 5, entryTime: T0 + 8 * HOUR, exitTime: T0 + 10 * HOUR }),
  trade({ pnl: 12, entryTime: T0 + 11 * HOUR, exitTime: T0 + 12 * HOUR, exitReason: 'stop_loss' }),
]);

describe('numberTrades', () => {
  it('numbers the trades in run order and drops what is not a trade', () => {
    const rows = numberTrades([trade({}), { junk: true }, null, trade({ pnl: 1 })]);

    expect(rows.map((r) => [r.index, r.pnl])).toEqual([
      [1, 10],
      [2, 1],
    ]);
    expect(numberTrades(undefined)).toEqual([]);
  });
});

describe('sortTrades', () => {
  it('sorts by profit both ways, keeping equal profits in run order', () => {
    const asc = sortTrades(trades, { column: 'pnl', direction: 'asc' });
    const desc = sortTrades(trades, { column: 'pnl', direction: 'desc' });

    expect(asc.map((t) => t.index)).toEqual([2, 1, 3, 4]);
    expect(desc.map((t) => t.index)).toEqual([4, 1, 3, 2]);
  });

  it('sorts by holding time and by text columns', () => {
    expect(sortTrades(trades, { column: 'duration', direction: 'desc' }).map((t) => t.index)).toEqual([
      1, 3, 2, 4,
    ]);
    expect(sortTrades(trades, { column: 'direction', direction: 'desc' }).map((t) => t.index)).toEqual([
      2, 1, 3, 4,
    ]);
  });

  it('does not reorder the array it is given', () => {
    sortTrades(trades, { column: 'pnl', direction: 'desc' });

    expect(trades.map((t) => t.index)).toEqual([1, 2, 3, 4]);
  });
});

describe('nextSort', () => {
  it('reverses the sorted column and starts money columns biggest first', () => {
    expect(nextSort({ column: 'pnl', direction: 'desc' }, 'pnl')).toEqual({
      column: 'pnl',
      direction: 'asc',
    });
    expect(nextSort({ column: 'index', direction: 'asc' }, 'pnl')).toEqual({
      column: 'pnl',
      direction: 'desc',
    });
    expect(nextSort({ column: 'pnl', direction: 'asc' }, 'entryTime')).toEqual({
      column: 'entryTime',
      direction: 'asc',
    });
  });
});

describe('tradesCsv', () => {
  it('writes a header and one line per trade with UTC ISO times and full-precision numbers', () => {
    const csv = tradesCsv(
      numberTrades([
        trade({
          pnl: 1 / 3,
          quantity: 0.001,
          entryTime: T0,
          exitTime: T0 + HOUR,
          direction: 'short',
          exitReason: 'take_profit',
          funding: -0.25,
        }),
      ]),
    );

    expect(csv.split('\r\n')).toEqual([
      'trade,symbol,direction,entry_time_utc,exit_time_utc,entry_price,exit_price,quantity,pnl,return_pct,fees,funding,exit_reason,entry_bar,exit_bar',
      `1,BTC/USDT,short,2024-01-01T00:00:00.000Z,2024-01-01T01:00:00.000Z,100,110,0.001,${String(1 / 3)},10,0.1,-0.25,take_profit,0,1`,
      '',
    ]);
  });

  it('keeps the order it is given (the table’s sort)', () => {
    const csv = tradesCsv(sortTrades(trades, { column: 'pnl', direction: 'desc' }));

    expect(
      csv
        .trim()
        .split('\r\n')
        .slice(1)
        .map((line) => line.split(',')[0]),
    ).toEqual(['4', '1', '3', '2']);
  });

  it('quotes fields with commas, quotes or line breaks and defuses spreadsheet formulas', () => {
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvField('-1')).toBe("'-1");
    expect(csvField(-1)).toBe('-1');
    expect(csvField(Number.NaN)).toBe('');
  });
});
