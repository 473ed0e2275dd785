// Lag: the value of a series `bars` bars ago. The only node that moves data in time, so it is where the
// compiler looks for look-ahead (a negative lag).
import { defineNode, type Evaluator, type NodeParamIssue } from '@candleflow/strategy-dsl';
import { z } from 'zod';
import { RingBuffer } from '../../indicators/internal/ring-buffer';
import { ringFill, ringRefs, ringRestore, ringSlide, ringSnapshot } from '../../inline/inline-code';

function negativeLag(bars: number): NodeParamIssue {
  return {
    code: 'LOOKAHEAD_NEGATIVE_SHIFT',
    param: 'bars',
    message: `'bars' is ${bars}: a negative lag reads future bars`,
    hint: 'use 0 for the current bar or a positive number of bars back',
  };
}

export const previousNode = defineNode({
  type: 'previous',
  version: 1,
  category: 'data',
  title: 'Previous',
  description: 'The value of a series N bars ago.',
  inputs: [{ name: 'source', kind: 'number', description: 'The series to lag' }],
  outputs: [{ name: 'value', kind: 'number', description: 'The source, N bars ago' }],
  params: z.object({
    // Negative values pass the schema on purpose: check() refuses them with a look-ahead diagnostic the
    // trader understands, instead of a bare range error.
    bars: z.number().int().min(-1000).max(1000).default(1).meta({ step: 1, description: 'Bars back' }),
  }),
  warmup: (p) => Math.max(0, p.bars),
  shift: (p) => p.bars,
  check: (p) => (p.bars < 0 ? [negativeLag(p.bars)] : []),
  create(p): Evaluator {
    if (p.bars < 0) {
      throw new Error(`previous: ${negativeLag(p.bars).message}; the compiler should have refused this node`);
    }
    // The window holds this bar and the `bars` before it; its oldest value is the lagged one.
    const window = new RingBuffer(p.bars + 1);
    return {
      update(inputs, out) {
        window.push(inputs[0] as number);
        out[0] = window.full ? window.get(0) : null;
      },
      snapshot: () => window.snapshot(),
      restore: (state) => window.restore(state, 'previous'),
    };
  },
  // A ring of bars + 1 values (cells head, size); its oldest value is the lagged one.
  inline: {
    state: (p) => ({ scalars: [0, 0], arrays: [p.bars + 1] }),
    constants: (p) => [p.bars + 1],
    update(c) {
      const r = ringRefs(c, 0, 0, 0);
      const x = c.temp(0);
      return (
        `const ${x} = ${c.input(0)}; ` +
        `if (${r.size} < ${r.capacity}) { ${ringFill(r, x)} } else { ${ringSlide(r, x)} } ` +
        `if (${r.size} === ${r.capacity}) ${c.write(0, `${r.data}[${r.head}]`)} else ${c.writeNull(0)}`
      );
    },
    snapshot: (state) => ringSnapshot(state, 0, 0),
    restore: (snapshot, state) => ringRestore(snapshot, state, 0, 0, 'previous'),
  },
});
