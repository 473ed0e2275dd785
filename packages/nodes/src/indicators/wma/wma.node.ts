// Linearly weighted moving average: weights 1..period, the newest value weighs most.
import { defineNode, type Evaluator } from '@candleflow/strategy-dsl';
import { z } from 'zod';
import { periodParam, SOURCE_INPUT } from '../internal/params';
import { ringFill, ringGet, ringRefs, ringRestore, ringSlide, ringSnapshot } from '../../inline/inline-code';
import { RingBuffer } from '../internal/ring-buffer';
import { readNested, readNumber, readRecord } from '../internal/state';

export const wmaNode = defineNode({
  type: 'wma',
  version: 1,
  category: 'indicators',
  title: 'WMA',
  description: 'Weighted moving average: weights fall linearly with age.',
  inputs: [SOURCE_INPUT],
  outputs: [{ name: 'value', kind: 'number', description: 'The average' }],
  params: z.object({ period: periodParam(20, 'Bars in the average') }),
  warmup: (p) => p.period - 1,
  create(p): Evaluator {
    const n = p.period;
    const divisor = (n * (n + 1)) / 2;
    const window = new RingBuffer(n);
    let sum = 0;
    let weighted = 0;
    let slides = 0;
    return {
      update(inputs, out) {
        const x = inputs[0] as number;
        if (!window.full) {
          window.push(x);
          sum += x;
          weighted += window.length * x;
        } else {
          // Sliding one bar lowers every weight by one (minus the old sum) and adds x at weight n.
          weighted += n * x - sum;
          sum += x - window.push(x);
          // Exact recomputation once per window bounds the rounding drift of the running sums.
          if (++slides >= n) {
            slides = 0;
            sum = 0;
            weighted = 0;
            for (let i = 0; i < n; i++) {
              const v = window.get(i);
              sum += v;
              weighted += (i + 1) * v;
            }
          }
        }
        out[0] = window.full ? weighted / divisor : null;
      },
      snapshot: () => ({ window: window.snapshot(), sum, weighted, slides }),
      restore(state) {
        const s = readRecord(state, 'wma');
        window.restore(readNested(s, 'window', 'wma'), 'wma');
        sum = readNumber(s, 'sum', 'wma');
        weighted = readNumber(s, 'weighted', 'wma');
        slides = readNumber(s, 'slides', 'wma');
      },
    };
  },
  // The evaluator step for step: a ring (cells head, size), then sum, weighted and slides (cells 2-4).
  inline: {
    state: (p) => ({ scalars: [0, 0, 0, 0, 0], arrays: [p.period] }),
    constants: (p) => [p.period, (p.period * (p.period + 1)) / 2],
    update(c) {
      const r = ringRefs(c, 0, 0, 0);
      const [sum, weighted, slides, n, divisor] = [
        c.state(2),
        c.state(3),
        c.state(4),
        r.capacity,
        c.constant(1),
      ];
      const [x, y, i, v] = [c.temp(0), c.temp(1), c.temp(2), c.temp(3)];
      return (
        `const ${x} = ${c.input(0)}; ` +
        `if (${r.size} < ${n}) { ${ringFill(r, x)} ${sum} += ${x}; ${weighted} += ${r.size} * ${x}; } ` +
        `else { ${weighted} += ${n} * ${x} - ${sum}; let ${y} = 0; ${ringSlide(r, x, y)} ${sum} += ${x} - ${y}; ` +
        `${slides} += 1; if (${slides} >= ${n}) { ${slides} = 0; ${sum} = 0; ${weighted} = 0; ` +
        `for (let ${i} = 0; ${i} < ${n}; ${i}++) { const ${v} = ${ringGet(r, i)}; ${sum} += ${v}; ${weighted} += (${i} + 1) * ${v}; } } } ` +
        `if (${r.size} === ${n}) ${c.write(0, `${weighted} / ${divisor}`)} else ${c.writeNull(0)}`
      );
    },
    snapshot: (state) => ({
      window: ringSnapshot(state, 0, 0),
      sum: state.scalars[2],
      weighted: state.scalars[3],
      slides: state.scalars[4],
    }),
    restore(snapshot, state) {
      const s = readRecord(snapshot, 'wma');
      ringRestore(readNested(s, 'window', 'wma'), state, 0, 0, 'wma');
      state.scalars.set(
        [readNumber(s, 'sum', 'wma'), readNumber(s, 'weighted', 'wma'), readNumber(s, 'slides', 'wma')],
        2,
      );
    },
  },
});
