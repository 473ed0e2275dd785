// Re-encrypts every stored exchange credential under the keyring's active key, a batch per transaction,
// so an old key can be removed from CREDENTIALS_KEYS. Safe to stop and rerun: finished rows are skipped.
import type { PrismaClient } from '../db';
import type { Keyring } from './cipher';
import { openRow, sealColumns, storedKeyId } from './store';

export interface RotationReport {
  activeKeyId: string;
  /** Rows re-encrypted by this run. */
  rotated: number;
  /** Rows already under the active key before this run. */
  alreadyCurrent: number;
  batches: number;
  /** Rows per key id before the run. */
  before: Record<string, number>;
  /** Rows per key id after the run (only the active key once rotation is complete). */
  after: Record<string, number>;
}

export interface RotationOptions {
  batchSize?: number;
  /** Called after each committed batch, for progress output. */
  onBatch?: (progress: { batch: number; rotated: number }) => void;
}

type RotationClient = Pick<PrismaClient, 'exchangeCredential' | '$transaction'>;

export async function rotateCredentials(
  prisma: RotationClient,
  keyring: Keyring,
  options: RotationOptions = {},
): Promise<RotationReport> {
  const batchSize = options.batchSize ?? 200;
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new Error(`batch size must be a positive whole number, got ${batchSize}`);
  }
  const activeKeyId = keyring.active.id;
  const before = await countByKey(prisma);
  let rotated = 0;
  let batches = 0;
  // Walking by id (not re-querying "rows not under the active key") guarantees the loop ends even if
  // another writer keeps producing old-key rows while we run.
  let afterId: string | undefined;
  for (;;) {
    const page = await prisma.exchangeCredential.findMany({
      where: { keyId: { not: activeKeyId }, ...(afterId === undefined ? {} : { id: { gt: afterId } }) },
      orderBy: { id: 'asc' },
      take: batchSize,
      select: { id: true, userId: true, keyId: true, ciphertext: true },
    });
    if (page.length === 0) break;
    afterId = page[page.length - 1]!.id;
    const count = await prisma.$transaction(async (tx) => {
      let changed = 0;
      for (const row of page) {
        const sealed = sealColumns(keyring, row, openRow(keyring, row));
        // Conditional on the ciphertext we read: a credential replaced meanwhile is already current.
        const result = await tx.exchangeCredential.updateMany({
          where: {
            id: row.id,
            keyId: row.keyId,
            ciphertext: { equals: row.ciphertext as Uint8Array<ArrayBuffer> },
          },
          data: sealed,
        });
        changed += result.count;
      }
      return changed;
    });
    rotated += count;
    batches += 1;
    options.onBatch?.({ batch: batches, rotated });
  }
  const mislabelled = await findMislabelled(prisma, activeKeyId);
  if (mislabelled.length > 0) {
    throw new Error(
      `credentials ${mislabelled.join(', ')} are labelled with key "${activeKeyId}" but encrypted under ` +
        'another key; their keyId column was edited. Set it to the id inside the ciphertext and rerun.',
    );
  }
  return {
    activeKeyId,
    rotated,
    alreadyCurrent: before[activeKeyId] ?? 0,
    batches,
    before,
    after: await countByKey(prisma),
  };
}

/** One line per run for the command's output. */
export function describeRotation(report: RotationReport): string {
  const retired = Object.keys(report.before)
    .filter((id) => id !== report.activeKeyId)
    .sort();
  const stillUsed = Object.keys(report.after)
    .filter((id) => id !== report.activeKeyId)
    .sort();
  const lines = [
    `re-encrypted ${report.rotated} credential(s) under key "${report.activeKeyId}" in ${report.batches} batch(es); ` +
      `${report.alreadyCurrent} were already under it`,
  ];
  if (stillUsed.length > 0) {
    lines.push(`still encrypted under ${stillUsed.join(', ')}: rerun before removing those keys`);
  } else if (retired.length > 0) {
    lines.push(
      `no credential uses ${retired.join(', ')} any more: those keys can be removed from CREDENTIALS_KEYS`,
    );
  }
  return lines.join('\n');
}

async function countByKey(prisma: RotationClient): Promise<Record<string, number>> {
  const groups = await prisma.exchangeCredential.groupBy({ by: ['keyId'], _count: { _all: true } });
  return Object.fromEntries(groups.map((group) => [group.keyId, group._count._all]));
}

// The keyId column drives the rotation query; a row whose column was edited to the active id while its
// ciphertext still names an old key would be skipped and lost when the old key goes. Check them all.
async function findMislabelled(prisma: RotationClient, activeKeyId: string): Promise<string[]> {
  const rows = await prisma.exchangeCredential.findMany({
    where: { keyId: activeKeyId },
    select: { id: true, ciphertext: true },
  });
  return rows.filter((row) => storedKeyId(row.ciphertext) !== activeKeyId).map((row) => row.id);
}
