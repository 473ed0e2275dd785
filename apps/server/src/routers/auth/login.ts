// auth.login: checks the password, records the attempt either way, and starts a session.
import { verifyAgainstDummy, verifyPassword } from '../../auth/password';
import { audit } from '../../audit';
import type { Context } from '../../context';
import { ApiError } from '../../errors';
import { publicProcedure } from '../../trpc';
import { credentials } from './schemas';
import { enforceAuthLimit, requireHttp, startSession } from './session-cookies';

export async function login(ctx: Context, input: { email: string; password: string }) {
  requireHttp(ctx);
  await enforceAuthLimit(ctx, input.email, 'login');
  const user = await ctx.prisma.user.findUnique({ where: { email: input.email } });
  // Unknown emails cost the same time as wrong passwords, and get the same answer.
  const ok = user
    ? await verifyPassword(user.passwordHash, input.password)
    : await verifyAgainstDummy(input.password);
  if (!user || !ok) {
    await audit(
      ctx,
      'auth.login_failed',
      user ? { type: 'user', id: user.id } : null,
      { email: input.email },
      {
        userId: user?.id ?? null,
      },
    );
    throw new ApiError('UNAUTHORIZED', 'Email or password is wrong.');
  }
  const { signedIn, setCookies } = await ctx.prisma.$transaction(async (tx) => {
    const started = await startSession(ctx, user, tx);
    await audit(ctx, 'auth.login', { type: 'user', id: user.id }, {}, { client: tx, userId: user.id });
    return started;
  });
  setCookies();
  return signedIn;
}

export const loginProcedure = publicProcedure
  .input(credentials)
  .mutation(({ ctx, input }) => login(ctx, input));
