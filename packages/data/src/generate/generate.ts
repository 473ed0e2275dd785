// Seeded synthetic candles for demos, tests and benchmarks: a regime-switching price process
// (trends, a mean-reverting range, a fat-tailed volatile regime) with realistic bars and volume.
import { bucketStart, isCalendarTimeframe, requireTimeframeMs } from '@candleflow/strategy-dsl';
import type { CandleSeries } from '../types';
import { Random } from './prng';

export const REGIMES = ['trend_up', 'trend_down', 'range', 'volatile'] as const;
export type Regime = (typeof REGIMES)[number];

export interface GenerateOptions {
  readonly symbol: string;
  /** s/m/h/d/w timeframe, e.g. "1m". */
  readonly timeframe: string;
  /** Open time of the first bar (UTC ms, or an ISO string); must lie on a timeframe boundary. */
  readonly start: number | string;
  readonly bars: number;
  readonly seed: number;
  /** Default 100. */
  readonly startPrice?: number;
  /** Prices are multiples of this; default 0.01. */
  readonly tickSize?: number;
  /** Annualised volatility of the calm regimes; default 0.6 (crypto-like). */
  readonly annualVolatility?: number;
  /** Mean volume of a calm bar; default 1000. */
  readonly baseVolume?: number;
  readonly regimes?: {
    /** Mean regime length in bars (regimes end at random, geometrically); default 500. */
    readonly meanBars?: number;
    /** Relative chance of each regime being chosen next; default equal. 0 leaves one out. */
    readonly weights?: Partial<Record<Regime, number>>;
  };
}

const YEAR_MS = 365 * 86_400_000;
const DAY_MS = 86_400_000;

interface RegimeShape {
  /** Volatility relative to annualVolatility. */
  readonly vol: number;
  /** Drift per bar in units of the bar's volatility: trends show over a regime, not a bar. */
  readonly drift: number;
  /** Pull back toward the price at which the regime began (range only). */
  readonly reversion: number;
  /** Chance of a shock bar and its size, which gives the fat tails. */
  readonly shockChance: number;
  readonly shockSize: number;
}

const SHAPES: Record<Regime, RegimeShape> = {
  trend_up: { vol: 1, drift: 0.08, reversion: 0, shockChance: 0, shockSize: 1 },
  trend_down: { vol: 1, drift: -0.08, reversion: 0, shockChance: 0, shockSize: 1 },
  range: { vol: 0.6, drift: 0, reversion: 0.05, shockChance: 0, shockSize: 1 },
  volatile: { vol: 2.5, drift: 0, reversion: 0, shockChance: 0.08, shockSize: 4 },
};

export function generateCandles(options: GenerateOptions): CandleSeries {
  return generateCandlesWithRegimes(options).series;
}

/** Like generateCandles, and also says which regime (index into REGIMES) produced each bar. */
export function generateCandlesWithRegimes(options: GenerateOptions): {
  series: CandleSeries;
  regimes: Uint8Array;
} {
  if (isCalendarTimeframe(options.timeframe)) {
    throw new Error(
      `the generator makes fixed-length bars: use s/m/h/d/w timeframes, not ${options.timeframe}`,
    );
  }
  const tf = requireTimeframeMs(options.timeframe);
  const start = typeof options.start === 'number' ? options.start : Date.parse(options.start);
  if (!Number.isFinite(start)) throw new Error(`start "${options.start}" is not a date`);
  if (bucketStart(start, tf) !== start) {
    throw new Error(
      `start ${new Date(start).toISOString()} is not on a ${options.timeframe} boundary; use ${new Date(bucketStart(start, tf)).toISOString()}`,
    );
  }
  const n = options.bars;
  if (!Number.isInteger(n) || n < 0) throw new Error(`bars must be a whole number ≥ 0, got ${n}`);
  const tick = options.tickSize ?? 0.01;
  const startPrice = options.startPrice ?? 100;
  if (!(tick > 0) || !(startPrice >= tick)) {
    throw new Error(`need tickSize > 0 and startPrice ≥ tickSize, got ${tick} and ${startPrice}`);
  }
  const meanBars = options.regimes?.meanBars ?? 500;
  if (!(meanBars >= 1)) throw new Error(`regimes.meanBars must be ≥ 1, got ${meanBars}`);
  const weights = REGIMES.map((r) => options.regimes?.weights?.[r] ?? 1);
  if (weights.some((w) => !(w >= 0)) || !weights.some((w) => w > 0)) {
    throw new Error('regimes.weights must be ≥ 0 with at least one above 0');
  }

  const random = new Random(options.seed);
  const round = tickRounder(tick);
  const barVol = (options.annualVolatility ?? 0.6) * Math.sqrt(tf / YEAR_MS);
  const baseVolume = options.baseVolume ?? 1000;
  const intraday = tf < DAY_MS;
  const time = new Float64Array(n);
  const open = new Float64Array(n);
  const high = new Float64Array(n);
  const low = new Float64Array(n);
  const close = new Float64Array(n);
  const volume = new Float64Array(n);
  const regimes = new Uint8Array(n);

  let regime = pickRegime(random, weights, -1);
  let anchor = Math.log(startPrice);
  let prevClose = round.nearest(startPrice);
  for (let i = 0; i < n; i++) {
    if (i > 0 && random.next() < 1 / meanBars) {
      regime = pickRegime(random, weights, regime);
      anchor = Math.log(prevClose);
    }
    const shape = SHAPES[REGIMES[regime] as Regime];
    const sigma = barVol * shape.vol;
    const shock = shape.shockChance > 0 && random.next() < shape.shockChance ? shape.shockSize : 1;
    const o = round.nearest(Math.max(tick, prevClose * Math.exp(0.1 * sigma * random.normal())));
    let r = sigma * (shape.drift + shock * random.normal()) - shape.reversion * (Math.log(o) - anchor);
    // Keep prices well above one tick, where rounding would swamp the process.
    if (o < 100 * tick) r = Math.abs(r);
    const c = round.nearest(Math.max(tick, o * Math.exp(r)));
    const top = Math.max(o, c);
    const bottom = Math.min(o, c);
    const h = Math.max(top, round.up(top * Math.exp(0.5 * sigma * Math.abs(random.normal()))));
    const l = Math.max(
      tick,
      Math.min(bottom, round.down(bottom * Math.exp(-0.5 * sigma * Math.abs(random.normal())))),
    );
    const t = start + i * tf;
    const range = (h - l) / o / barVol;
    const season = intraday
      ? 1 + 0.6 * Math.cos((2 * Math.PI * ((t % DAY_MS) / DAY_MS - 15 / 24)) as number)
      : 1;
    const noise = Math.exp(0.3 * random.normal() - 0.045);
    time[i] = t;
    open[i] = o;
    high[i] = h;
    low[i] = l;
    close[i] = c;
    volume[i] = Math.max(0.001, Math.round(baseVolume * (0.3 + range) * season * noise * 1000) / 1000);
    regimes[i] = regime;
    prevClose = c;
  }
  return {
    series: { symbol: options.symbol, timeframe: options.timeframe, time, open, high, low, close, volume },
    regimes,
  };
}

function pickRegime(random: Random, weights: readonly number[], current: number): number {
  // A switch should change the regime unless only one is allowed.
  const total = weights.reduce((sum, w, i) => sum + (i === current ? 0 : w), 0);
  if (total === 0) return current;
  let x = random.next() * total;
  for (let i = 0; i < weights.length; i++) {
    if (i === current) continue;
    x -= weights[i] ?? 0;
    if (x < 0 && (weights[i] ?? 0) > 0) return i;
  }
  return weights.findLastIndex((w, i) => w > 0 && i !== current);
}

/** Rounding to ticks; integer arithmetic when 1/tick is whole, so 0.01 ticks print as 100.01. */
function tickRounder(tick: number): {
  nearest(x: number): number;
  up(x: number): number;
  down(x: number): number;
} {
  const inverse = 1 / tick;
  if (Math.abs(inverse - Math.round(inverse)) < 1e-9) {
    const k = Math.round(inverse);
    return {
      nearest: (x) => Math.round(x * k) / k,
      up: (x) => Math.ceil(x * k - 1e-9) / k,
      down: (x) => Math.floor(x * k + 1e-9) / k,
    };
  }
  return {
    nearest: (x) => Math.round(x / tick) * tick,
    up: (x) => Math.ceil(x / tick - 1e-9) * tick,
    down: (x) => Math.floor(x / tick + 1e-9) * tick,
  };
}
