import { allNodeDefinitions } from '@candleflow/nodes';
import type { StrategyParam } from '@candleflow/strategy-dsl';
import { describe, expect, it } from 'vitest';
import { autoLayout, DEFAULT_NODE_SIZE, layoutPositions } from './layout';
import { latestDefinitions, paletteEntries, paletteGroups } from './palette';
import { commandFor, isTypingTarget, type KeyLike } from './shortcuts';
import {
  constraintError,
  newStrategyParam,
  retypeStrategyParam,
  strategyParamErrors,
} from './strategy-params';
import { exampleGraph, smallGraph } from './test-support/graphs';

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
});

describe('layout', () => {
  it('places every node left of the nodes it feeds', () => {
    const g = exampleGraph('ema-cross');
    const laid = autoLayout(g);
    const x = new Map(laid.nodes.map((n) => [n.id, n.position.x]));
    for (const e of g.edges) expect(x.get(e.source) as number).toBeLessThan(x.get(e.target) as number);
  });

  it('keeps nodes from overlapping, using the measured sizes', () => {
    const g = smallGraph();
    const sizes = new Map(g.nodes.map((n) => [n.id, { width: 300, height: 120 }]));
    const p = [...layoutPositions(g, sizes).values()].sort((a, b) => a.x - b.x);
    for (let i = 1; i < p.length; i++)
      expect((p[i]?.x ?? 0) - (p[i - 1]?.x ?? 0)).toBeGreaterThanOrEqual(300);
    expect(DEFAULT_NODE_SIZE.width).toBeGreaterThan(0);
  });
});

describe('shortcuts', () => {
  const key = (k: string, mods: Partial<KeyLike> = {}): KeyLike => ({
    key: k,
    ctrlKey: false,
    metaKey: false,
    shiftKey: false,
    altKey: false,
    ...mods,
  });

  it('maps Ctrl and Cmd combinations alike', () => {
    expect(commandFor(key('z', { ctrlKey: true }))).toBe('undo');
    expect(commandFor(key('z', { metaKey: true }))).toBe('undo');
    expect(commandFor(key('Z', { ctrlKey: true, shiftKey: true }))).toBe('redo');
    expect(commandFor(key('y', { ctrlKey: true }))).toBe('redo');
    expect(commandFor(key('c', { ctrlKey: true }))).toBe('copy');
    expect(commandFor(key('v', { metaKey: true }))).toBe('paste');
    expect(commandFor(key('d', { ctrlKey: true }))).toBe('duplicate');
    expect(commandFor(key('s', { ctrlKey: true }))).toBe('save');
    expect(commandFor(key('a', { ctrlKey: true }))).toBe('selectAll');
  });

  it('maps plain keys: delete, palette, layout, fit', () => {
    expect(commandFor(key('Delete'))).toBe('delete');
    expect(commandFor(key('Backspace'))).toBe('delete');
    expect(commandFor(key('/'))).toBe('palette');
    expect(commandFor(key('a'))).toBe('palette');
    expect(commandFor(key('L', { shiftKey: true }))).toBe('layout');
    expect(commandFor(key('F', { shiftKey: true }))).toBe('fitView');
    expect(commandFor(key('q'))).toBeNull();
    expect(commandFor(key('z', { ctrlKey: true, altKey: true }))).toBeNull();
  });

  it('recognises typing targets', () => {
    expect(isTypingTarget(null)).toBe(false);
    expect(isTypingTarget({ tagName: 'INPUT' } as unknown as EventTarget)).toBe(true);
    expect(isTypingTarget({ tagName: 'DIV', isContentEditable: true } as unknown as EventTarget)).toBe(true);
    expect(isTypingTarget({ tagName: 'DIV', closest: () => null } as unknown as EventTarget)).toBe(false);
  });
});

describe('strategy params', () => {
  const fast: StrategyParam = { name: 'fast', type: 'int', default: 12, min: 2, max: 50, step: 1 };

  it('accepts a valid declaration and names what is wrong with bad ones', () => {
    expect(strategyParamErrors([fast])).toEqual([{}]);
    const [dupA, dupB] = strategyParamErrors([fast, fast]);
    expect(dupA).toEqual({});
    expect(dupB?.name).toMatch(/declared twice/);
    expect(strategyParamErrors([{ ...fast, default: 60 }])[0]?.default).toMatch(/above the maximum 50/);
    expect(
      strategyParamErrors([{ ...fast, default: 1.5, min: undefined } as StrategyParam])[0]?.default,
    ).toMatch(/whole-number/);
    expect(strategyParamErrors([{ ...fast, name: '1bad' }])[0]?.name).toBeDefined();
    expect(strategyParamErrors([{ ...fast, min: 10, max: 5, default: 7 }])[0]?.max).toMatch(
      /below the minimum/,
    );
  });

  it('checks constraints parse and name declared params', () => {
    expect(constraintError('fast < slow', [fast, { ...fast, name: 'slow' }])).toBeNull();
    expect(constraintError('fast < slow', [fast])).toMatch(/“slow” is not a declared/);
    expect(constraintError('fast <', [fast])).toMatch(/is not a constraint/);
    expect(constraintError('fast >= 3', [fast])).toBeNull();
  });

  it('adds params with free names and retypes them with a fitting default', () => {
    expect(newStrategyParam([]).name).toBe('param');
    expect(newStrategyParam([{ ...fast, name: 'param' }]).name).toBe('param_2');
    expect(retypeStrategyParam(fast, 'boolean')).toEqual({ name: 'fast', type: 'boolean', default: false });
    expect(retypeStrategyParam({ ...fast, default: 2.6 }, 'int').default).toBe(3);
    expect(retypeStrategyParam(fast, 'string').default).toBe('');
  });
});
