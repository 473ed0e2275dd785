// trailing_stop: a stop that follows the best price since entry at a set distance.
import { defineDistanceExitNode } from '../distance-exit';

export const trailingStopNode = defineDistanceExitNode({
  kind: 'trailing_stop',
  title: 'Trailing stop',
  description: 'Closes the position if price falls back a percent or a multiple of ATR from its best level.',
  defaultPercent: 3,
  maxPercent: 99,
  defaultMultiple: 3,
});
