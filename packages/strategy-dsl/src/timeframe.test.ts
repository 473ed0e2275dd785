import { describe, expect, it } from 'vitest';
import { bucketStart, isCalendarTimeframe, MONTH_MS, requireTimeframeMs, timeframeMs } from './timeframe';

describe('timeframes', () => {
  it('reads exchange notation into milliseconds', () => {
    expect(timeframeMs('1s')).toBe(1_000);
    expect(timeframeMs('15m')).toBe(900_000);
    expect(timeframeMs('4h')).toBe(14_400_000);
    expect(timeframeMs('1d')).toBe(86_400_000);
    expect(timeframeMs('1w')).toBe(604_800_000);
    expect(timeframeMs('1M')).toBe(MONTH_MS);
    expect(MONTH_MS / 86_400_000).toBeCloseTo(365.2425 / 12, 9);
  });

  it('refuses text that is not a timeframe, with a hint', () => {
    for (const bad of ['', '0m', '1y', 'm1', '1.5h', ' 1h']) expect(timeframeMs(bad)).toBeNull();
    expect(() => requireTimeframeMs('1y')).toThrow(/"1y" is not a timeframe: use a number and a unit/);
  });

  it('tells calendar months from fixed-length timeframes', () => {
    expect(isCalendarTimeframe('1M')).toBe(true);
    expect(isCalendarTimeframe('1m')).toBe(false);
  });

  it('puts a time in its bucket, weeks starting on Monday', () => {
    const wednesday = Date.parse('2024-01-03T15:30:00Z');
    expect(bucketStart(wednesday, 3_600_000)).toBe(Date.parse('2024-01-03T15:00:00Z'));
    expect(bucketStart(wednesday, 86_400_000)).toBe(Date.parse('2024-01-03T00:00:00Z'));
    expect(bucketStart(wednesday, 604_800_000)).toBe(Date.parse('2024-01-01T00:00:00Z'));
  });
});
