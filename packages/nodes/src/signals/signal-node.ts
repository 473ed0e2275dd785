// Shared shape of the four signal nodes: a condition in, a fixed Signal out on the bars where it holds.
import { defineNode, type NodeDefinition, type Signal, type SignalAction } from '@candleflow/strategy-dsl';
import { type NoParams, noParams } from '../math/binary-math';
import { statelessInline } from '../inline/inline-code';
import { statelessEvaluator } from '../math/stateless';

export interface SignalNodeSpec {
  readonly action: SignalAction;
  readonly title: string;
  readonly description: string;
}

export function defineSignalNode(spec: SignalNodeSpec): NodeDefinition<NoParams> {
  // One frozen object per node type: firing allocates nothing, and no consumer can alter it.
  const signal: Signal = Object.freeze({ kind: 'signal', action: spec.action });
  return defineNode({
    type: spec.action,
    version: 1,
    category: 'signals',
    title: spec.title,
    description: spec.description,
    inputs: [
      {
        name: 'when',
        kind: 'boolean',
        description: 'The condition; the signal fires on bars where it is true.',
      },
    ],
    outputs: [
      {
        name: 'signal',
        kind: 'signal',
        description: `A ${spec.action} signal on bars where the condition is true, nothing otherwise.`,
      },
    ],
    params: noParams,
    warmup: () => 0,
    create: () =>
      statelessEvaluator((inputs, out) => {
        out[0] = inputs[0] === true ? signal : null;
      }),
    inline: statelessInline((c) => c.write(0, `${c.input(0)} ? ${c.object(0)} : null`), {
      objects: () => [signal],
    }),
  });
}
