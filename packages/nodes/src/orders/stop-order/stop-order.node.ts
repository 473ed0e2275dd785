// stop_order: a resting order that triggers once price moves a percent beyond the reference (breakouts).
import { defineOrderNode, restingOrderParams } from '../order-node';

export const stopOrderNode = defineOrderNode({
  type: 'stop_order',
  orderType: 'stop',
  title: 'Stop order',
  description:
    'Places a stop order that triggers a percent beyond the reference price when the signal fires.',
  params: restingOrderParams(0.5),
});
