// auth.changePassword: needs the current password and a cookie session (a leaked API token must not
// be able to take over the account); signs out every other session.
import { z } from 'zod';
import { hashPassword, passwordProblem, verifyPassword } from '../../auth/password';
import { principalCache } from '../../auth/principal-cache';
import { invalidateUserSessions } from '../../auth/sessions';
import { audit } from '../../audit';
import { ApiError } from '../../errors';
import { type ProtectedContext, protectedProcedure } from '../../trpc';
import { password } from './schemas';
import { enforceAuthLimit } from './session-cookies';

export const changePasswordInput = z.object({ currentPassword: password, newPassword: password }).strict();

export async function changePassword(ctx: ProtectedContext, input: z.infer<typeof changePasswordInput>) {
  if (ctx.auth.kind !== 'session') {
    throw new ApiError(
      'FORBIDDEN',
      'Change your password from a signed-in browser session, not with an API token.',
    );
  }
  await enforceAuthLimit(ctx, ctx.user.email, 'password');
  const user = await ctx.prisma.user.findUniqueOrThrow({ where: { id: ctx.user.id } });
  if (!(await verifyPassword(user.passwordHash, input.currentPassword))) {
    await audit(ctx, 'auth.password_change_failed', { type: 'user', id: user.id });
    throw new ApiError('UNAUTHORIZED', 'The current password is wrong.');
  }
  const problem = passwordProblem(input.newPassword, user.email);
  if (problem) {
    throw new ApiError('VALIDATION_FAILED', problem, {
      issues: [{ path: 'newPassword', code: 'weak_password', message: problem }],
    });
  }
  const passwordHash = await hashPassword(input.newPassword);
  const sessionId = ctx.auth.session.id;
  const signedOut = await ctx.prisma.$transaction(async (tx) => {
    await tx.user.update({ where: { id: user.id }, data: { passwordHash } });
    const count = await invalidateUserSessions(tx, user.id, sessionId);
    await audit(
      ctx,
      'auth.password_change',
      { type: 'user', id: user.id },
      { otherSessionsEnded: count },
      { client: tx },
    );
    return count;
  });
  // The other sessions are gone from the database; drop every cached principal of this user too.
  principalCache(ctx.prisma).invalidateUser(user.id);
  return { ok: true, otherSessionsEnded: signedOut };
}

export const changePasswordProcedure = protectedProcedure
  .input(changePasswordInput)
  .mutation(({ ctx, input }) => changePassword(ctx, input));
