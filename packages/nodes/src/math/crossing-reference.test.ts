// crosses_above / crosses_below against technicalindicators' CrossUp / CrossDown on a real golden-cross
// setup: GOOG daily closes, SMA(20) against SMA(50), both averages also from technicalindicators.
import { crossDown, crossUp, SMA } from 'technicalindicators';
import { describe, expect, it } from 'vitest';
import { closes, readSharedBars, sharedDataExists } from '../test-support/market-data';
import { crossesAboveNode } from './crosses-above/crosses-above.node.ts';
import { crossesBelowNode } from './crosses-below/crosses-below.node.ts';
import { firstOutputs } from './kernel-feed';

describe.skipIf(!sharedDataExists)('crossings on GOOG daily closes, SMA(20) against SMA(50)', () => {
  const values = sharedDataExists ? closes(readSharedBars('GOOG.csv')) : [];
  const fast = SMA.calculate({ period: 20, values });
  const slow = SMA.calculate({ period: 50, values });
  // Align both averages on the bars where the slow one exists.
  const lineA = fast.slice(fast.length - slow.length);
  const lineB = slow;
  const rows = lineA.map((a, i) => [a, lineB[i] as number]);

  it('has no bar where the averages are exactly equal, where the two libraries define touches differently', () => {
    expect(rows.some(([a, b]) => a === b)).toBe(false);
  });

  it('finds the same golden crosses as technicalindicators (after the first bar, which it counts blindly)', () => {
    const reference = crossUp({ lineA, lineB });
    const ours = firstOutputs(crossesAboveNode, {}, rows);

    expect(ours.slice(1)).toEqual(reference.slice(1));
    expect(ours.filter(Boolean).length).toBeGreaterThan(10);
  });

  it('finds the same death crosses as technicalindicators', () => {
    const reference = crossDown({ lineA, lineB });
    const ours = firstOutputs(crossesBelowNode, {}, rows);

    expect(ours.slice(1)).toEqual(reference.slice(1));
    expect(ours.filter(Boolean).length).toBeGreaterThan(10);
  });

  it('alternates golden and death crosses', () => {
    const above = firstOutputs(crossesAboveNode, {}, rows);
    const below = firstOutputs(crossesBelowNode, {}, rows);
    const sequence = rows.flatMap((_, i) => (above[i] ? ['up'] : below[i] ? ['down'] : []));

    expect(sequence.every((kind, i) => i === 0 || kind !== sequence[i - 1])).toBe(true);
  });
});
