// rising: the source went up strictly on each of the last n bars (momentum filter).
import { defineMonotonicRunNode } from '../monotonic-run';

export const risingNode = defineMonotonicRunNode('rising');
