// Lowest value of the last `period` bars (rolling minimum, monotonic deque).
import { extremeNode } from '../internal/extreme-node';

export const lowestNode = extremeNode('min');
