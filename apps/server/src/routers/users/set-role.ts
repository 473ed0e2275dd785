// users.setRole: an administrator changes someone's role; the last administrator cannot step down,
// so a database is never left without one.
import { z } from 'zod';
import { audit } from '../../audit';
import { principalCache } from '../../auth/principal-cache';
import { roleToDb } from '../../context';
import { ApiError } from '../../errors';
import { adminProcedure, type ProtectedContext } from '../../trpc';
import { publicUser } from '../auth/session-cookies';

export const setRoleInput = z
  .object({ userId: z.string().min(1).max(64), role: z.enum(['admin', 'trader', 'viewer']) })
  .strict();

export async function setRole(ctx: ProtectedContext, input: z.infer<typeof setRoleInput>) {
  const role = roleToDb(input.role);
  const updated = await ctx.prisma.$transaction(async (tx) => {
    const user = await tx.user.findUnique({ where: { id: input.userId } });
    if (!user) throw new ApiError('NOT_FOUND', `User ${input.userId} does not exist.`);
    if (
      user.role === 'ADMIN' &&
      role !== 'ADMIN' &&
      (await tx.user.count({ where: { role: 'ADMIN' } })) <= 1
    ) {
      throw new ApiError(
        'CONFLICT',
        'This is the last administrator; make someone else an administrator first.',
      );
    }
    const changed = await tx.user.update({ where: { id: user.id }, data: { role } });
    await audit(
      ctx,
      'user.set_role',
      { type: 'user', id: user.id },
      { from: user.role, to: role },
      { client: tx },
    );
    return changed;
  });
  // The user's cached sessions and tokens carry the old role.
  principalCache(ctx.prisma).invalidateUser(updated.id);
  return publicUser(updated);
}

export const setRoleProcedure = adminProcedure
  .input(setRoleInput)
  .mutation(({ ctx, input }) => setRole(ctx, input));
