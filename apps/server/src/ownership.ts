// Ownership is checked here and nowhere else: a row that is missing, deleted or someone else's is
// NOT_FOUND, so ids of other users' things reveal nothing.
import { ApiError } from './errors';
import type { Context } from './context';
import type { PrismaClient } from './db';

/** The columns of a run's result; large (equity and trades run to hundreds of KiB). */
export const RUN_RESULT_COLUMNS = {
  settings: true,
  metrics: true,
  equity: true,
  trades: true,
  warnings: true,
  provenance: true,
} as const;

type Owner = Pick<Context, 'prisma'> & { user: { id: string } | null };

const loaders = {
  strategy: (p: PrismaClient, id: string) => p.strategy.findFirst({ where: { id, deletedAt: null } }),
  strategyVersion: (p: PrismaClient, id: string) =>
    p.strategyVersion.findFirst({
      where: { id, strategy: { deletedAt: null } },
      include: { strategy: true },
    }),
  dataset: (p: PrismaClient, id: string) => p.dataset.findFirst({ where: { id, deletedAt: null } }),
  backtestRun: (p: PrismaClient, id: string) => p.backtestRun.findUnique({ where: { id } }),
  /** A run without its large jsonb columns (metrics, equity, trades, ...): for status and ownership. */
  backtestRunSummary: (p: PrismaClient, id: string) =>
    p.backtestRun.findUnique({ where: { id }, omit: RUN_RESULT_COLUMNS }),
  optimization: (p: PrismaClient, id: string) => p.optimization.findUnique({ where: { id } }),
  /** An optimization without its report (large): for status, ownership and the trial tables. */
  optimizationSummary: (p: PrismaClient, id: string) =>
    p.optimization.findUnique({ where: { id }, omit: { report: true } }),
  apiToken: (p: PrismaClient, id: string) => p.apiToken.findUnique({ where: { id } }),
  exchangeCredential: (p: PrismaClient, id: string) => p.exchangeCredential.findUnique({ where: { id } }),
};

export type OwnedKind = keyof typeof loaders;
export type OwnedRow<K extends OwnedKind> = NonNullable<Awaited<ReturnType<(typeof loaders)[K]>>>;

const LABEL: Record<OwnedKind, string> = {
  strategy: 'Strategy',
  strategyVersion: 'Strategy version',
  dataset: 'Dataset',
  backtestRun: 'Backtest run',
  backtestRunSummary: 'Backtest run',
  optimization: 'Optimization',
  optimizationSummary: 'Optimization',
  apiToken: 'API token',
  exchangeCredential: 'Exchange credential',
};

function ownerOf(kind: OwnedKind, row: Record<string, unknown>): { ownerId: unknown; isPublic: boolean } {
  if (kind === 'strategyVersion') {
    const strategy = row.strategy as { ownerId: string; visibility: string };
    return { ownerId: strategy.ownerId, isPublic: strategy.visibility === 'PUBLIC' };
  }
  return { ownerId: row.ownerId ?? row.userId, isPublic: row.visibility === 'PUBLIC' };
}

/**
 * Loads a row the caller owns, or throws NOT_FOUND. `allowPublic` lets anyone signed in read a
 * PUBLIC strategy (or its versions), never change it.
 */
export async function requireOwned<K extends OwnedKind>(
  ctx: Owner,
  kind: K,
  id: string,
  options: { allowPublic?: boolean } = {},
): Promise<OwnedRow<K>> {
  if (!ctx.user) throw new ApiError('UNAUTHORIZED', 'Sign in first.');
  const row = (await loaders[kind](ctx.prisma, id)) as Record<string, unknown> | null;
  return checkOwned(ctx, kind, id, row as OwnedRow<K> | null, options);
}

/**
 * requireOwned's decision for a row the caller already holds (e.g. from an in-memory cache of an
 * immutable row): the row, or the very same UNAUTHORIZED / NOT_FOUND errors requireOwned throws.
 */
export function checkOwned<K extends OwnedKind>(
  ctx: { user: { id: string } | null },
  kind: K,
  id: string,
  row: OwnedRow<K> | null,
  options: { allowPublic?: boolean } = {},
): OwnedRow<K> {
  const notFound = new ApiError('NOT_FOUND', `${LABEL[kind]} ${id} does not exist or is not yours.`, {
    kind,
    id,
  });
  if (!ctx.user) throw new ApiError('UNAUTHORIZED', 'Sign in first.');
  if (!row) throw notFound;
  const { ownerId, isPublic } = ownerOf(kind, row as unknown as Record<string, unknown>);
  if (ownerId !== ctx.user.id && !(options.allowPublic && isPublic)) throw notFound;
  return row;
}
