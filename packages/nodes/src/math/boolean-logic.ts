// Shared shape of the two-input boolean nodes (and, or).
import { defineNode, type NodeDefinition } from '@candleflow/strategy-dsl';
import { type NoParams, noParams } from './binary-math';
import { statelessInline } from '../inline/inline-code';
import { statelessEvaluator } from './stateless';

export interface BooleanLogicSpec {
  readonly type: string;
  readonly title: string;
  readonly description: string;
  readonly outputDescription: string;
  readonly combine: (a: boolean, b: boolean) => boolean;
  /** `combine` as a JavaScript operator between two boolean expressions. */
  readonly operator: '&&' | '||';
}

export function defineBooleanLogicNode(spec: BooleanLogicSpec): NodeDefinition<NoParams> {
  const { combine } = spec;
  return defineNode({
    type: spec.type,
    version: 1,
    category: 'logic',
    title: spec.title,
    description: spec.description,
    inputs: [
      { name: 'a', kind: 'boolean', description: 'First condition.' },
      { name: 'b', kind: 'boolean', description: 'Second condition.' },
    ],
    outputs: [{ name: 'value', kind: 'boolean', description: spec.outputDescription }],
    params: noParams,
    warmup: () => 0,
    create: () =>
      statelessEvaluator((inputs, out) => {
        out[0] = combine(inputs[0] as boolean, inputs[1] as boolean);
      }),
    inline: statelessInline((c) => c.write(0, `${c.input(0)} ${spec.operator} ${c.input(1)}`)),
  });
}
