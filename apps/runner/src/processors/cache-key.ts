// Cache keys of backtest results: the same strategy version, data, settings and engine version give the
// same key, so a result is computed once; a new ENGINE_VERSION changes every key, so a fix never serves stale results.
import { createHash } from 'node:crypto';
import { ENGINE_VERSION } from '@candleflow/engine';
import type { BarWindow, ParamValue } from '@candleflow/optimize';
import { type GraphInput, GraphSchema } from '@candleflow/strategy-dsl';
import type { BacktestRunSettings } from './execute';

/** JSON with object keys sorted at every level, so equal values always give equal text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value, '$'));
}

function sortKeys(value: unknown, path: string): unknown {
  if (typeof value === 'number' && !Number.isFinite(value)) {
    throw new TypeError(`canonicalJson: ${path} is ${value}; JSON has no such number`);
  }
  if (Array.isArray(value)) return value.map((item, i) => sortKeys(item, `${path}[${i}]`));
  if (value === null || typeof value !== 'object') return value;
  const sorted: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    const item = (value as Record<string, unknown>)[key];
    if (item !== undefined) sorted[key] = sortKeys(item, `${path}.${key}`);
  }
  return sorted;
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** sha256 of the canonical JSON of a run's settings (BacktestRun.settingsHash). */
export function settingsHash(settings: unknown): string {
  return sha256Hex(canonicalJson(settings));
}

export interface CacheKeyParts {
  /** The strategy version's contentHash. */
  readonly versionHash: string;
  /** The dataset's dataHash (hashCandles). */
  readonly dataHash: string;
  readonly settingsHash: string;
  /** Defaults to this engine's ENGINE_VERSION. */
  readonly engineVersion?: string;
}

/** BacktestRun.cacheKey: the server computes it at submit, the runner looks results up by it. */
export function backtestCacheKey(parts: CacheKeyParts): string {
  return sha256Hex(
    canonicalJson([
      parts.versionHash,
      parts.dataHash,
      parts.settingsHash,
      parts.engineVersion ?? ENGINE_VERSION,
    ]),
  );
}

/**
 * Hash of what decides a strategy's result: the graph without its name, description, node positions and
 * parameter descriptions, with every strategy parameter's default replaced by its value in `paramValues`.
 * So a version saved with an optimization's best values as its defaults hashes equal to the trial that
 * found them, and its backtest is answered from the cache.
 */
export function strategyResultHash(
  graph: GraphInput,
  paramValues: Readonly<Record<string, ParamValue>>,
): string {
  const parsed = GraphSchema.parse(graph);
  const { name: _name, description: _description, nodes, params, ...rest } = parsed;
  return sha256Hex(
    canonicalJson({
      ...rest,
      params: params.map(({ description: _text, ...param }) =>
        Object.hasOwn(paramValues, param.name) ? { ...param, default: paramValues[param.name] } : param,
      ),
      nodes: nodes.map(({ position: _position, ...node }) => node),
    }),
  );
}

export interface TrialKeyParts {
  /** strategyResultHash of the version's graph with the trial's parameter values. */
  readonly resultHash: string;
  readonly dataHash: string;
  /** The bars traded, [from, to) in bar indices of the dataset. */
  readonly window: BarWindow;
  /** Bars before window.from the strategy sees to warm up. */
  readonly warmupBars: number;
  readonly settingsHash: string;
  /** Defaults to this engine's ENGINE_VERSION. */
  readonly engineVersion?: string;
}

/** TrialResult.key: one computed trial, reused by every optimization that asks for the same one. */
export function trialResultKey(parts: TrialKeyParts): string {
  return sha256Hex(
    canonicalJson([
      'trial',
      parts.resultHash,
      parts.dataHash,
      parts.window.from,
      parts.window.to,
      parts.warmupBars,
      parts.settingsHash,
      parts.engineVersion ?? ENGINE_VERSION,
    ]),
  );
}

/**
 * BacktestRun.cacheKey of a run of `graph` with `settings`: parameter values count as strategy content
 * (strategyResultHash), the rest of the settings as settings. Every producer of backtest results (the
 * backtests API, an optimization's final run) keys them this way, so equal results share one key.
 */
export function runCacheKey(graph: GraphInput, settings: BacktestRunSettings, dataHash: string): string {
  const { paramValues = {}, ...rest } = settings;
  return backtestCacheKey({
    versionHash: strategyResultHash(graph, paramValues),
    dataHash,
    settingsHash: settingsHash(rest),
  });
}
