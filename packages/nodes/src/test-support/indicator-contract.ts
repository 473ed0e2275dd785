// The one contract every data and indicator node passes: defaults parse, every port is written with its
// declared kind, warm-up is exact, runs are deterministic, nothing looks ahead, snapshots restore exactly.
import type { AnyNodeDefinition, CreateContext, PortKind, Value } from '@candleflow/strategy-dsl';
import { describe, expect, it } from 'vitest';
import { createEvaluator, DEFAULT_CONTEXT, feed, UNWRITTEN } from './run-node';

export interface ContractCase {
  readonly name: string;
  readonly params?: Record<string, unknown>;
  /** One list of input values per step, as the kernel would pass them (no nulls). */
  readonly rows: readonly (readonly Value[])[];
  readonly ctx?: CreateContext;
  /**
   * The first step with values, when it depends on the data rather than the parameters (resample);
   * by default warmup(params).
   */
  readonly expectedWarmup?: number;
}

/** A different but equally valid input: what the future might have held instead. */
function perturb(value: Value): Value {
  if (typeof value === 'number') return value * 1.37 + 0.5;
  if (typeof value === 'boolean') return !value;
  if (Array.isArray(value)) return value.map(perturb);
  if (value !== null && typeof value === 'object' && 'open' in value) {
    return {
      time: value.time,
      open: value.open * 1.37,
      high: value.high * 1.41,
      low: value.low * 1.3,
      close: value.close * 1.35,
      volume: value.volume * 2 + 1,
    };
  }
  return value;
}

function kindOf(value: Value): PortKind | 'other' {
  if (typeof value === 'number') return 'number';
  if (typeof value === 'boolean') return 'boolean';
  if (value !== null && typeof value === 'object' && 'open' in value && 'time' in value) return 'candles';
  return 'other';
}

function distinctSorted(values: number[], below: number): number[] {
  return [...new Set(values.filter((v) => v >= 0 && v < below))].sort((a, b) => a - b);
}

export function runIndicatorContract(definition: AnyNodeDefinition, cases: readonly ContractCase[]): void {
  describe(`${definition.type} node contract`, () => {
    it('parses its defaults from an empty parameter object', () => {
      const params = definition.params.parse({});

      expect(params).toBeTypeOf('object');
      expect(definition.warmup(params)).toBeGreaterThanOrEqual(0);
      expect(definition.check?.(params, { connected: new Set() }) ?? []).toEqual([]);
    });

    it('declares a snake_case type, a version and a one-line description', () => {
      expect(definition.type).toMatch(/^[a-z][a-z0-9_]*$/);
      expect(definition.version).toBe(1);
      expect(definition.description).not.toMatch(/\n/);
      expect(definition.description.length).toBeGreaterThan(10);
    });

    for (const c of cases) {
      describe(c.name, () => {
        const ctx = c.ctx ?? DEFAULT_CONTEXT;
        const params = definition.params.parse(c.params ?? {});
        const warmup = c.expectedWarmup ?? definition.warmup(params);
        const run = (rows: readonly (readonly Value[])[]) =>
          feed(definition, createEvaluator(definition, c.params, ctx), rows);

        it('writes every output on every step, with the kind its port declares', () => {
          const outputs = run(c.rows);

          outputs.forEach((row, step) => {
            row.forEach((value, port) => {
              const declared = definition.outputs[port]?.kind;
              const where = `step ${step}, output ${definition.outputs[port]?.name}`;
              expect(value as unknown, `${where} was not written`).not.toBe(UNWRITTEN);
              if (value === null) return;
              const expected = declared === 'scalar' ? 'number' : declared;
              expect(kindOf(value), where).toBe(expected);
              if (typeof value === 'number') expect(Number.isNaN(value), `${where} is NaN`).toBe(false);
            });
          });
        });

        it(`outputs null before step ${warmup} and values from there on`, () => {
          expect(c.rows.length, 'the case is too short to leave warm-up').toBeGreaterThan(warmup + 5);

          const outputs = run(c.rows);

          outputs.forEach((row, step) => {
            row.forEach((value, port) => {
              const name = definition.outputs[port]?.name;
              if (step < warmup) expect(value, `step ${step}, output ${name}`).toBeNull();
              else expect(value, `step ${step}, output ${name}`).not.toBeNull();
            });
          });
        });

        it('gives identical outputs from two fresh evaluators on the same input', () => {
          expect(run(c.rows)).toEqual(run(c.rows));
        });

        it('does not look ahead: outputs before a change in the input stay the same', () => {
          const splits = distinctSorted(
            [1, warmup, warmup + 1, Math.floor(c.rows.length / 2)],
            c.rows.length,
          );
          for (const k of splits) {
            const changed = c.rows.map((row, i) => (i < k ? row : row.map(perturb)));

            const original = run(c.rows);
            const alternative = run(changed);

            expect(alternative.slice(0, k), `outputs before step ${k}`).toEqual(original.slice(0, k));
          }
        });

        it('continues identically after a JSON round trip of its snapshot', () => {
          const splits = distinctSorted(
            [0, 1, Math.floor(warmup / 2), warmup - 1, warmup, warmup + 1, Math.floor(c.rows.length / 2)],
            c.rows.length,
          );
          const uninterrupted = run(c.rows);
          for (const n of splits) {
            const first = createEvaluator(definition, c.params, ctx);
            feed(definition, first, c.rows.slice(0, n));
            const snapshot = first.snapshot();
            const stored = JSON.parse(JSON.stringify(snapshot));
            expect(stored, `snapshot after ${n} steps is not plain JSON`).toEqual(snapshot);

            const resumed = createEvaluator(definition, c.params, ctx);
            resumed.restore(stored);
            const rest = feed(definition, resumed, c.rows.slice(n), n);

            expect(rest, `outputs after restoring at step ${n}`).toEqual(uninterrupted.slice(n));
          }
        });
      });
    }
  });
}
