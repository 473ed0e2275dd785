// Shared evaluator of rising and falling: true when the source moved strictly one way on each of the last n bars.
import { defineNode, type NodeDefinition } from '@candleflow/strategy-dsl';
import { z } from 'zod';
import { orNull } from '../inline/inline-code';
import { isNumberOrNull, isRecord, restoreError } from './restore-error';

export type RunDirection = 'rising' | 'falling';

const params = z.object({
  bars: z
    .number()
    .int()
    .min(1)
    .max(500)
    .default(3)
    .meta({ step: 1 })
    .describe('How many consecutive bars the source must have moved.'),
});
export type MonotonicRunParams = z.infer<typeof params>;

interface RunState {
  previous: number | null;
  /** Consecutive strict moves ending at the latest bar, capped at `bars` so it stays bounded. */
  streak: number;
  /** Values seen, capped at bars + 1: the first n values have no n moves behind them yet. */
  seen: number;
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}

export function defineMonotonicRunNode(direction: RunDirection): NodeDefinition<MonotonicRunParams> {
  const up = direction === 'rising';
  const verb = up ? 'rose' : 'fell';
  return defineNode({
    type: direction,
    version: 1,
    category: 'logic',
    title: up ? 'Rising' : 'Falling',
    description: `True when the source ${verb} on each of the last n bars (a flat bar breaks the run).`,
    inputs: [{ name: 'source', kind: 'number', description: `The series that must have ${verb}.` }],
    outputs: [
      {
        name: 'value',
        kind: 'boolean',
        description: `Whether the source ${verb} strictly on each of the last n bars.`,
      },
    ],
    params,
    warmup: ({ bars }) => bars,
    create: ({ bars }) => {
      const state: RunState = { previous: null, streak: 0, seen: 0 };
      return {
        update(inputs, out) {
          const value = inputs[0] as number;
          const { previous } = state;
          if (previous !== null) {
            const moved = up ? value > previous : value < previous;
            state.streak = moved ? Math.min(state.streak + 1, bars) : 0;
          }
          state.previous = value;
          if (state.seen <= bars) state.seen += 1;
          out[0] = state.seen > bars ? state.streak >= bars : null;
        },
        snapshot: () => ({ previous: state.previous, streak: state.streak, seen: state.seen }),
        restore(snapshot) {
          if (
            !isRecord(snapshot) ||
            !isNumberOrNull(snapshot.previous) ||
            !isCount(snapshot.streak) ||
            !isCount(snapshot.seen)
          ) {
            throw restoreError(
              direction,
              '{ previous: number or null, streak: count, seen: count }',
              snapshot,
            );
          }
          state.previous = snapshot.previous;
          state.streak = Math.min(snapshot.streak, bars);
          state.seen = Math.min(snapshot.seen, bars + 1);
        },
      };
    },
    // Cells previous (NaN = null), streak, seen; constant bars.
    inline: {
      state: () => ({ scalars: [Number.NaN, 0, 0] }),
      constants: ({ bars }) => [bars],
      update(c) {
        const [previous, streak, seen, n] = [c.state(0), c.state(1), c.state(2), c.constant(0)];
        const [value, moved] = [c.temp(0), c.temp(1)];
        return (
          `const ${value} = ${c.input(0)}; ` +
          `if (${previous} === ${previous}) { const ${moved} = ${value} ${up ? '>' : '<'} ${previous}; ` +
          `${streak} = ${moved} ? Math.min(${streak} + 1, ${n}) : 0; } ` +
          `${previous} = ${value}; if (${seen} <= ${n}) ${seen} += 1; ` +
          `if (${seen} > ${n}) ${c.write(0, `${streak} >= ${n}`)} else ${c.writeNull(0)}`
        );
      },
      snapshot: ({ scalars }) => ({ previous: orNull(scalars[0]!), streak: scalars[1], seen: scalars[2] }),
      restore(snapshot, { scalars }, { bars }) {
        if (
          !isRecord(snapshot) ||
          !isNumberOrNull(snapshot.previous) ||
          !isCount(snapshot.streak) ||
          !isCount(snapshot.seen)
        ) {
          throw restoreError(direction, '{ previous: number or null, streak: count, seen: count }', snapshot);
        }
        scalars[0] = snapshot.previous ?? Number.NaN;
        scalars[1] = Math.min(snapshot.streak, bars);
        scalars[2] = Math.min(snapshot.seen, bars + 1);
      },
    },
  });
}
