import type { AnyNodeDefinition, CreateContext } from '@candleflow/strategy-dsl';
import { describe, expect, it } from 'vitest';
import { dataNodes } from './data/index';
import { allNodeDefinitions, catalog } from './index';
import { indicatorsNodes } from './indicators/index';
import { mathNodes } from './math/index';
import { ordersNodes } from './orders/index';
import { signalsNodes } from './signals/index';
import { sizingNodes } from './sizing/index';

const label = (definition: AnyNodeDefinition) => `${definition.type}@${definition.version}`;

function createContext(definition: AnyNodeDefinition): CreateContext {
  return {
    nodeId: 'catalog_check',
    baseTimeframeMs: 60_000,
    connected: new Set(definition.inputs.map((port) => port.name)),
  };
}

describe('node catalog', () => {
  it('holds every category list and nothing else', () => {
    const lists = [dataNodes, indicatorsNodes, mathNodes, signalsNodes, sizingNodes, ordersNodes];
    expect(allNodeDefinitions).toHaveLength(lists.reduce((sum, list) => sum + list.length, 0));
    expect(catalog.all()).toHaveLength(allNodeDefinitions.length);
  });

  it('has no two definitions with the same type and version', () => {
    const keys = allNodeDefinitions.map(label);
    const repeated = keys.filter((key, index) => keys.indexOf(key) !== index);
    expect(repeated).toEqual([]);
  });

  it.each([
    ['math', mathNodes, ['math', 'logic']],
    ['signals', signalsNodes, ['signals']],
    ['sizing', sizingNodes, ['sizing', 'exits']],
    ['orders', ordersNodes, ['orders']],
  ] as const)('files the %s folder under its own palette categories', (_folder, definitions, categories) => {
    const misfiled = definitions
      .filter((d) => !(categories as readonly string[]).includes(d.category))
      .map(label);
    expect(misfiled).toEqual([]);
  });

  describe.each(allNodeDefinitions.map((definition) => [label(definition), definition] as const))(
    '%s',
    (_, definition) => {
      it('has a snake_case type, a positive integer version, a title and a one-line description', () => {
        expect(definition.type).toMatch(/^[a-z][a-z0-9_]*$/);
        expect(Number.isInteger(definition.version) && definition.version >= 1).toBe(true);
        expect(definition.title.trim()).not.toBe('');
        expect(definition.description.trim().length).toBeGreaterThan(10);
        expect(definition.description).not.toMatch(/\n/);
      });

      it('has uniquely named ports, each described', () => {
        for (const ports of [definition.inputs, definition.outputs]) {
          const names = ports.map((port) => port.name);
          expect(new Set(names).size).toBe(names.length);
          for (const port of ports) expect(port.description.trim(), port.name).not.toBe('');
        }
        expect(definition.outputs.length).toBeGreaterThan(0);
      });

      it('parses its parameters from {} and reports a non-negative integer warm-up for them', () => {
        const params = definition.params.parse({});
        const warmup = definition.warmup(params);
        expect(Number.isInteger(warmup) && warmup >= 0).toBe(true);
      });

      it('finds nothing wrong with its defaults when every input is connected', () => {
        const params = definition.params.parse({});
        const ctx = createContext(definition);
        expect(definition.check?.(params, { connected: ctx.connected ?? new Set() }) ?? []).toEqual([]);
      });

      it('creates an evaluator from its defaults whose snapshot survives a JSON round trip', () => {
        const params = definition.params.parse({});
        const evaluator = definition.create(params, createContext(definition));
        const snapshot = evaluator.snapshot();
        const stored = JSON.parse(JSON.stringify(snapshot));
        expect(stored).toEqual(snapshot);

        const restored = definition.create(params, createContext(definition));
        restored.restore(stored);
        expect(restored.snapshot()).toEqual(snapshot);
      });
    },
  );
});
