// The one place procedures are defined: public, protected (signed in), role-gated, with CSRF checks
// for cookie-authenticated mutations and the shared error shape. Routers import from here only.
import { initTRPC } from '@trpc/server';
import { ApiError, normaliseError } from './errors';
import { type Context, ROLE_RANK, type Role } from './context';
import { safeEqual } from './auth/tokens';

export type { Context, Role, AuthUser } from './context';
export { ApiError } from './errors';
export { audit } from './audit';
export { requireOwned, type OwnedKind } from './ownership';

/** Request ids of failed calls, attached by the adapter's onError before tRPC formats the error. */
export const errorRequestIds = new WeakMap<object, string>();

const t = initTRPC.context<Context>().create({
  errorFormatter({ shape, error, ctx, path }) {
    const requestId = ctx?.requestId ?? errorRequestIds.get(error);
    const { status, body } = normaliseError(error, requestId);
    // shape.code (JSON-RPC number) stays so tRPC clients still parse the envelope; data.code is ours.
    return { message: body.message, code: shape.code, data: { ...body, httpStatus: status, path } };
  },
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;
export const middleware = t.middleware;

/**
 * Cookie-authenticated mutations must come from our own origin and carry the session's CSRF token
 * (x-csrf-token header, or the csrfToken connection param over WebSocket). API-token calls are
 * exempt: a browser never attaches a bearer token by itself.
 */
const csrfGuard = t.middleware(({ ctx, type, next }) => {
  if (type === 'mutation' && ctx.auth?.kind !== 'apiToken' && !ctx.sameOrigin) {
    throw new ApiError(
      'CSRF_FAILED',
      'Cross-site request refused: the Origin of this request is not this server.',
    );
  }
  if (type === 'mutation' && ctx.auth?.kind === 'apiToken' && !ctx.auth.scopes.includes('write')) {
    throw new ApiError(
      'FORBIDDEN',
      'This API token is read-only (scope "read"); create one with the "write" scope.',
    );
  }
  if (type === 'mutation' && ctx.auth?.kind === 'session') {
    const sent = ctx.csrfToken;
    if (!sent || !safeEqual(sent, ctx.auth.session.csrfSecret)) {
      throw new ApiError(
        'CSRF_FAILED',
        'Missing or wrong CSRF token: send the value of the cf_csrf cookie (or of auth.me → csrfToken) in the x-csrf-token header.',
      );
    }
  }
  return next();
});

export const publicProcedure = t.procedure.use(csrfGuard);

/** Signed in (by session or API token); ctx.user is non-null from here on. */
export const protectedProcedure = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.user) {
    throw new ApiError(
      'UNAUTHORIZED',
      ctx.authProblem ?? 'Sign in first (or send an API token as "Authorization: Bearer …").',
    );
  }
  return next({ ctx: { ...ctx, user: ctx.user, auth: ctx.auth! } });
});

const roleProcedures = new Map<Role, typeof protectedProcedure>();

/**
 * At least the given role: 'trader' for anything that creates, changes or runs (viewers are
 * read-only), 'admin' for administration. 'viewer' is the same as protectedProcedure.
 */
export function roleProcedure(minRole: Role): typeof protectedProcedure {
  let procedure = roleProcedures.get(minRole);
  if (!procedure) {
    procedure = protectedProcedure.use(({ ctx, next }) => {
      if (ROLE_RANK[ctx.user.role] < ROLE_RANK[minRole]) {
        throw new ApiError(
          'FORBIDDEN',
          minRole === 'admin'
            ? 'Only an administrator may do this.'
            : `Your role (${ctx.user.role}) is read-only here: this needs the ${minRole} role; ask an administrator.`,
        );
      }
      return next();
    });
    roleProcedures.set(minRole, procedure);
  }
  return procedure;
}

/** Shorthands for the two gates routers use most. */
export const traderProcedure = roleProcedure('trader');
export const adminProcedure = roleProcedure('admin');

export type ProtectedContext = Context & {
  user: NonNullable<Context['user']>;
  auth: NonNullable<Context['auth']>;
};
