// backtests.compare: two finished runs side by side: every metric with its difference, and the
// settings that differ between them.
import { z } from 'zod';
import { ApiError } from '../../errors';
import { type ProtectedContext, protectedProcedure, requireOwned } from '../../trpc';
import { settingsDiff } from './settings';
import { runId } from './views';

export const compareInput = z.strictObject({ a: runId, b: runId });

export async function compareRuns(ctx: ProtectedContext, input: z.infer<typeof compareInput>) {
  const [a, b] = [
    await requireOwned(ctx, 'backtestRun', input.a),
    await requireOwned(ctx, 'backtestRun', input.b),
  ];
  for (const run of [a, b]) {
    if (run.status !== 'SUCCEEDED') {
      throw new ApiError(
        'CONFLICT',
        `Backtest ${run.id} is ${run.status.toLowerCase()}; only finished runs can be compared.`,
        {
          id: run.id,
          status: run.status,
        },
      );
    }
  }
  const ma = (a.metrics ?? {}) as Record<string, unknown>;
  const mb = (b.metrics ?? {}) as Record<string, unknown>;
  const names = [...new Set([...Object.keys(ma), ...Object.keys(mb)])].sort();
  const metrics = names.map((name) => {
    const va = ma[name] ?? null;
    const vb = mb[name] ?? null;
    return {
      name,
      a: va,
      b: vb,
      difference: typeof va === 'number' && typeof vb === 'number' ? vb - va : null,
    };
  });
  return {
    a: { id: a.id, strategyVersionId: a.strategyVersionId, datasetId: a.datasetId },
    b: { id: b.id, strategyVersionId: b.strategyVersionId, datasetId: b.datasetId },
    sameStrategyVersion: a.strategyVersionId === b.strategyVersionId,
    sameDataset: a.datasetId === b.datasetId,
    metrics,
    settings: settingsDiff(a.settings, b.settings),
  };
}

export const compare = protectedProcedure
  .input(compareInput)
  .query(({ ctx, input }) => compareRuns(ctx, input));
