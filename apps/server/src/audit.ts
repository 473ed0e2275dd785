// The audit log writer every router uses: who did what to which thing, from where.
import type { Prisma, PrismaClient } from './db';
import type { Context } from './context';

export interface AuditTarget {
  readonly type: string;
  readonly id: string;
}

type AuditClient = Pick<PrismaClient, 'auditEvent'> | Prisma.TransactionClient;

/**
 * Records an audit event (e.g. `auth.login`, `strategy.save`, `job.submit`). Pass the transaction
 * client as `client` when the event belongs to a change, so both are written or neither is.
 * `userId` overrides the caller (a failed login names the account it tried, if it exists).
 */
export async function audit(
  ctx: Pick<Context, 'user' | 'ip' | 'userAgent' | 'prisma'>,
  action: string,
  target: AuditTarget | null = null,
  details: Record<string, unknown> = {},
  options: { client?: AuditClient; userId?: string | null } = {},
): Promise<void> {
  const client = options.client ?? ctx.prisma;
  await client.auditEvent.create({
    data: {
      userId: options.userId === undefined ? (ctx.user?.id ?? null) : options.userId,
      action,
      targetType: target?.type ?? null,
      targetId: target?.id ?? null,
      ip: ctx.ip,
      userAgent: ctx.userAgent?.slice(0, 512) ?? null,
      details: details as Prisma.InputJsonValue,
    },
  });
}
