// The EMA-cross strategy from the language description, as text and as the graph written out by hand.
import type { Graph } from '../../graph';

/** Canonical text plus one leading comment line (comments are not kept, so printing drops it). */
export const EMA_CROSS = `# EMA cross with an RSI filter and an ATR stop
strategy "EMA cross"
description "Long when the fast EMA crosses above the slow one while RSI is below rsiMax."

param fast: int = 12 range 2..50 step 1 "Fast EMA period"
param slow: int = 26 range 5..200 step 1
param atrMult: number = 2 range 0.5..5 step 0.5
param mode: string = "atr" options ["atr", "percent"]
param useFilter: boolean = true
constraint fast < slow

risk maxPositionPct = 50, maxExposurePct = 60, dedupeSignals = true

candles = candles(symbol: "BTC/USDT", timeframe: "1h")
fast_ema = ema(source: candles.close, period: $fast)
slow_ema = ema(source: candles.close, period: $slow)
cross_up = crosses_above(a: fast_ema.value, b: slow_ema.value)
go_long = enter_long(when: cross_up.value)
stop = stop_loss@2(atr: atr14.value, mode: "atr", multiple: $atrMult)
entry = market_order(signal: go_long.signal, exits: [stop.exit, tp.exit])
`;

const at = { x: 0, y: 0 };
export const EMA_CROSS_GRAPH: Graph = {
  schemaVersion: 1,
  name: 'EMA cross',
  description: 'Long when the fast EMA crosses above the slow one while RSI is below rsiMax.',
  params: [
    { name: 'fast', type: 'int', default: 12, min: 2, max: 50, step: 1, description: 'Fast EMA period' },
    { name: 'slow', type: 'int', default: 26, min: 5, max: 200, step: 1 },
    { name: 'atrMult', type: 'number', default: 2, min: 0.5, max: 5, step: 0.5 },
    { name: 'mode', type: 'string', default: 'atr', options: ['atr', 'percent'] },
    { name: 'useFilter', type: 'boolean', default: true },
  ],
  constraints: ['fast < slow'],
  risk: { maxPositionPct: 50, maxExposurePct: 60, dedupeSignals: true },
  nodes: [
    {
      id: 'candles',
      type: 'candles',
      version: 1,
      params: { symbol: 'BTC/USDT', timeframe: '1h' },
      position: at,
    },
    { id: 'fast_ema', type: 'ema', version: 1, params: { period: { $param: 'fast' } }, position: at },
    { id: 'slow_ema', type: 'ema', version: 1, params: { period: { $param: 'slow' } }, position: at },
    { id: 'cross_up', type: 'crosses_above', version: 1, params: {}, position: at },
    { id: 'go_long', type: 'enter_long', version: 1, params: {}, position: at },
    {
      id: 'stop',
      type: 'stop_loss',
      version: 2,
      params: { mode: 'atr', multiple: { $param: 'atrMult' } },
      position: at,
    },
    { id: 'entry', type: 'market_order', version: 1, params: {}, position: at },
  ],
  edges: [
    { source: 'candles', sourcePort: 'close', target: 'fast_ema', targetPort: 'source' },
    { source: 'candles', sourcePort: 'close', target: 'slow_ema', targetPort: 'source' },
    { source: 'fast_ema', sourcePort: 'value', target: 'cross_up', targetPort: 'a' },
    { source: 'slow_ema', sourcePort: 'value', target: 'cross_up', targetPort: 'b' },
    { source: 'cross_up', sourcePort: 'value', target: 'go_long', targetPort: 'when' },
    { source: 'atr14', sourcePort: 'value', target: 'stop', targetPort: 'atr' },
    { source: 'go_long', sourcePort: 'signal', target: 'entry', targetPort: 'signal' },
    { source: 'stop', sourcePort: 'exit', target: 'entry', targetPort: 'exits' },
    { source: 'tp', sourcePort: 'exit', target: 'entry', targetPort: 'exits' },
  ],
};
