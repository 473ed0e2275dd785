import { describe, expect, it } from 'vitest';
import { annualisedLinearly } from './walk-forward';

const HOUR = 3_600_000;
const hourly = Array.from({ length: 24 * 400 }, (_, i) => i * HOUR);

describe('annualisedLinearly', () => {
  it("scales a window's return to a year without compounding", () => {
    // 730 hourly bars span 730 hours = 1/12 of a 365-day year.
    expect(annualisedLinearly(30, { from: 0, to: 730 }, hourly)).toBeCloseTo(360, 6);
    // A whole year stays what it is.
    expect(annualisedLinearly(-12, { from: 100, to: 100 + 8760 }, hourly)).toBeCloseTo(-12, 6);
  });

  it('is null without a return or with a window too short to have a length', () => {
    expect(annualisedLinearly(undefined, { from: 0, to: 730 }, hourly)).toBeNull();
    expect(annualisedLinearly(5, { from: 3, to: 4 }, hourly)).toBeNull();
  });
});
