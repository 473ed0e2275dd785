// Columnar candles: one typed array per field, so a million bars load and scan without objects.

export interface CandleSeries {
  readonly symbol: string;
  readonly timeframe: string;
  /** Bar open times, UTC ms, strictly increasing. */
  readonly time: Float64Array;
  readonly open: Float64Array;
  readonly high: Float64Array;
  readonly low: Float64Array;
  readonly close: Float64Array;
  readonly volume: Float64Array;
}
