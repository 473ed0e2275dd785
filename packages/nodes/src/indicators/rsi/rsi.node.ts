// Relative strength index with Wilder's smoothing of gains and losses (averages seeded with the SMA of the
// first `period` changes), as in Wilder's book, TA-Lib and trading-signals.
import { defineNode, type Evaluator } from '@candleflow/strategy-dsl';
import { z } from 'zod';
import { periodParam, SOURCE_INPUT } from '../internal/params';
import {
  SMOOTHER_CELLS,
  smootherConstants,
  smootherPush,
  smootherRefs,
  smootherRestore,
  smootherSnapshot,
} from '../../inline/inline-code';
import { Smoother } from '../internal/smoothing';
import { readNested, readNumber, readRecord, storeNumber } from '../internal/state';

export const rsiNode = defineNode({
  type: 'rsi',
  version: 1,
  category: 'indicators',
  title: 'RSI',
  description: 'Relative strength index (0–100): the share of recent moves that were gains.',
  inputs: [SOURCE_INPUT],
  outputs: [{ name: 'value', kind: 'number', description: 'RSI, 0 to 100' }],
  params: z.object({ period: periodParam(14, 'Changes averaged (Wilder smoothing)', 2, 500) }),
  warmup: (p) => p.period,
  create(p): Evaluator {
    const gains = new Smoother(p.period, 'wilder');
    const losses = new Smoother(p.period, 'wilder');
    let previous = Number.NaN;
    return {
      update(inputs, out) {
        const x = inputs[0] as number;
        if (!Number.isNaN(previous)) {
          const change = x - previous;
          gains.push(Math.max(change, 0));
          losses.push(Math.max(-change, 0));
        }
        previous = x;
        if (!gains.ready) {
          out[0] = null;
          return;
        }
        // No losses at all reads as maximal strength (100), as both reference libraries define it.
        out[0] = losses.value === 0 ? 100 : 100 - 100 / (1 + gains.value / losses.value);
      },
      snapshot: () => ({
        previous: storeNumber(previous),
        gains: gains.snapshot(),
        losses: losses.snapshot(),
      }),
      restore(state) {
        const s = readRecord(state, 'rsi');
        previous = readNumber(s, 'previous', 'rsi');
        gains.restore(readNested(s, 'gains', 'rsi'), 'rsi');
        losses.restore(readNested(s, 'losses', 'rsi'), 'rsi');
      },
    };
  },
  // Cells: previous, then the gains and the losses smoothers; constants: both smoothers' period and alpha.
  inline: {
    state: () => ({ scalars: [Number.NaN, ...SMOOTHER_CELLS, ...SMOOTHER_CELLS] }),
    constants: (p) => smootherConstants(p.period, 'wilder'),
    update(c) {
      const previous = c.state(0);
      const gains = smootherRefs(c, 1, 0);
      const losses = smootherRefs(c, 4, 0);
      const [x, change, gain, loss] = [c.temp(0), c.temp(1), c.temp(2), c.temp(3)];
      return (
        `const ${x} = ${c.input(0)}; ` +
        `if (${previous} === ${previous}) { const ${change} = ${x} - ${previous}; ` +
        `const ${gain} = Math.max(${change}, 0); ${smootherPush(gains, gain)} ` +
        `const ${loss} = Math.max(-${change}, 0); ${smootherPush(losses, loss)} } ` +
        `${previous} = ${x}; ` +
        `if (${gains.seen} < ${gains.period}) ${c.writeNull(0)} ` +
        `else ${c.write(0, `${losses.current} === 0 ? 100 : 100 - 100 / (1 + ${gains.current} / ${losses.current})`)}`
      );
    },
    snapshot: (state) => ({
      previous: storeNumber(state.scalars[0]!),
      gains: smootherSnapshot(state, 1),
      losses: smootherSnapshot(state, 4),
    }),
    restore(snapshot, state) {
      const s = readRecord(snapshot, 'rsi');
      const previous = readNumber(s, 'previous', 'rsi');
      smootherRestore(readNested(s, 'gains', 'rsi'), state, 1, 'rsi');
      smootherRestore(readNested(s, 'losses', 'rsi'), state, 4, 'rsi');
      state.scalars[0] = previous;
    },
  },
});
