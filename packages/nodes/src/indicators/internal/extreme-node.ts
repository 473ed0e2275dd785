// The highest and lowest nodes differ only in the direction of the comparison; one factory builds both.
import { defineNode, type Evaluator } from '@candleflow/strategy-dsl';
import { z } from 'zod';
import { periodParam, SOURCE_INPUT } from './params';
import { RollingExtreme } from './rolling-extreme';
import { readNumbers, readRecord } from './state';

export function extremeNode(kind: 'max' | 'min') {
  const type = kind === 'max' ? 'highest' : 'lowest';
  return defineNode({
    type,
    version: 1,
    category: 'indicators',
    title: kind === 'max' ? 'Highest' : 'Lowest',
    description: `The ${kind === 'max' ? 'largest' : 'smallest'} value of the last N bars (this bar included).`,
    inputs: [SOURCE_INPUT],
    outputs: [{ name: 'value', kind: 'number', description: `The ${type} value in the window` }],
    params: z.object({ period: periodParam(20, 'Bars in the window') }),
    warmup: (p) => p.period - 1,
    create(p): Evaluator {
      const extreme = new RollingExtreme(p.period, kind);
      return {
        update(inputs, out) {
          extreme.push(inputs[0] as number);
          out[0] = extreme.full ? extreme.value : null;
        },
        snapshot: () => extreme.snapshot(),
        restore: (state) => extreme.restore(state, type),
      };
    },
    // RollingExtreme step for step: buffers values and indices, cells head, size, count; constant period.
    inline: {
      state: (p) => ({ scalars: [0, 0, 0], arrays: [p.period, p.period] }),
      constants: (p) => [p.period],
      update(c) {
        const [values, indices] = [c.array(0), c.array(1)];
        const [head, size, count, cap] = [c.state(0), c.state(1), c.state(2), c.constant(0)];
        const [x, back, at] = [c.temp(0), c.temp(1), c.temp(2)];
        return (
          `const ${x} = ${c.input(0)}; ` +
          `if (${size} > 0 && ${indices}[${head}] <= ${count} - ${cap}) { ${head} = (${head} + 1) % ${cap}; ${size} -= 1; } ` +
          `while (${size} > 0) { const ${back} = ${values}[(${head} + ${size} - 1) % ${cap}]; ` +
          `if (${back} ${kind === 'max' ? '<=' : '>='} ${x}) ${size} -= 1; else break; } ` +
          `const ${at} = (${head} + ${size}) % ${cap}; ${values}[${at}] = ${x}; ${indices}[${at}] = ${count}; ` +
          `${size} += 1; ${count} += 1; ` +
          `if (${count} >= ${cap}) ${c.write(0, `${values}[${head}]`)} else ${c.writeNull(0)}`
        );
      },
      snapshot: ({ scalars, arrays }, p) => {
        const [head, size, count] = [scalars[0]!, scalars[1]!, scalars[2]!];
        const values: number[] = [];
        const indices: number[] = [];
        for (let i = 0; i < size; i++) {
          values.push(arrays[0]![(head + i) % p.period]!);
          indices.push(arrays[1]![(head + i) % p.period]!);
        }
        return { values, indices, count };
      },
      restore(snapshot, { scalars, arrays }, p) {
        // The class validates the snapshot and words its errors; its own snapshot is then in order.
        const extreme = new RollingExtreme(p.period, kind);
        extreme.restore(snapshot, type);
        const s = readRecord(extreme.snapshot(), type);
        const values = readNumbers(s, 'values', type);
        const indices = readNumbers(s, 'indices', type);
        arrays[0]!.set(values);
        arrays[1]!.set(indices);
        scalars.set([0, values.length, s.count as number]);
      },
    },
  });
}
