// A finished run's result never changes (runs are immutable once SUCCEEDED), so its large part
// (settings, metrics, equity, trades, warnings, provenance; ~200 KiB of jsonb) is kept per run id in a
// small LRU instead of being read and parsed from the database on every request. Ownership and status
// are still read from the database on every request (a cheap query without the jsonb columns); an entry
// is used only when the run's finishedAt matches the one it was stored with.

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

  set(runId: string, finishedAt: Date | null, part: RunResultPart): void {
    if (finishedAt === null || this.capacity <= 0) return;
    this.entries.delete(runId);
    this.entries.set(runId, { finishedAt: finishedAt.getTime(), part });
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
