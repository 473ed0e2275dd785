import { describe, expect, it } from 'vitest';
import { parseTimestamp } from './csv/timestamps';
import { addMonths, formatTimeframe, monthsBetween, requireTimeframeStep, timeframeStep } from './timeframe';

describe('timeframes', () => {
  it.each([
    [1_000, '1s'],
    [90_000, '90s'],
    [60_000, '1m'],
    [5_400_000, '90m'],
    [14_400_000, '4h'],
    [86_400_000, '1d'],
    [172_800_000, '2d'],
    [604_800_000, '1w'],
  ])('names %d ms as %s', (ms, name) => {
    expect(formatTimeframe(ms)).toBe(name);
    expect(timeframeStep(name)).toEqual({ kind: 'fixed', ms });
  });

  it('refuses lengths that are not whole seconds and names that are not timeframes', () => {
    expect(() => formatTimeframe(1_500)).toThrow(/not a whole number of seconds/);
    expect(timeframeStep('1M')).toEqual({ kind: 'month' });
    expect(() => requireTimeframeStep('2M')).toThrow(/1M for calendar months/);
  });

  it('counts calendar months between month-end bars and same-day bars', () => {
    expect(monthsBetween(Date.UTC(2024, 0, 31), Date.UTC(2024, 1, 29))).toBe(1);
    expect(monthsBetween(Date.UTC(2023, 1, 28), Date.UTC(2023, 2, 31))).toBe(1);
    expect(monthsBetween(Date.UTC(2024, 0, 15), Date.UTC(2024, 3, 15))).toBe(3);
    expect(monthsBetween(Date.UTC(2024, 0, 15), Date.UTC(2024, 1, 16))).toBeNull();
    expect(monthsBetween(Date.UTC(2024, 0, 1), Date.UTC(2024, 1, 1, 1))).toBeNull();
    expect(monthsBetween(Date.UTC(2024, 1, 1), Date.UTC(2024, 1, 1))).toBeNull();
  });

  it('adds months keeping a month-end anchor and clamping other days', () => {
    expect(addMonths(Date.UTC(2024, 0, 31), 1)).toBe(Date.UTC(2024, 1, 29));
    expect(addMonths(Date.UTC(2024, 1, 29), 1)).toBe(Date.UTC(2024, 2, 31));
    expect(addMonths(Date.UTC(2023, 10, 15, 6), 3)).toBe(Date.UTC(2024, 1, 15, 6));
    expect(addMonths(Date.UTC(1969, 11, 1), 1)).toBe(Date.UTC(1970, 0, 1));
  });
});

describe('parseTimestamp', () => {
  const instant = Date.UTC(2017, 3, 19, 9, 30, 15, 250);

  it.each([
    ['1492594215.25', 'epoch-s'],
    ['1492594215250', 'epoch-ms'],
    ['1492594215250000', 'epoch-us'],
    ['1492594215250000000', 'epoch-ns'],
    ['2017-04-19T09:30:15.250Z', 'iso'],
    ['2017-04-19 09:30:15.25', 'iso'],
    ['2017/04/19 11:30:15,250+02:00', 'iso'],
    ['2017-04-19T04:30:15.250-0500', 'iso'],
    ['2017-04-19 09:30:15.250 UTC', 'iso'],
  ])('reads %s as the same instant (%s)', (text, format) => {
    expect(parseTimestamp(text)).toEqual({ ms: instant, format });
  });

  it('reads a bare date as midnight UTC', () => {
    expect(parseTimestamp('2017-04-19')).toEqual({ ms: Date.UTC(2017, 3, 19), format: 'iso' });
  });

  it.each(['', '2017-13-01', '2017-04-19 24:00', '19/04/2017', '2017-04-19T09:60'])('refuses %j', (text) => {
    expect(typeof parseTimestamp(text)).toBe('string');
  });
});
