// Average true range (Wilder): how far price typically moves per bar, gaps included.
import { type Bar, defineNode, type Evaluator } from '@candleflow/strategy-dsl';
import { z } from 'zod';
import { AverageTrueRange } from '../internal/atr';
import {
  SMOOTHER_CELLS,
  smootherConstants,
  smootherPush,
  smootherRefs,
  smootherRestore,
  smootherSnapshot,
} from '../../inline/inline-code';
import { CANDLES_INPUT, periodParam } from '../internal/params';
import { readNested, readNumber, readRecord, storeNumber } from '../internal/state';

export const atrNode = defineNode({
  type: 'atr',
  version: 1,
  category: 'indicators',
  title: 'ATR',
  description: 'Average true range: the typical size of a bar, including gaps (Wilder smoothing).',
  inputs: [CANDLES_INPUT],
  outputs: [{ name: 'value', kind: 'number', description: 'ATR in price units' }],
  params: z.object({ period: periodParam(14, 'True ranges averaged (Wilder smoothing)', 1, 500) }),
  // The first bar has no previous close, so its true range is not counted.
  warmup: (p) => p.period,
  create(p): Evaluator {
    const atr = new AverageTrueRange(p.period);
    return {
      update(inputs, out) {
        atr.push(inputs[0] as Bar);
        out[0] = atr.ready ? atr.value : null;
      },
      snapshot: () => atr.snapshot(),
      restore: (state) => atr.restore(state, 'atr'),
    };
  },
  // Cells: the previous close, then the smoother. The true range is trueRange() with a known previous close.
  inline: {
    state: () => ({ scalars: [Number.NaN, ...SMOOTHER_CELLS] }),
    constants: (p) => smootherConstants(p.period, 'wilder'),
    update(c) {
      const previousClose = c.state(0);
      const s = smootherRefs(c, 1, 0);
      const [high, low, range, tr] = [c.temp(0), c.temp(3), c.temp(1), c.temp(2)];
      // Fields through field(): the kernel's batch loop reads them from the columns, not off a bar object.
      return (
        `const ${high} = ${c.field(0, 'high')}, ${low} = ${c.field(0, 'low')}; ` +
        `if (${previousClose} === ${previousClose}) { const ${range} = ${high} - ${low}; ` +
        `const ${tr} = Math.max(${range}, Math.abs(${high} - ${previousClose}), Math.abs(${low} - ${previousClose})); ` +
        `${smootherPush(s, tr)} } ` +
        `${previousClose} = ${c.field(0, 'close')}; ` +
        `if (${s.seen} >= ${s.period}) ${c.write(0, s.current)} else ${c.writeNull(0)}`
      );
    },
    snapshot: (state) => ({
      previousClose: storeNumber(state.scalars[0]!),
      smoother: smootherSnapshot(state, 1),
    }),
    restore(snapshot, state) {
      const s = readRecord(snapshot, 'atr');
      const previousClose = readNumber(s, 'previousClose', 'atr');
      smootherRestore(readNested(s, 'smoother', 'atr'), state, 1, 'atr');
      state.scalars[0] = previousClose;
    },
  },
});
