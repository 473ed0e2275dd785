// falling: the source went down strictly on each of the last n bars (momentum filter).
import { defineMonotonicRunNode } from '../monotonic-run';

export const fallingNode = defineMonotonicRunNode('falling');
