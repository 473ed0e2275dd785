import { allNodeDefinitions } from '@candleflow/nodes';
import type { NodeDefinition, StrategyParam } from '@candleflow/strategy-dsl';
import { describe, expect, it } from 'vitest';
import {
  bindableParams,
  defaultParams,
  deriveFields,
  type FieldSpec,
  humanize,
  parseFieldInput,
  validateParams,
} from './schema-form';

const defs = allNodeDefinitions as readonly NodeDefinition[];
const byType = (type: string) => defs.find((d) => d.type === type) as NodeDefinition;

/** A value just past a bound, by the field's step (or 1 for integers). */
function beyond(f: FieldSpec, bound: number, dir: 1 | -1): number {
  return bound + dir * (f.kind === 'integer' ? 1 : Math.min(f.step ?? 0.01, 0.01));
}

describe('deriveFields for every node type in the catalog', () => {
  for (const def of defs) {
    describe(`${def.type} v${def.version}`, () => {
      const fields = deriveFields(def);
      const parsedDefaults = def.params.parse({}) as Record<string, unknown>;

      it('has one field per parameter, in schema order', () => {
        expect(fields.map((f) => f.name)).toEqual(Object.keys(parsedDefaults));
      });

      it('starts new nodes with the schema defaults', () => {
        expect(defaultParams(def)).toEqual(parsedDefaults);
      });

      it('gives every field a kind matching its default value', () => {
        for (const f of fields) {
          const v = parsedDefaults[f.name];
          if (f.kind === 'integer') expect(Number.isInteger(v)).toBe(true);
          else if (f.kind === 'number') expect(typeof v).toBe('number');
          else if (f.kind === 'boolean') expect(typeof v).toBe('boolean');
          else expect(typeof v).toBe('string');
        }
      });

      it('offers enum options that all validate, and bounds that zod enforces', () => {
        for (const f of fields) {
          const check = (value: unknown) =>
            def.params.safeParse({ ...parsedDefaults, [f.name]: value }).success;
          for (const o of f.options ?? []) expect(check(o), `${f.name}=${o}`).toBe(true);
          if (f.kind === 'enum') expect(check('not-an-option')).toBe(false);
          if (f.min !== undefined) {
            expect(check(f.min)).toBe(true);
            expect(check(beyond(f, f.min, -1))).toBe(false);
          }
          if (f.max !== undefined) {
            expect(check(f.max)).toBe(true);
            expect(check(beyond(f, f.max, 1))).toBe(false);
          }
          if (f.exclusiveMin !== undefined) expect(check(f.exclusiveMin)).toBe(false);
          if (f.kind === 'integer') expect(check((parsedDefaults[f.name] as number) + 0.5)).toBe(false);
        }
      });
    });
  }
});

describe('deriveFields details', () => {
  it('reads step from the schema meta and ranges from min/max', () => {
    const stdDev = deriveFields(byType('bollinger')).find((f) => f.name === 'stdDev');
    expect(stdDev).toMatchObject({
      kind: 'number',
      min: 0.1,
      max: 10,
      step: 0.1,
      default: 2,
      label: 'Std dev',
    });
  });

  it('turns enums into selects', () => {
    const op = deriveFields(byType('compare')).find((f) => f.name === 'op');
    expect(op).toMatchObject({ kind: 'enum', options: ['>', '<', '>=', '<='] });
  });

  it('keeps strict lower bounds separate from inclusive ones', () => {
    const q = deriveFields(byType('fixed_size')).find((f) => f.name === 'quantity');
    expect(q).toMatchObject({ exclusiveMin: 0 });
    expect(q?.min).toBeUndefined();
  });

  it('caches per definition', () => {
    expect(deriveFields(byType('ema'))).toBe(deriveFields(byType('ema')));
  });

  it('humanizes camelCase and snake_case names', () => {
    expect(humanize('riskPercent')).toBe('Risk percent');
    expect(humanize('plus_di')).toBe('Plus di');
  });
});

describe('validateParams', () => {
  const ema = byType('ema');
  const fast: StrategyParam = { name: 'fast', type: 'int', default: 12, min: 2, max: 50 };

  it('returns zod’s message for an out-of-range value', () => {
    const errors = validateParams(ema, { period: 0 }, []);
    const zodMessage = ema.params.safeParse({ period: 0 }).error?.issues[0]?.message;
    expect(errors).toEqual({ period: zodMessage });
  });

  it('accepts valid params', () => {
    expect(validateParams(ema, { period: 14 }, [])).toEqual({});
  });

  it('checks a $param binding by the strategy parameter’s default', () => {
    expect(validateParams(ema, { period: { $param: 'fast' } }, [fast])).toEqual({});
    const bad = validateParams(ema, { period: { $param: 'fast' } }, [{ ...fast, default: 0 }]);
    expect(bad.period).toBeDefined();
  });

  it('names an undeclared strategy parameter', () => {
    const errors = validateParams(ema, { period: { $param: 'slow' } }, [fast]);
    expect(errors.period).toContain('“slow” is not declared');
  });
});

describe('parseFieldInput', () => {
  const period = deriveFields(byType('ema'))[0] as FieldSpec;

  it('parses numbers and refuses empty or non-numeric text with a message', () => {
    expect(parseFieldInput(period, '21')).toEqual({ ok: true, value: 21 });
    expect(parseFieldInput(period, '')).toMatchObject({ ok: false });
    expect(parseFieldInput(period, 'abc')).toMatchObject({ ok: false, message: '“abc” is not a number.' });
  });

  it('passes strings and booleans through', () => {
    const symbol = deriveFields(byType('candles'))[0] as FieldSpec;
    expect(parseFieldInput(symbol, 'ETH/USDT')).toEqual({ ok: true, value: 'ETH/USDT' });
    expect(parseFieldInput({ name: 'b', label: 'B', kind: 'boolean' }, true)).toEqual({
      ok: true,
      value: true,
    });
  });
});

describe('bindableParams', () => {
  const params: StrategyParam[] = [
    { name: 'n', type: 'int', default: 1 },
    { name: 'x', type: 'number', default: 1.5 },
    { name: 's', type: 'string', default: 'a' },
    { name: 'b', type: 'boolean', default: true },
  ];
  it('offers ints to integer fields, ints and numbers to number fields, like types otherwise', () => {
    const names = (kind: FieldSpec['kind']) =>
      bindableParams({ name: 'f', label: 'F', kind }, params).map((p) => p.name);
    expect(names('integer')).toEqual(['n']);
    expect(names('number')).toEqual(['n', 'x']);
    expect(names('enum')).toEqual(['s']);
    expect(names('boolean')).toEqual(['b']);
  });
});
