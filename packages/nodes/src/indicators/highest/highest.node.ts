// Highest value of the last `period` bars (rolling maximum, monotonic deque).
import { extremeNode } from '../internal/extreme-node';

export const highestNode = extremeNode('max');
