// A finished run's result never changes (runs are immutable once SUCCEEDED), so its large part
// (settings, metrics, equity, trades, warnings, provenance; ~200 KiB of jsonb) is kept per run id in a
// small LRU instead of being read and parsed from the database on every request. An entry also keeps the
// run's summary row (status, owner, timestamps; no jsonb) as it was when the run had SUCCEEDED: a
// SUCCEEDED run never changes again (the run store only moves QUEUED/RUNNING runs) and its owner never
// changes, so backtests.result checks ownership against that row (same NOT_FOUND for others) without a
// query. Entries stored without a summary are used only when the run's finishedAt matches.

export interface RunResultPart {
  readonly settings: unknown;
  readonly metrics: unknown;
  readonly equity: unknown;
  readonly trades: unknown;
  readonly warnings: unknown;
  readonly provenance: unknown;
}

interface Entry {
  readonly finishedAt: number;
  readonly part: RunResultPart;
  readonly summary?: unknown;
}

export class RunResultCache {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly capacity: number) {}

  get(runId: string, finishedAt: Date | null): RunResultPart | undefined {
    const entry = this.entries.get(runId);
    if (!entry) return undefined;
    if (finishedAt === null || entry.finishedAt !== finishedAt.getTime()) {
      this.entries.delete(runId);
      return undefined;
    }
    // Most recently used last.
    this.entries.delete(runId);
    this.entries.set(runId, entry);
    return entry.part;
  }

  /** The summary row and result of a SUCCEEDED run stored with `set(..., summary)`, or undefined. */
  getFinished<S>(runId: string): { summary: S; part: RunResultPart } | undefined {
    const entry = this.entries.get(runId);
    if (!entry || entry.summary === undefined) return undefined;
    this.entries.delete(runId);
    this.entries.set(runId, entry);
    return { summary: entry.summary as S, part: entry.part };
  }

  /** `summary` only for a SUCCEEDED run (immutable from then on); it must include the owner. */
  set(runId: string, finishedAt: Date | null, part: RunResultPart, summary?: unknown): void {
    if (finishedAt === null || this.capacity <= 0) return;
    this.entries.delete(runId);
    this.entries.set(runId, { finishedAt: finishedAt.getTime(), part, summary });
    while (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
  }

  get size(): number {
    return this.entries.size;
  }
}

/** Process-wide: results are immutable, so sharing across servers in one process is safe. */
export const runResultCache = new RunResultCache(32);
