// Shared evaluator of crosses_above and crosses_below: true only on the bar where a passes through b.
import { defineNode, type NodeDefinition } from '@candleflow/strategy-dsl';
import { type NoParams, noParams } from './binary-math';
import { orNull } from '../inline/inline-code';
import { isNumberOrNull, isRecord, restoreError } from './restore-error';

export type CrossDirection = 'above' | 'below';

interface CrossingState {
  previousA: number | null;
  previousB: number | null;
}

export function defineCrossingNode(direction: CrossDirection): NodeDefinition<NoParams> {
  const type = `crosses_${direction}`;
  const above = direction === 'above';
  return defineNode({
    type,
    version: 1,
    category: 'logic',
    title: above ? 'Crosses above' : 'Crosses below',
    description: above
      ? 'True on the bar where a rises above b (it was at or below b on the bar before).'
      : 'True on the bar where a falls below b (it was at or above b on the bar before).',
    inputs: [
      {
        name: 'a',
        kind: 'number',
        description: `The series that crosses ${direction} b (e.g. a fast average).`,
      },
      { name: 'b', kind: 'number', description: 'The series or level being crossed (e.g. a slow average).' },
    ],
    outputs: [
      {
        name: 'value',
        kind: 'boolean',
        description: `True on the bar where a crosses ${direction} b; false on every other bar.`,
      },
    ],
    params: noParams,
    // A cross needs the bar before; the first bar outputs false, which only means "no cross seen".
    warmup: () => 1,
    create: () => {
      const state: CrossingState = { previousA: null, previousB: null };
      return {
        update(inputs, out) {
          const a = inputs[0] as number;
          const b = inputs[1] as number;
          const { previousA, previousB } = state;
          let crossed = false;
          if (previousA !== null && previousB !== null) {
            // Touching b (equal) is not a cross by itself; leaving b from a touch is.
            crossed = above ? previousA <= previousB && a > b : previousA >= previousB && a < b;
          }
          state.previousA = a;
          state.previousB = b;
          out[0] = crossed;
        },
        snapshot: () => ({ previousA: state.previousA, previousB: state.previousB }),
        restore(snapshot) {
          if (
            !isRecord(snapshot) ||
            !isNumberOrNull(snapshot.previousA) ||
            !isNumberOrNull(snapshot.previousB)
          ) {
            throw restoreError(type, '{ previousA, previousB } with numbers or null', snapshot);
          }
          state.previousA = snapshot.previousA;
          state.previousB = snapshot.previousB;
        },
      };
    },
    // Cells previousA, previousB; NaN stands for null (inputs are never NaN).
    inline: {
      state: () => ({ scalars: [Number.NaN, Number.NaN] }),
      update(c) {
        const [previousA, previousB] = [c.state(0), c.state(1)];
        const [a, b, crossed] = [c.temp(0), c.temp(1), c.temp(2)];
        const test = above
          ? `${previousA} <= ${previousB} && ${a} > ${b}`
          : `${previousA} >= ${previousB} && ${a} < ${b}`;
        return (
          `const ${a} = ${c.input(0)}, ${b} = ${c.input(1)}; let ${crossed} = false; ` +
          `if (${previousA} === ${previousA} && ${previousB} === ${previousB}) ${crossed} = ${test}; ` +
          `${previousA} = ${a}; ${previousB} = ${b}; ${c.write(0, crossed)}`
        );
      },
      snapshot: ({ scalars }) => ({ previousA: orNull(scalars[0]!), previousB: orNull(scalars[1]!) }),
      restore(snapshot, { scalars }) {
        if (
          !isRecord(snapshot) ||
          !isNumberOrNull(snapshot.previousA) ||
          !isNumberOrNull(snapshot.previousB)
        ) {
          throw restoreError(type, '{ previousA, previousB } with numbers or null', snapshot);
        }
        scalars[0] = snapshot.previousA ?? Number.NaN;
        scalars[1] = snapshot.previousB ?? Number.NaN;
      },
    },
  });
}
