// The indicators nodes of the catalog.
import type { AnyNodeDefinition } from '@candleflow/strategy-dsl';
import { adxNode } from './adx/adx.node';
import { atrNode } from './atr/atr.node';
import { bollingerNode } from './bollinger/bollinger.node';
import { cciNode } from './cci/cci.node';
import { donchianNode } from './donchian/donchian.node';
import { emaNode } from './ema/ema.node';
import { highestNode } from './highest/highest.node';
import { keltnerNode } from './keltner/keltner.node';
import { lowestNode } from './lowest/lowest.node';
import { macdNode } from './macd/macd.node';
import { obvNode } from './obv/obv.node';
import { rocNode } from './roc/roc.node';
import { rsiNode } from './rsi/rsi.node';
import { smaNode } from './sma/sma.node';
import { stddevNode } from './stddev/stddev.node';
import { stochasticNode } from './stochastic/stochastic.node';
import { supertrendNode } from './supertrend/supertrend.node';
import { vwapNode } from './vwap/vwap.node';
import { wmaNode } from './wma/wma.node';
import { zscoreNode } from './zscore/zscore.node';

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
