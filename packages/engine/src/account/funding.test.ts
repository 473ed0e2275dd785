import { describe, expect, it } from 'vitest';
import { fundingEventsBetween, validateFundingModel } from './funding';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const JAN_1 = Date.UTC(2024, 0, 1);

describe('fundingEventsBetween', () => {
  it('lists fixed funding times after the start and up to and including the end', () => {
    const model = { kind: 'fixed', rate: 0.0001, intervalHours: 8 } as const;

    const events = fundingEventsBetween(model, JAN_1, JAN_1 + DAY);

    expect(events).toEqual([
      { time: JAN_1 + 8 * HOUR, rate: 0.0001 },
      { time: JAN_1 + 16 * HOUR, rate: 0.0001 },
      { time: JAN_1 + DAY, rate: 0.0001 },
    ]);
  });

  it('restarts an interval that does not divide 24 hours at 00:00 UTC', () => {
    const model = { kind: 'fixed', rate: 0.0001, intervalHours: 5 } as const;

    const times = fundingEventsBetween(model, JAN_1 + 19 * HOUR, JAN_1 + DAY + 6 * HOUR).map((e) => e.time);

    // 20:00, then midnight (not 01:00), then 05:00.
    expect(times).toEqual([JAN_1 + 20 * HOUR, JAN_1 + DAY, JAN_1 + DAY + 5 * HOUR]);
  });

  it('lists series points after the start and up to and including the end', () => {
    const points = [1, 2, 3, 4].map((h) => ({ time: JAN_1 + h * HOUR, rate: h / 10_000 }));

    const events = fundingEventsBetween({ kind: 'series', points }, JAN_1 + 1 * HOUR, JAN_1 + 3 * HOUR);

    expect(events).toEqual([points[1], points[2]]);
  });

  it('lists nothing for the none model or an empty window', () => {
    expect(fundingEventsBetween({ kind: 'none' }, 0, DAY)).toEqual([]);
    expect(fundingEventsBetween({ kind: 'fixed', rate: 0.0001, intervalHours: 8 }, DAY, DAY)).toEqual([]);
  });
});

describe('validateFundingModel', () => {
  it('refuses an unsorted or duplicated funding series', () => {
    const points = [
      { time: 2, rate: 0 },
      { time: 2, rate: 0 },
    ];

    expect(() => validateFundingModel({ kind: 'series', points })).toThrow(/point 1 .* is not after point 0/);
  });

  it('refuses a non-finite series value and a non-finite fixed rate', () => {
    expect(() => validateFundingModel({ kind: 'series', points: [{ time: 1, rate: Number.NaN }] })).toThrow(
      /non-finite/,
    );
    expect(() =>
      validateFundingModel({ kind: 'fixed', rate: Number.POSITIVE_INFINITY, intervalHours: 8 }),
    ).toThrow(/finite/);
  });
});
