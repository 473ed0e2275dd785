// The sizing nodes (how big an entry is) and exit nodes (how it is protected and closed) of the catalog.
import type { AnyNodeDefinition } from '@candleflow/strategy-dsl';
import { exitAfterBarsNode } from './exit-after-bars/exit-after-bars.node';
import { fixedSizeNode } from './fixed-size/fixed-size.node';
import { kellySizeNode } from './kelly-size/kelly-size.node';
import { percentEquityNode } from './percent-equity/percent-equity.node';
import { riskSizeNode } from './risk-size/risk-size.node';
import { stopLossNode } from './stop-loss/stop-loss.node';
import { takeProfitNode } from './take-profit/take-profit.node';
import { trailingStopNode } from './trailing-stop/trailing-stop.node';

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
