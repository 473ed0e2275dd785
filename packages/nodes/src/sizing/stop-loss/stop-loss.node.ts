// stop_loss: closes the position when price moves a set distance against the entry.
import { defineDistanceExitNode } from '../distance-exit';

export const stopLossNode = defineDistanceExitNode({
  kind: 'stop_loss',
  title: 'Stop loss',
  description: 'Closes the position if price moves a percent or a multiple of ATR against the entry.',
  defaultPercent: 2,
  maxPercent: 99,
  defaultMultiple: 2,
});
