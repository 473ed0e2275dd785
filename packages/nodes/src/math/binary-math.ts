// Shared shape of the two-input arithmetic nodes (add, subtract, multiply, divide, min, max).
import { defineNode, type NodeDefinition } from '@candleflow/strategy-dsl';
import { z } from 'zod';
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
  });
}
