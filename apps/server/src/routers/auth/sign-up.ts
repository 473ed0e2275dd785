// auth.signUp: creates an account (the first account of a fresh database is the administrator;
// every later one a trader) and signs it in.
import { hashPassword, passwordProblem } from '../../auth/password';
import { audit } from '../../audit';
import type { Context } from '../../context';
import { ApiError } from '../../errors';
import { publicProcedure } from '../../trpc';
import { credentials } from './schemas';
import { enforceAuthLimit, requireHttp, startSession } from './session-cookies';

// Serialises "is this the first user?" between concurrent sign-ups (PostgreSQL and PGlite alike).
const FIRST_USER_LOCK = 74_201_001;

export async function signUp(ctx: Context, input: { email: string; password: string }) {
  requireHttp(ctx);
  await enforceAuthLimit(ctx, input.email, 'sign-up');
  const problem = passwordProblem(input.password, input.email);
  if (problem) {
    throw new ApiError('VALIDATION_FAILED', problem, {
      issues: [{ path: 'password', code: 'weak_password', message: problem }],
    });
  }
  const passwordHash = await hashPassword(input.password);
  const { user, signedIn, setCookies } = await ctx.prisma.$transaction(async (tx) => {
    await tx.$executeRawUnsafe(`SELECT pg_advisory_xact_lock(${FIRST_USER_LOCK})`);
    if (await tx.user.findUnique({ where: { email: input.email }, select: { id: true } })) {
      throw new ApiError('CONFLICT', 'An account with this email already exists; sign in instead.');
    }
    const role = (await tx.user.count()) === 0 ? 'ADMIN' : 'TRADER';
    const user = await tx.user.create({ data: { email: input.email, passwordHash, role } });
    const started = await startSession(ctx, user, tx);
    await audit(
      ctx,
      'auth.sign_up',
      { type: 'user', id: user.id },
      { role },
      { client: tx, userId: user.id },
    );
    return { user, ...started };
  });
  if (user.role === 'ADMIN')
    ctx.log.warn({ userId: user.id }, 'first account of this database created as administrator');
  setCookies();
  return signedIn;
}

export const signUpProcedure = publicProcedure
  .input(credentials)
  .mutation(({ ctx, input }) => signUp(ctx, input));
