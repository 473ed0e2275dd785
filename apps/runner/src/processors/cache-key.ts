// Cache keys of backtest results: the same strategy version, data, settings and engine version give the
// same key, so a result is computed once; a new ENGINE_VERSION changes every key, so a fix never serves stale results.
import { createHash } from 'node:crypto';
import { ENGINE_VERSION } from '@candleflow/engine';

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
