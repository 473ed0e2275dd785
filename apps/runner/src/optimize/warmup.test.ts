import { readFileSync } from 'node:fs';
import { buildSearchSpace, type SearchSpace } from '@candleflow/optimize';
import { type GraphInput, GraphSchema } from '@candleflow/strategy-dsl';
import { describe, expect, it } from 'vitest';
import { optimizationWarmupBars } from './warmup';

const graph = JSON.parse(
  readFileSync(new URL('../../../../examples/ema-cross.json', import.meta.url), 'utf8'),
) as GraphInput;
const data = { symbol: 'BTC/USDT', timeframe: '1h' };

function space(ranges: Parameters<typeof buildSearchSpace>[2]): SearchSpace {
  const parsed = GraphSchema.parse(graph);
  const built = buildSearchSpace(parsed.params, parsed.constraints, ranges);
  if (!built.ok) throw new Error(JSON.stringify(built.issues));
  return built.space;
}

const fixedAll = {
  fast: { fixed: 12 },
  slow: { fixed: 26 },
  rsiPeriod: { fixed: 14 },
  rsiMax: { fixed: 70 },
};

describe('optimizationWarmupBars', () => {
  it('is the warm-up of the longest lookback the search can choose, not of the defaults', () => {
    const narrow = optimizationWarmupBars(
      graph,
      space({ ...fixedAll, atrMult: { min: 1, max: 2, step: 1 } }),
      data,
    );
    const longSlow = optimizationWarmupBars(
      graph,
      space({ ...fixedAll, slow: { min: 20, max: 250, step: 10 }, atrMult: { min: 1, max: 2, step: 1 } }),
      data,
    );

    expect(narrow).toBeGreaterThanOrEqual(26);
    expect(narrow).toBeLessThan(100);
    expect(longSlow).toBeGreaterThanOrEqual(250);
  });

  it('skips parameter sets that break a constraint rather than failing', () => {
    // fast at its max (60) with slow at its default (26) breaks fast < slow; the search never runs it.
    const bars = optimizationWarmupBars(
      graph,
      space({ ...fixedAll, fast: { min: 5, max: 60, step: 5 }, slow: { min: 70, max: 80, step: 10 } }),
      data,
    );

    expect(bars).toBeGreaterThanOrEqual(80);
  });
});
