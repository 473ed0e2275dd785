// limit_order: a resting order a percent better than the reference price (below it to buy, above to sell).
import { defineOrderNode, restingOrderParams } from '../order-node';

export const limitOrderNode = defineOrderNode({
  type: 'limit_order',
  orderType: 'limit',
  title: 'Limit order',
  description: 'Places a limit order a percent better than the reference price when the signal fires.',
  params: restingOrderParams(0.1),
});
