import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RETURN_PERIODS } from './report';
import { decodeReturns, encodeReturns, periodReturns } from './returns';

describe('periodReturns', () => {
  it('cuts a curve into equal buckets whose returns compound to the total return', () => {
    const equity = Array.from({ length: 10_001 }, (_, i) => 100 * 1.0001 ** i);

    const returns = periodReturns(equity);

    expect(returns.length).toBe(RETURN_PERIODS);
    const compounded = returns.reduce((acc, r) => acc * (1 + r), 1);
    expect(compounded).toBeCloseTo(equity.at(-1)! / 100, 4);
    // Equal buckets of a constant-growth curve have (nearly) equal returns.
    expect(Math.max(...returns) / Math.min(...returns)).toBeLessThan(1.1);
  });

  it('keeps one return per step when the curve is shorter than the periods', () => {
    expect([...periodReturns([100, 110, 99], 480)].map((r) => Number(r.toFixed(6)))).toEqual([0.1, -0.1]);
    expect(periodReturns([100])).toHaveLength(0);
  });

  it('reports no return after equity reaches zero', () => {
    expect([...periodReturns([100, 0, 0, 50], 3)]).toEqual([-1, 0, 0]);
  });

  it('refuses a period count that is not a positive integer', () => {
    expect(() => periodReturns([1, 2], 0)).toThrow(/positive integer/);
  });
});

describe('encodeReturns / decodeReturns', () => {
  it('round-trips any float32 series through little-endian bytes', () => {
    fc.assert(
      fc.property(fc.array(fc.float({ noNaN: true }), { maxLength: 600 }), (values) => {
        const returns = Float32Array.from(values);
        const bytes = encodeReturns(returns);
        expect(bytes.length).toBe(returns.length * 4);
        expect([...decodeReturns(bytes)]).toEqual([...returns]);
      }),
    );
  });

  it('writes little-endian whatever the machine', () => {
    expect([...encodeReturns(Float32Array.of(1))]).toEqual([0, 0, 0x80, 0x3f]);
  });

  it('refuses bytes that are not whole float32 values', () => {
    expect(() => decodeReturns(new Uint8Array(5))).toThrow(/5 bytes/);
  });
});
