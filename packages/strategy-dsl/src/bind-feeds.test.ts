import { describe, expect, it } from 'vitest';
import { bindFeedsToData } from './bind-feeds';
import { createTestCatalog, graph } from './test-support/index';

const catalog = createTestCatalog();

function feeds(symbols: readonly string[], timeframe = '1h') {
  return graph(
    symbols.map((symbol, i) => ({ id: `c${i}`, type: 'candles', params: { symbol, timeframe } })),
    [],
  );
}

describe('bindFeedsToData', () => {
  it('points a single-symbol strategy at the data and says what changed', () => {
    const bound = bindFeedsToData(feeds(['BTC/USDT']), catalog, { symbol: 'GOOG/USD', timeframe: '1d' });

    expect(bound.graph.nodes?.[0]?.params).toEqual({ symbol: 'GOOG/USD', timeframe: '1d' });
    expect(bound.notes).toEqual([
      "the strategy's BTC/USDT candles read GOOG/USD",
      "the strategy's 1h candles read the data's 1d bars",
    ]);
  });

  it('returns the same graph when the data already matches', () => {
    const input = feeds(['BTC/USDT']);
    const bound = bindFeedsToData(input, catalog, { symbol: 'BTC/USDT', timeframe: '1h' });

    expect(bound.graph).toBe(input);
    expect(bound.notes).toEqual([]);
  });

  it('leaves strategies that read several symbols to bind by name', () => {
    const input = feeds(['BTC/USDT', 'ETH/USDT']);
    expect(bindFeedsToData(input, catalog, { symbol: 'SOL/USDT', timeframe: '1m' }).graph).toBe(input);
  });
});
