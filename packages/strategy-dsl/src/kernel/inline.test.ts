import { describe, expect, it } from 'vitest';
import { compile } from '../compiler/index';
import { type AnyNodeDefinition, type Bar, createCatalog, type InlineSpec, type Value } from '../contract';
import type { GraphInput } from '../graph';
import type { Plan } from '../plan';
import { graph, randomWalkBars, smaCrossGraph, testNodeDefinitions } from '../test-support/index';
import { checkInlineSource, generateStepSource } from './codegen';
import { createKernel } from './kernel';

const SYMBOL = 'BTC/USDT';
const byType = (type: string) => testNodeDefinitions.find((d) => d.type === type)!;

/** The test catalog with some definitions replaced (an inline spec added, `pure` set). */
function planWith(input: GraphInput, ...replacements: AnyNodeDefinition[]): Plan {
  const definitions = testNodeDefinitions.map(
    (d) => replacements.find((r) => r.type === d.type && r.version === d.version) ?? d,
  );
  const result = compile(input, createCatalog(definitions));
  if (!result.ok) throw new Error(result.diagnostics.map((d) => d.message).join('\n'));
  return result.plan;
}

/** An inline compare (a > b) for the fake catalog. */
function inlineCompare(update: InlineSpec['update']): AnyNodeDefinition {
  return {
    ...byType('compare'),
    inline: { state: () => ({ scalars: [] }), update, snapshot: () => ({}), restore: () => {} },
  };
}

const feed = (bar: Bar | undefined) => new Map(bar ? [[SYMBOL, bar]] : []);

describe('checkInlineSource', () => {
  it('accepts expressions over handed-out identifiers and the allowed words', () => {
    expect(() =>
      checkInlineSource(
        'const t0 = Math.max(F[1], 2.5e-3); if (t0 > 0) z0 += t0;',
        new Set(['F', 't0', 'z0']),
        'x',
      ),
    ).not.toThrow();
  });

  it.each([
    ['a string literal', 'F[1] = "x";', /characters outside plain expressions/],
    ['a template literal', 'F[1] = `x`;', /characters outside plain expressions/],
    ['a global', 'process.exit(1);', /uses the identifier process/],
    ['a property hop from a number', 'F[1] = 1.constructor;', /uses the identifier constructor/],
    ['an identifier it was not handed', 'F[1] = Z[3];', /uses the identifier Z/],
  ])('refuses %s', (_, source, message) => {
    expect(() => checkInlineSource(source, new Set(['F']), 'node type test@1')).toThrow(message);
  });
});

describe('inline code generation', () => {
  it('runs a node inline and gives the evaluator values', () => {
    const compare = inlineCompare((c) => c.write(0, `${c.input(0)} > ${c.input(1)}`));
    const plan = planWith(smaCrossGraph(3), compare);
    const source = generateStepSource(plan);
    const bars = randomWalkBars(60, 4).map((bar, i) => (i % 9 === 8 ? undefined : bar));

    const run = (mode: 'fast' | 'evaluator') => {
      const kernel = createKernel(plan, { mode });
      return bars.map((bar, i) => [kernel.step(feed(bar), i).length, kernel.value('above', 'result')]);
    };

    expect(source).not.toContain('e2.update');
    expect(run('fast')).toEqual(run('evaluator'));
  });

  it('refuses inline code that splices a parameter into the source, naming only the node type', () => {
    const compare = inlineCompare((c) => c.write(0, `${c.input(0)} ${String(c.params.op)} ${c.input(1)}`));
    const plan = planWith(smaCrossGraph(3), compare);
    expect(() => generateStepSource(plan)).toThrow(/node type compare@1 uses the identifier/);
    expect(() => createKernel(plan, { mode: 'fast' })).toThrow(/only the identifiers its context hands out/);
  });

  it('refuses a state cell, constant or input the spec did not declare', () => {
    const cases: InlineSpec['update'][] = [
      (c) => c.write(0, c.state(0)),
      (c) => c.write(0, c.constant(1)),
      (c) => c.write(0, c.input(5)),
      (c) => c.write(3, 'true'),
    ];
    for (const update of cases) {
      const plan = planWith(smaCrossGraph(3), inlineCompare(update));
      expect(() => generateStepSource(plan)).toThrow(
        /compare@1 asks for (state cell|constant|input|output) \d+, but it declares \d+/,
      );
    }
  });

  it('says which mode to fall back to when inline code does not compile', () => {
    const plan = planWith(
      smaCrossGraph(3),
      inlineCompare((c) => `${c.write(0, 'true')} )`),
    );
    expect(() => createKernel(plan, { mode: 'fast' })).toThrow(/does not compile.*evaluator mode/);
  });
});

describe('pure nodes', () => {
  /** Counts its updates; outputs a fresh exit per update, like the ATR stop. */
  function countingStop() {
    const counter = { updates: 0 };
    const definition: AnyNodeDefinition = {
      ...byType('stop_loss'),
      pure: true,
      create: () => ({
        update(_inputs: readonly Value[], out: Value[]) {
          counter.updates++;
          out[0] = { kind: 'stop_loss', percent: 2 };
        },
        snapshot: () => ({}),
        restore: () => {},
      }),
    };
    return { counter, definition };
  }

  function stopGraph(): GraphInput {
    return graph(
      [
        { id: 'btc', type: 'candles', params: { symbol: SYMBOL, timeframe: '1m' } },
        { id: 'avg', type: 'sma', params: { period: 5 } },
        { id: 'above', type: 'compare' },
        { id: 'entry', type: 'enter_long' },
        { id: 'stop', type: 'stop_loss' },
        { id: 'buy', type: 'market_order' },
      ],
      [
        'btc.close -> avg.source',
        'btc.close -> above.a',
        'avg.value -> above.b',
        'above.result -> entry.when',
        'entry.signal -> buy.signal',
        'stop.exit -> buy.exits',
      ],
    );
  }

  it.each(['fast', 'evaluator'] as const)(
    'run only on steps where a reader updates, and still show their value (%s mode)',
    (mode) => {
      const { counter, definition } = countingStop();
      const plan = planWith(stopGraph(), definition);
      const kernel = createKernel(plan, { mode });
      const bars = randomWalkBars(80, 8);

      let orders = 0;
      let lastStepOrdered = false;
      bars.forEach((bar, i) => {
        const placed = kernel.step(feed(bar), i).length;
        orders += placed;
        lastStepOrdered = placed > 0;
      });
      const updatesBeforeRead = counter.updates;
      const value = kernel.value('stop', 'exit');

      expect(orders).toBeGreaterThan(0);
      expect(orders).toBeLessThan(bars.length);
      expect(updatesBeforeRead).toBe(orders);
      expect(value).toEqual({ kind: 'stop_loss', percent: 2 });
      expect(counter.updates).toBe(orders + (lastStepOrdered ? 0 : 1));
    },
  );

  it('settle before a snapshot, and a restored kernel does not run them again for that step', () => {
    const { counter, definition } = countingStop();
    const plan = planWith(stopGraph(), definition);
    const kernel = createKernel(plan, { mode: 'fast' });
    const [bar] = randomWalkBars(1, 2);
    kernel.step(feed(bar), 0);

    const snapshot = JSON.parse(JSON.stringify(kernel.snapshot()));
    const restored = createKernel(plan, { mode: 'evaluator' });
    const before = counter.updates;
    restored.restore(snapshot);

    expect(snapshot.slots).toContainEqual({ kind: 'stop_loss', percent: 2 });
    expect(restored.value('stop', 'exit')).toEqual({ kind: 'stop_loss', percent: 2 });
    expect(counter.updates).toBe(before);
  });
});
