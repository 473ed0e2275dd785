// The indicators nodes of the catalog.
import type { AnyNodeDefinition } from '@candleflow/strategy-dsl';
import { adxNode } from './adx/adx.node.ts';
import { atrNode } from './atr/atr.node.ts';
import { bollingerNode } from './bollinger/bollinger.node.ts';
import { cciNode } from './cci/cci.node.ts';
import { donchianNode } from './donchian/donchian.node.ts';
import { emaNode } from './ema/ema.node.ts';
import { highestNode } from './highest/highest.node.ts';
import { keltnerNode } from './keltner/keltner.node.ts';
import { lowestNode } from './lowest/lowest.node.ts';
import { macdNode } from './macd/macd.node.ts';
import { obvNode } from './obv/obv.node.ts';
import { rocNode } from './roc/roc.node.ts';
import { rsiNode } from './rsi/rsi.node.ts';
import { smaNode } from './sma/sma.node.ts';
import { stddevNode } from './stddev/stddev.node.ts';
import { stochasticNode } from './stochastic/stochastic.node.ts';
import { supertrendNode } from './supertrend/supertrend.node.ts';
import { vwapNode } from './vwap/vwap.node.ts';
import { wmaNode } from './wma/wma.node.ts';
import { zscoreNode } from './zscore/zscore.node.ts';

export {
  adxNode,
  atrNode,
  bollingerNode,
  cciNode,
  donchianNode,
  emaNode,
  highestNode,
  keltnerNode,
  lowestNode,
  macdNode,
  obvNode,
  rocNode,
  rsiNode,
  smaNode,
  stddevNode,
  stochasticNode,
  supertrendNode,
  vwapNode,
  wmaNode,
  zscoreNode,
};

export const indicatorsNodes: readonly AnyNodeDefinition[] = [
  smaNode,
  emaNode,
  wmaNode,
  rsiNode,
  macdNode,
  bollingerNode,
  atrNode,
  stochasticNode,
  adxNode,
  vwapNode,
  obvNode,
  cciNode,
  donchianNode,
  keltnerNode,
  supertrendNode,
  highestNode,
  lowestNode,
  rocNode,
  stddevNode,
  zscoreNode,
];
