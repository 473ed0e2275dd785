// The sizing nodes (how big an entry is) and exit nodes (how it is protected and closed) of the catalog.
import type { AnyNodeDefinition } from '@candleflow/strategy-dsl';
import { exitAfterBarsNode } from './exit-after-bars/exit-after-bars.node.ts';
import { fixedSizeNode } from './fixed-size/fixed-size.node.ts';
import { kellySizeNode } from './kelly-size/kelly-size.node.ts';
import { percentEquityNode } from './percent-equity/percent-equity.node.ts';
import { riskSizeNode } from './risk-size/risk-size.node.ts';
import { stopLossNode } from './stop-loss/stop-loss.node.ts';
import { takeProfitNode } from './take-profit/take-profit.node.ts';
import { trailingStopNode } from './trailing-stop/trailing-stop.node.ts';

export const sizingNodes: readonly AnyNodeDefinition[] = [
  fixedSizeNode,
  percentEquityNode,
  riskSizeNode,
  kellySizeNode,
  stopLossNode,
  takeProfitNode,
  trailingStopNode,
  exitAfterBarsNode,
];
