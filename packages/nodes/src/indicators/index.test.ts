// The indicators and data lists the catalog is built from: every node type once, each with usable defaults.
import { createCatalog } from '@candleflow/strategy-dsl';
import { describe, expect, it } from 'vitest';
import { dataNodes } from '../data/index';
import { indicatorsNodes } from './index';

describe('indicator and data node lists', () => {
  it('hold every node type of both categories exactly once', () => {
    const types = [...dataNodes, ...indicatorsNodes].map((d) => d.type).sort();

    expect(types).toEqual(
      [
        'candles',
        'resample',
        'previous',
        'constant',
        'sma',
        'ema',
        'wma',
        'rsi',
        'macd',
        'bollinger',
        'atr',
        'stochastic',
        'adx',
        'vwap',
        'obv',
        'cci',
        'donchian',
        'keltner',
        'supertrend',
        'highest',
        'lowest',
        'roc',
        'stddev',
        'zscore',
      ].sort(),
    );
    expect(() => createCatalog([...dataNodes, ...indicatorsNodes])).not.toThrow();
  });

  it('file each node under its own category', () => {
    expect(dataNodes.every((d) => d.category === 'data')).toBe(true);
    expect(indicatorsNodes.every((d) => d.category === 'indicators')).toBe(true);
  });
});
