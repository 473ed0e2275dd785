import { createHash } from 'node:crypto';
import { ENGINE_VERSION } from '@candleflow/engine';
import type { GraphInput, GraphNode, StrategyParam } from '@candleflow/strategy-dsl';
import { describe, expect, it } from 'vitest';
import {
  backtestCacheKey,
  canonicalJson,
  runCacheKey,
  settingsHash,
  strategyResultHash,
  trialResultKey,
} from './cache-key';

const parts = { versionHash: 'v1', dataHash: 'd1', settingsHash: 's1' };

describe('canonicalJson', () => {
  it('sorts keys at every level and drops undefined fields', () => {
    expect(canonicalJson({ b: 1, a: { d: [{ z: 1, y: 2 }], c: undefined } })).toBe(
      '{"a":{"d":[{"y":2,"z":1}]},"b":1}',
    );
  });

  it('refuses numbers JSON cannot carry, naming where they are', () => {
    expect(() => canonicalJson({ fees: { taker: Number.NaN } })).toThrow(/\$\.fees\.taker is NaN/);
  });
});

describe('settingsHash', () => {
  it('is the same for the same settings written in another key order', () => {
    expect(settingsHash({ cash: 1000, fee: 0.001 })).toBe(settingsHash({ fee: 0.001, cash: 1000 }));
  });

  it('is the sha256 of the canonical text', () => {
    const expected = createHash('sha256').update('{"a":1,"b":2}').digest('hex');

    expect(settingsHash({ b: 2, a: 1 })).toBe(expected);
  });
});

describe('backtestCacheKey', () => {
  it('uses the current engine version by default', () => {
    expect(backtestCacheKey(parts)).toBe(backtestCacheKey({ ...parts, engineVersion: ENGINE_VERSION }));
  });

  it('changes when any part changes, including the engine version', () => {
    const keys = new Set([
      backtestCacheKey(parts),
      backtestCacheKey({ ...parts, versionHash: 'v2' }),
      backtestCacheKey({ ...parts, dataHash: 'd2' }),
      backtestCacheKey({ ...parts, settingsHash: 's2' }),
      backtestCacheKey({ ...parts, engineVersion: `${ENGINE_VERSION}-next` }),
    ]);

    expect(keys.size).toBe(5);
  });

  it('cannot be forged by moving text between parts', () => {
    expect(backtestCacheKey({ ...parts, versionHash: 'v1d', dataHash: '1' })).not.toBe(
      backtestCacheKey({ ...parts, versionHash: 'v1', dataHash: 'd1' }),
    );
  });
});

describe('strategyResultHash', () => {
  const graph = (overrides: Partial<GraphInput> = {}): GraphInput & { params: StrategyParam[] } => ({
    schemaVersion: 1 as const,
    name: 'EMA cross',
    params: [
      { name: 'fast', type: 'int' as const, default: 12, min: 2, max: 50, description: 'Fast EMA period' },
      { name: 'slow', type: 'int' as const, default: 26, min: 5, max: 200 },
    ],
    nodes: [
      {
        id: 'candles',
        type: 'candles',
        version: 1,
        params: {} as GraphNode['params'],
        position: { x: 0, y: 0 },
      },
      {
        id: 'ema',
        type: 'ema',
        version: 1,
        params: { period: { $param: 'fast' } },
        position: { x: 1, y: 1 },
      },
    ],
    edges: [{ source: 'candles', sourcePort: 'close', target: 'ema', targetPort: 'input' }],
    ...overrides,
  });

  it('equals for a version whose defaults are the values a trial ran with', () => {
    const applied = graph();
    applied.params[0]!.default = 8;
    applied.params[1]!.default = 30;

    expect(strategyResultHash(applied, {})).toBe(strategyResultHash(graph(), { fast: 8, slow: 30 }));
    expect(strategyResultHash(applied, {})).not.toBe(strategyResultHash(graph(), { fast: 9, slow: 30 }));
  });

  it('ignores the name, the description, node positions and parameter descriptions', () => {
    const moved = graph({ name: 'Renamed', description: 'now described' });
    moved.nodes[1]!.position = { x: 500, y: 500 };
    delete moved.params[0]!.description;

    expect(strategyResultHash(moved, {})).toBe(strategyResultHash(graph(), {}));
  });

  it('changes with anything that decides the result', () => {
    const rewired = graph();
    rewired.nodes[1]!.params = { period: 20 };

    expect(strategyResultHash(rewired, {})).not.toBe(strategyResultHash(graph(), {}));
  });
});

describe('trialResultKey', () => {
  const key = {
    resultHash: 'r',
    dataHash: 'd',
    window: { from: 100, to: 900 },
    warmupBars: 26,
    settingsHash: 's',
  };

  it('is stable and differs with each part', () => {
    expect(trialResultKey(key)).toBe(trialResultKey({ ...key }));
    const variants = [
      { ...key, resultHash: 'r2' },
      { ...key, dataHash: 'd2' },
      { ...key, window: { from: 100, to: 901 } },
      { ...key, window: { from: 101, to: 900 } },
      { ...key, warmupBars: 27 },
      { ...key, settingsHash: 's2' },
      { ...key, engineVersion: 'other' },
    ];
    const keys = new Set([trialResultKey(key), ...variants.map(trialResultKey)]);
    expect(keys.size).toBe(variants.length + 1);
  });

  it('never equals a backtest cache key of the same parts', () => {
    expect(trialResultKey(key)).not.toBe(
      backtestCacheKey({ versionHash: 'r', dataHash: 'd', settingsHash: 's' }),
    );
  });
});

describe('runCacheKey', () => {
  const graph = {
    schemaVersion: 1 as const,
    name: 'one param',
    params: [{ name: 'n', type: 'int' as const, default: 5, min: 1, max: 9 }],
    nodes: [],
  };
  const backtest = { initialCash: 1000 };

  it('keys a run with parameter values like a run of a version with those values as defaults', () => {
    const asDefaults = { ...graph, params: [{ ...graph.params[0]!, default: 7 }] };

    expect(runCacheKey(graph, { paramValues: { n: 7 }, backtest }, 'd')).toBe(
      runCacheKey(asDefaults, { backtest }, 'd'),
    );
    expect(runCacheKey(graph, { paramValues: { n: 6 }, backtest }, 'd')).not.toBe(
      runCacheKey(asDefaults, { backtest }, 'd'),
    );
  });

  it('changes with the settings and the data', () => {
    const base = runCacheKey(graph, { backtest }, 'd');
    expect(runCacheKey(graph, { backtest: { initialCash: 2000 } }, 'd')).not.toBe(base);
    expect(runCacheKey(graph, { backtest }, 'e')).not.toBe(base);
  });
});
