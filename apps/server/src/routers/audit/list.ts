// audit.list: the audit log for administrators, newest first, filtered by user, action and time,
// one page at a time.
import { z } from 'zod';
import { adminProcedure, type ProtectedContext } from '../../trpc';

export const listInput = z
  .strictObject({
    userId: z.string().trim().min(1).max(64).optional(),
    /** Exact action (auth.login) or a prefix ending in a dot (auth.). */
    action: z
      .string()
      .trim()
      .regex(/^[a-z_.]{1,64}$/, 'must be an action such as auth.login or auth.')
      .optional(),
    from: z.coerce.date().optional(),
    to: z.coerce.date().optional(),
    limit: z.number().int().min(1).max(500).default(100),
    cursor: z.string().trim().min(1).max(64).optional(),
  })
  .default({ limit: 100 });

export async function listAudit(ctx: ProtectedContext, input: z.infer<typeof listInput>) {
  const action = input.action
    ? input.action.endsWith('.')
      ? { startsWith: input.action }
      : input.action
    : undefined;
  const rows = await ctx.prisma.auditEvent.findMany({
    where: {
      ...(input.userId ? { userId: input.userId } : {}),
      ...(action ? { action } : {}),
      ...(input.from || input.to
        ? { createdAt: { ...(input.from ? { gte: input.from } : {}), ...(input.to ? { lt: input.to } : {}) } }
        : {}),
    },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: input.limit + 1,
    ...(input.cursor ? { cursor: { id: input.cursor }, skip: 1 } : {}),
  });
  const page = rows.slice(0, input.limit);
  return { items: page, nextCursor: rows.length > input.limit ? (page.at(-1)?.id ?? null) : null };
}

export const list = adminProcedure.input(listInput).query(({ ctx, input }) => listAudit(ctx, input));
