// Simple moving average: the mean of the last `period` values.
import { defineNode, type Evaluator } from '@candleflow/strategy-dsl';
import { z } from 'zod';
import { periodParam, SOURCE_INPUT } from '../internal/params';
import { ringFill, ringGet, ringRefs, ringRestore, ringSlide, ringSnapshot } from '../../inline/inline-code';
import { RollingMoments } from '../internal/rolling-moments';
import { readNested, readNumber, readRecord } from '../internal/state';

export const smaNode = defineNode({
  type: 'sma',
  version: 1,
  category: 'indicators',
  title: 'SMA',
  description: 'Simple moving average: the mean of the last N values.',
  inputs: [SOURCE_INPUT],
  outputs: [{ name: 'value', kind: 'number', description: 'The average' }],
  params: z.object({ period: periodParam(20, 'Bars in the average') }),
  warmup: (p) => p.period - 1,
  create(p): Evaluator {
    const window = new RollingMoments(p.period);
    return {
      update(inputs, out) {
        window.push(inputs[0] as number);
        out[0] = window.full ? window.average : null;
      },
      snapshot: () => window.snapshot(),
      restore: (state) => window.restore(state, 'sma'),
    };
  },
  // RollingMoments step for step: a ring (cells head, size), then mean, m2 and slides (cells 2-4). m2 is
  // kept although the average does not need it, so snapshots stay those of the evaluator.
  inline: {
    state: (p) => ({ scalars: [0, 0, 0, 0, 0], arrays: [p.period] }),
    constants: (p) => [p.period],
    update(c) {
      const r = ringRefs(c, 0, 0, 0);
      const [mean, m2, slides, period] = [c.state(2), c.state(3), c.state(4), r.capacity];
      const [x, delta, y, oldMean, sum, i, d] = [
        c.temp(0),
        c.temp(1),
        c.temp(2),
        c.temp(3),
        c.temp(4),
        c.temp(5),
        c.temp(6),
      ];
      return (
        `const ${x} = ${c.input(0)}; ` +
        `if (${r.size} < ${period}) { ${ringFill(r, x)} ` +
        `const ${delta} = ${x} - ${mean}; ${mean} += ${delta} / ${r.size}; ${m2} += ${delta} * (${x} - ${mean}); } ` +
        `else { let ${y} = 0; ${ringSlide(r, x, y)} const ${oldMean} = ${mean}; ` +
        `${mean} += (${x} - ${y}) / ${period}; ${m2} += (${x} - ${y}) * (${x} - ${mean} + ${y} - ${oldMean}); ` +
        `${slides} += 1; if (${slides} >= ${period}) { ` +
        `let ${sum} = 0; for (let ${i} = 0; ${i} < ${r.size}; ${i}++) ${sum} += ${ringGet(r, i)}; ` +
        `${mean} = ${sum} / ${r.size}; ${m2} = 0; ` +
        `for (let ${i} = 0; ${i} < ${r.size}; ${i}++) { const ${d} = ${ringGet(r, i)} - ${mean}; ${m2} += ${d} * ${d}; } ` +
        `${slides} = 0; } } ` +
        `if (${r.size} === ${period}) ${c.write(0, mean)} else ${c.writeNull(0)}`
      );
    },
    snapshot: (state) => ({
      window: ringSnapshot(state, 0, 0),
      mean: state.scalars[2],
      m2: state.scalars[3],
      slides: state.scalars[4],
    }),
    restore(snapshot, state) {
      const s = readRecord(snapshot, 'sma');
      ringRestore(readNested(s, 'window', 'sma'), state, 0, 0, 'sma');
      state.scalars.set(
        [readNumber(s, 'mean', 'sma'), readNumber(s, 'm2', 'sma'), readNumber(s, 'slides', 'sma')],
        2,
      );
    },
  },
});
