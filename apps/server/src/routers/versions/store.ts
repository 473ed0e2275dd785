// Writes immutable strategy versions. The number is previous + 1, chosen inside the transaction that
// writes it; two saves racing for the same number meet the (strategyId, number) unique constraint and
// the loser retries with the next number, so numbers never repeat or skip.
import type { Prisma } from '../../db';
import { audit, type ProtectedContext } from '../../trpc';
import { ApiError } from '../../errors';
import type { CheckedGraph } from '../strategies/graph';

const MAX_ATTEMPTS = 5;

type Tx = Prisma.TransactionClient;

function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'P2002';
}

/** Runs `work` in a transaction, again from the start when it lost a race on a unique constraint. */
export async function transactionWithRetry<T>(
  ctx: ProtectedContext,
  work: (tx: Tx) => Promise<T>,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await ctx.prisma.$transaction(work);
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      if (attempt >= MAX_ATTEMPTS) {
        throw new ApiError('CONFLICT', 'Too many saves of this strategy at once; save again in a moment.');
      }
    }
  }
}

/** Inserts the next version of a strategy inside `tx` and records strategy.save. */
export async function insertNextVersion(
  ctx: ProtectedContext,
  tx: Tx,
  strategyId: string,
  checked: CheckedGraph,
) {
  const last = await tx.strategyVersion.findFirst({
    where: { strategyId },
    orderBy: { number: 'desc' },
    select: { number: true },
  });
  const version = await tx.strategyVersion.create({
    data: {
      strategyId,
      number: (last?.number ?? 0) + 1,
      graph: checked.graph as Prisma.InputJsonValue,
      dslText: checked.dslText,
      contentHash: checked.contentHash,
      params: checked.params as Prisma.InputJsonValue,
      createdById: ctx.user.id,
    },
  });
  // Touch the strategy so lists sorted by updatedAt show the latest saved first.
  await tx.strategy.update({ where: { id: strategyId }, data: { updatedAt: new Date() } });
  await audit(
    ctx,
    'strategy.save',
    { type: 'strategyVersion', id: version.id },
    { strategyId, number: version.number, contentHash: version.contentHash },
    { client: tx },
  );
  return version;
}
