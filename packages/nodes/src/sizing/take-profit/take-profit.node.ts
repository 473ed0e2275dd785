// take_profit: closes the position when price moves a set distance in its favour.
import { defineDistanceExitNode } from '../distance-exit';

export const takeProfitNode = defineDistanceExitNode({
  kind: 'take_profit',
  title: 'Take profit',
  description: 'Closes the position once price moves a percent or a multiple of ATR in its favour.',
  defaultPercent: 4,
  maxPercent: 1000,
  defaultMultiple: 3,
});
