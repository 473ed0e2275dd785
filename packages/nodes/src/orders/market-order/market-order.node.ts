// market_order: trades at market when the signal fires (by default at the next bar's open).
import { defineOrderNode, marketOrderParams } from '../order-node';

export const marketOrderNode = defineOrderNode({
  type: 'market_order',
  orderType: 'market',
  title: 'Market order',
  description: 'Places a market order when the signal fires, with its sizing, stops and targets.',
  params: marketOrderParams,
});
