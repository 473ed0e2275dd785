import { describe, expect, it } from 'vitest';
import { generateCandles, generateCandlesWithRegimes, REGIMES } from './generate';

const BASE = { symbol: 'SYN', timeframe: '1m', start: '2024-01-01T00:00:00Z', seed: 42 } as const;

function kurtosis(values: number[]): number {
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  let m2 = 0;
  let m4 = 0;
  for (const v of values) {
    m2 += (v - mean) ** 2;
    m4 += (v - mean) ** 4;
  }
  m2 /= values.length;
  m4 /= values.length;
  return m4 / (m2 * m2);
}

describe('generateCandles', () => {
  const { series, regimes } = generateCandlesWithRegimes({ ...BASE, bars: 50_000 });

  it('gives the same bars for the same seed', () => {
    const again = generateCandles({ ...BASE, bars: 50_000 });

    expect(again.close).toEqual(series.close);
    expect(again.volume).toEqual(series.volume);
  });

  it('gives different bars for another seed', () => {
    const other = generateCandles({ ...BASE, bars: 50_000, seed: 43 });

    expect(other.close).not.toEqual(series.close);
  });

  it('keeps every bar consistent: low ≤ open, close ≤ high, positive volume, on the tick grid', () => {
    const bad: number[] = [];
    for (let i = 0; i < series.time.length; i++) {
      const [o, h, l, c, v] = [
        series.open[i]!,
        series.high[i]!,
        series.low[i]!,
        series.close[i]!,
        series.volume[i]!,
      ];
      const onTick = [o, h, l, c].every((p) => Math.abs(p * 100 - Math.round(p * 100)) < 1e-6);
      if (!(l > 0 && l <= Math.min(o, c) && h >= Math.max(o, c) && v > 0 && onTick)) bad.push(i);
    }

    expect(bad).toEqual([]);
  });

  it('spaces bars one timeframe apart from the start', () => {
    expect(series.time[0]).toBe(Date.UTC(2024, 0, 1));
    expect(series.time[49_999]! - series.time[0]!).toBe(49_999 * 60_000);
  });

  it('opens near the previous close', () => {
    let largest = 0;
    for (let i = 1; i < series.time.length; i++) {
      largest = Math.max(largest, Math.abs(series.open[i]! / series.close[i - 1]! - 1));
    }

    expect(largest).toBeLessThan(0.01);
  });

  it('visits every regime', () => {
    const seen = new Set(regimes);

    expect([...seen].sort()).toEqual(REGIMES.map((_, i) => i));
  });

  it('has fat-tailed returns in the volatile regime and larger swings than in the range', () => {
    const returnsOf = (regime: number) => {
      const out: number[] = [];
      for (let i = 1; i < series.time.length; i++) {
        if (regimes[i] === regime) out.push(Math.log(series.close[i]! / series.open[i]!));
      }
      return out;
    };
    const volatile = returnsOf(REGIMES.indexOf('volatile'));
    const range = returnsOf(REGIMES.indexOf('range'));
    const sd = (x: number[]) => Math.sqrt(x.reduce((s, v) => s + v * v, 0) / x.length);

    expect(kurtosis(volatile)).toBeGreaterThan(3.5);
    expect(sd(volatile)).toBeGreaterThan(2 * sd(range));
  });

  it('trades more in volatile bars and in the afternoon (UTC) than at night', () => {
    let volatileVolume = 0;
    let volatileCount = 0;
    let rangeVolume = 0;
    let rangeCount = 0;
    const byHour = new Array<number>(24).fill(0);
    for (let i = 0; i < series.time.length; i++) {
      const v = series.volume[i]!;
      if (regimes[i] === REGIMES.indexOf('volatile')) {
        volatileVolume += v;
        volatileCount++;
      } else if (regimes[i] === REGIMES.indexOf('range')) {
        rangeVolume += v;
        rangeCount++;
      }
      byHour[new Date(series.time[i]!).getUTCHours()]! += v;
    }

    expect(volatileVolume / volatileCount).toBeGreaterThan(1.5 * (rangeVolume / rangeCount));
    expect(byHour[15]!).toBeGreaterThan(1.5 * byHour[3]!);
  });

  it('trends up in the up-trend regime and down in the down-trend one', () => {
    const drift = (regime: number) => {
      let sum = 0;
      let count = 0;
      for (let i = 1; i < series.time.length; i++) {
        if (regimes[i] === regime) {
          sum += Math.log(series.close[i]! / series.close[i - 1]!);
          count++;
        }
      }
      return sum / count;
    };

    expect(drift(REGIMES.indexOf('trend_up'))).toBeGreaterThan(0);
    expect(drift(REGIMES.indexOf('trend_down'))).toBeLessThan(0);
  });

  it('stays in the only regime allowed', () => {
    const { regimes: only } = generateCandlesWithRegimes({
      ...BASE,
      bars: 2_000,
      regimes: { meanBars: 10, weights: { trend_up: 0, trend_down: 0, volatile: 0 } },
    });

    expect(new Set(only)).toEqual(new Set([REGIMES.indexOf('range')]));
  });

  it('generates a million one-minute bars that keep the bar invariants (its speed is in npm run bench)', () => {
    const big = generateCandles({ ...BASE, bars: 1_000_000 });

    expect(big.time.length).toBe(1_000_000);
    for (let i = 0; i < 1_000_000; i += 997) {
      expect(big.high[i]!).toBeGreaterThanOrEqual(Math.max(big.open[i]!, big.close[i]!));
      expect(big.low[i]!).toBeLessThanOrEqual(Math.min(big.open[i]!, big.close[i]!));
    }
  });

  it.each([
    [{ start: '2024-01-01T00:00:30Z' }, /not on a 1m boundary; use 2024-01-01T00:00:00.000Z/],
    [{ start: 'soon' }, /"soon" is not a date/],
    [{ bars: -1 }, /bars must be a whole number/],
    [{ tickSize: 0 }, /tickSize > 0/],
    [{ timeframe: '1M' }, /fixed-length bars: use s\/m\/h\/d\/w timeframes, not 1M/],
    [{ timeframe: '5x' }, /not a timeframe/],
    [{ regimes: { meanBars: 0 } }, /meanBars must be ≥ 1/],
    [{ regimes: { weights: { trend_up: 0, trend_down: 0, range: 0, volatile: 0 } } }, /at least one above 0/],
  ])('rejects invalid options %o', (override, message) => {
    expect(() => generateCandles({ ...BASE, bars: 10, ...override })).toThrow(message);
  });
});
