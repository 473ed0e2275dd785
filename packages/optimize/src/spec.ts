// What a trader asks of an optimization: which parameters to search and how, what "best" means, and
// which honesty checks to run. One zod schema serves the API, the studio's form and the runner.
import { z } from 'zod';

export type ParamValue = number | string | boolean;
/** One candidate: a value for every searched parameter (fixed ones included). */
export type ParamSet = Readonly<Record<string, ParamValue>>;

const paramName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/, 'must be a strategy parameter name');
const paramValue = z.union([z.number(), z.boolean(), z.string().max(200)]);

/**
 * A per-run adjustment of one parameter's search: keep it at one value, search a numeric range (any of
 * min/max/step left out keeps the declared one), or search an explicit list of values.
 */
export const RangeOverrideSchema = z.union([
  z.strictObject({ fixed: paramValue }),
  z.strictObject({ values: z.array(paramValue).min(1).max(10_000) }),
  z.strictObject({
    min: z.number().finite().optional(),
    max: z.number().finite().optional(),
    step: z.number().finite().positive().optional(),
  }),
]);
export type RangeOverride = z.infer<typeof RangeOverrideSchema>;

export const SEARCH_METHODS = ['grid', 'random', 'bayesian'] as const;
export type SearchMethod = (typeof SEARCH_METHODS)[number];

export const OBJECTIVE_METRICS = ['sharpe', 'sortino', 'calmar', 'totalReturn', 'profitFactor'] as const;
export type ObjectiveMetric = (typeof OBJECTIVE_METRICS)[number];

export const ObjectiveSpecSchema = z
  .strictObject({
    /** What "best" means; `weighted` sums the weighted metrics. Higher is always better. */
    metric: z.enum([...OBJECTIVE_METRICS, 'weighted']).default('sharpe'),
    weights: z.partialRecord(z.enum(OBJECTIVE_METRICS), z.number().finite().min(-100).max(100)).optional(),
    /** A trial with fewer closed trades is infeasible (never "best"). */
    minTrades: z.number().int().min(0).max(1_000_000).optional(),
    /** A trial whose maximum drawdown is deeper (percent) is infeasible. */
    maxDrawdownPct: z.number().gt(0).max(100).optional(),
  })
  .refine((o) => o.metric !== 'weighted' || Object.values(o.weights ?? {}).some((w) => w !== 0), {
    message: 'a weighted objective needs at least one non-zero weight',
    path: ['weights'],
  });
export type ObjectiveSpec = z.infer<typeof ObjectiveSpecSchema>;

export const WalkForwardSpecSchema = z.strictObject({
  /** anchored: every in-sample window starts at the first bar; rolling: it slides with the folds. */
  mode: z.enum(['anchored', 'rolling']).default('rolling'),
  folds: z.number().int().min(2).max(20).default(5),
  /** Out-of-sample window length as a fraction of the (first) in-sample window's length. */
  oosRatio: z.number().min(0.05).max(1).default(0.25),
});
export type WalkForwardSpec = z.infer<typeof WalkForwardSpecSchema>;

export const MonteCarloSpecSchema = z.strictObject({
  runs: z.number().int().min(100).max(20_000).default(1000),
  /** A path whose drawdown reaches this (percent from a peak) counts as ruin. */
  ruinDrawdownPct: z.number().gt(0).max(100).default(50),
  /** Block length of the per-bar block bootstrap; default: about the cube root of the bar count. */
  blockBars: z.number().int().min(1).max(100_000).optional(),
});
export type MonteCarloSpec = z.infer<typeof MonteCarloSpecSchema>;

export const OptimizeSpecSchema = z.strictObject({
  method: z.enum(SEARCH_METHODS).default('grid'),
  /** Trials to run for random and Bayesian search (grid runs every valid combination). */
  trials: z.number().int().min(1).max(100_000).default(200),
  /** Per-run changes to the declared ranges, by parameter name; unnamed parameters keep their definitions. */
  ranges: z.record(paramName, RangeOverrideSchema).default({}),
  objective: ObjectiveSpecSchema.default({ metric: 'sharpe' }),
  /** Off when absent. */
  walkForward: WalkForwardSpecSchema.optional(),
  /** On by default; `null` turns it off. */
  monteCarlo: MonteCarloSpecSchema.nullable().default({ runs: 1000, ruinDrawdownPct: 50 }),
  seed: z
    .number()
    .int()
    .min(0)
    .max(2 ** 31 - 1)
    .default(1),
  /** Reuse stored trial results for the same strategy content, data, settings and engine (default on). */
  reuseResults: z.boolean().default(true),
});
export type OptimizeSpec = z.infer<typeof OptimizeSpecSchema>;
export type OptimizeSpecInput = z.input<typeof OptimizeSpecSchema>;

/** Grids larger than this are refused before any job starts, with the count and a suggestion. */
export const MAX_GRID_COMBINATIONS = 250_000;
