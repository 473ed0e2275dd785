import { allNodeDefinitions } from '@candleflow/nodes';
import { describe, expect, it } from 'vitest';
import { latestDefinitions, paletteEntries, paletteGroups } from './palette';

describe('palette', () => {
  it('lists every node type exactly once across the groups', () => {
    const listed = paletteEntries(paletteGroups(allNodeDefinitions)).map((d) => d.type);
    expect(listed.sort()).toEqual([...new Set(allNodeDefinitions.map((d) => d.type))].sort());
  });

  it('groups math and logic together and orders groups from data to orders', () => {
    const groups = paletteGroups(allNodeDefinitions);
    expect(groups.map((g) => g.title)).toEqual([
      'Data',
      'Indicators',
      'Math & logic',
      'Signals',
      'Sizing & exits',
      'Orders',
    ]);
    expect(groups[2]?.definitions.some((d) => d.type === 'crosses_above')).toBe(true);
  });

  it('filters by every word of the query, case-insensitively, and drops empty groups', () => {
    const groups = paletteGroups(allNodeDefinitions, 'EXPONENTIAL average');
    const types = paletteEntries(groups).map((d) => d.type);
    expect(types).toContain('ema');
    expect(types).not.toContain('sma');
    expect(paletteGroups(allNodeDefinitions, 'zzzz-no-match')).toEqual([]);
  });

  it('offers only the newest version of a type', () => {
    const ema = allNodeDefinitions.find((d) => d.type === 'ema');
    const v2 = { ...ema, version: 2 } as (typeof allNodeDefinitions)[number];
    expect(latestDefinitions([ema as never, v2]).map((d) => d.version)).toEqual([2]);
  });

  it('puts the node whose name matches before ones that only mention the word', () => {
    const first = (q: string) => paletteEntries(paletteGroups(allNodeDefinitions, q))[0]?.type;
    expect(first('rsi')).toBe('rsi');
    expect(first('ema')).toBe('ema');
    expect(first('stop')).toBe('stop_loss');
    expect(first('cross')).toBe('crosses_above');
  });
});
