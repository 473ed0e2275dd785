// Shared shape of the two-input arithmetic nodes (add, subtract, multiply, divide, min, max).
import { defineNode, type NodeDefinition } from '@candleflow/strategy-dsl';
import { z } from 'zod';
import { statelessInline } from '../inline/inline-code';
import { statelessEvaluator } from './stateless';

export interface BinaryMathSpec {
  readonly type: string;
  readonly title: string;
  readonly description: string;
  readonly aDescription: string;
  readonly bDescription: string;
  readonly outputDescription: string;
  /** The result, or null when it is undefined for these operands (division by zero). */
  readonly compute: (a: number, b: number) => number | null;
  /** `compute` as a JavaScript expression over two plain identifiers, NaN where compute gives null. */
  readonly inline: (a: string, b: string) => string;
}

export const noParams = z.object({});
export type NoParams = z.infer<typeof noParams>;

export function defineBinaryMathNode(spec: BinaryMathSpec): NodeDefinition<NoParams> {
  const { compute } = spec;
  return defineNode({
    type: spec.type,
    version: 1,
    category: 'math',
    title: spec.title,
    description: spec.description,
    inputs: [
      { name: 'a', kind: 'number', description: spec.aDescription },
      { name: 'b', kind: 'number', description: spec.bDescription },
    ],
    outputs: [{ name: 'value', kind: 'number', description: spec.outputDescription }],
    params: noParams,
    warmup: () => 0,
    create: () =>
      statelessEvaluator((inputs, out) => {
        const result = compute(inputs[0] as number, inputs[1] as number);
        // An overflow to ±Infinity or a NaN is not a price or an indicator value; null stops it
        // from silently passing comparisons downstream.
        out[0] = result !== null && Number.isFinite(result) ? result : null;
      }),
    // x - x === 0 is Number.isFinite(x) for numbers; NaN (no result) fails it too.
    inline: statelessInline((c) => {
      const [a, b, result] = [c.temp(0), c.temp(1), c.temp(2)];
      return (
        `const ${a} = ${c.input(0)}, ${b} = ${c.input(1)}; const ${result} = ${spec.inline(a, b)}; ` +
        `if (${result} - ${result} === 0) ${c.write(0, result)} else ${c.writeNull(0)}`
      );
    }),
  });
}
