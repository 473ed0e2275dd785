// Chart data: drawdown under the running peak, return curves on one scale, strictly increasing times,
// and markers that land on the candle holding each fill even when candles merge several bars.
import { describe, expect, it } from 'vitest';
import {
  chartTime,
  drawdownLine,
  equityLine,
  equityPoints,
  indicatorLine,
  lastAtOrBefore,
  MARKER_LIMIT,
  type Marker,
  markersAt,
  returnLine,
  thinMarkers,
  tradeMarkers,
} from './chart-data';
import { numberTrades, type TradeRow } from './trades';

const H = 3_600_000;
const T0 = Date.UTC(2024, 0, 1);

describe('equity, drawdown and return lines', () => {
  const points = [100, 120, 90, 130, 117].map((equity, i) => ({ time: T0 + i * H, equity }));

  it('measures the drawdown from the running peak, as a negative percent', () => {
    const values = drawdownLine(points).map((p) => p.value);

    expect(values[0]).toBe(0);
    expect(values[1]).toBe(0);
    expect(values[2]).toBeCloseTo(-25, 10);
    expect(values[3]).toBe(0);
    expect(values[4]).toBeCloseTo(-10, 10);
  });

  it('puts curves of different starting cash on one percent scale', () => {
    const doubled = points.map((p) => ({ ...p, equity: p.equity * 2 }));

    expect(returnLine(doubled).map((p) => p.value)).toEqual(returnLine(points).map((p) => p.value));
    expect(returnLine(points)[1]!.value).toBeCloseTo(20, 10);
    expect(returnLine([])).toEqual([]);
  });

  it('uses whole UTC seconds and keeps the last of points that share one', () => {
    const line = equityLine([
      { time: T0, equity: 1 },
      { time: T0 + 400, equity: 2 },
      { time: T0 + 1000, equity: 3 },
    ]);

    expect(line).toEqual([
      { time: T0 / 1000, value: 2 },
      { time: T0 / 1000 + 1, value: 3 },
    ]);
  });

  it('reads only well-formed points from the result JSON', () => {
    expect(equityPoints([{ time: 1, equity: 2 }, { time: 'x' }, null])).toEqual([{ time: 1, equity: 2 }]);
    expect(equityPoints(null)).toEqual([]);
  });
});

describe('lastAtOrBefore', () => {
  it('finds the candle holding a time, or -1 before the first', () => {
    const times = [10, 20, 30];

    expect([5, 10, 15, 20, 29, 30, 99].map((t) => lastAtOrBefore(times, t))).toEqual([-1, 0, 0, 1, 1, 2, 2]);
  });
});

describe('tradeMarkers', () => {
  const trade = (o: Partial<TradeRow>): TradeRow => ({
    symbol: 'BTC/USDT',
    direction: 'long',
    quantity: 1,
    entryTime: T0,
    exitTime: T0,
    entryBar: 0,
    exitBar: 0,
    entryPrice: 1,
    exitPrice: 1,
    pnl: 0,
    returnPct: 0,
    fees: 0,
    funding: 0,
    exitReason: 'stop_loss',
    ...o,
  });

  it('puts long entries below the bar and their exits above, on the merged candle that holds each fill', () => {
    // Candles of 4 bars each: T0, T0+4h, T0+8h.
    const candles = [T0, T0 + 4 * H, T0 + 8 * H];
    const markers = tradeMarkers(
      numberTrades([trade({ entryTime: T0 + 5 * H, exitTime: T0 + 9 * H })]),
      candles,
    );

    expect(markers).toEqual([
      expect.objectContaining({
        time: chartTime(T0 + 4 * H),
        position: 'belowBar',
        shape: 'arrowUp',
        text: 'Buy #1',
      }),
      expect.objectContaining({
        time: chartTime(T0 + 8 * H),
        position: 'aboveBar',
        shape: 'arrowDown',
        text: 'Exit #1 (stop loss)',
      }),
    ]);
  });

  it('marks short entries above the bar pointing down, and sorts markers by time', () => {
    const candles = [T0, T0 + H, T0 + 2 * H, T0 + 3 * H];
    const markers = tradeMarkers(
      numberTrades([
        trade({ entryTime: T0 + 2 * H, exitTime: T0 + 3 * H }),
        trade({ direction: 'short', entryTime: T0, exitTime: T0 + H }),
      ]),
      candles,
    );

    expect(markers.map((m) => m.time)).toEqual([0, 1, 2, 3].map((k) => chartTime(T0 + k * H)));
    expect(markers[0]).toMatchObject({ position: 'aboveBar', shape: 'arrowDown', text: 'Short #2' });
  });
});

describe('indicatorLine', () => {
  it('leaves gaps while the indicator warms up', () => {
    expect(indicatorLine([T0, T0 + H], [null, 5])).toEqual([
      { time: chartTime(T0) },
      { time: chartTime(T0 + H), value: 5 },
    ]);
  });
});

describe('thinMarkers', () => {
  /** An entry on every even second and its exit on the next odd one, `pairs` times. */
  const markers = (pairs: number): Marker[] =>
    Array.from({ length: pairs * 2 }, (_, k) => ({
      id: `${k % 2 === 0 ? 'entry' : 'exit'}-${Math.floor(k / 2) + 1}`,
      time: k,
      position: k % 2 === 0 ? 'belowBar' : 'aboveBar',
      shape: k % 2 === 0 ? 'arrowUp' : 'arrowDown',
      color: '#fff',
      text: '',
    }));

  it('keeps every marker in view when they fit, and none outside it', () => {
    const all = markers(20);

    const kept = thinMarkers(all, { from: 10, to: 29 });

    expect(kept.map((m) => m.time)).toEqual(Array.from({ length: 20 }, (_, k) => k + 10));
  });

  it('keeps at most the limit, spread over the whole view, with entries and exits', () => {
    const all = markers(500);

    const kept = thinMarkers(all, { from: 0, to: 999 });

    expect(kept.length).toBeLessThanOrEqual(MARKER_LIMIT);
    expect(kept.length).toBeGreaterThanOrEqual(MARKER_LIMIT - 2);
    expect(kept.some((m) => m.id.startsWith('exit-'))).toBe(true);
    expect(kept.some((m) => m.id.startsWith('entry-'))).toBe(true);
    // No gap between kept markers is wider than two slices of the view.
    const gaps = kept.slice(1).map((m, i) => m.time - kept[i]!.time);
    expect(Math.max(...gaps)).toBeLessThanOrEqual((2 * 1000) / (MARKER_LIMIT / 2));
    expect(kept.at(-1)!.time).toBeGreaterThan(900);
  });

  it('slices evenly when the view is open-ended', () => {
    const kept = thinMarkers(
      markers(500),
      { from: Number.NEGATIVE_INFINITY, to: Number.POSITIVE_INFINITY },
      10,
    );

    expect(kept).toHaveLength(10);
    expect(kept.at(-1)!.time).toBeGreaterThan(800);
  });

  it('finds the markers on one candle for the tooltip', () => {
    expect(markersAt(markers(3), 3).map((m) => m.id)).toEqual(['exit-2']);
  });
});
