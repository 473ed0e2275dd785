// The root router: every router of the API, composed in one place. The web app imports AppRouter.
import { router } from '../trpc';
import { apiTokensRouter } from './api-tokens';
import { authRouter } from './auth';
import { usersRouter } from './users';

export const appRouter = router({
  auth: authRouter,
  apiTokens: apiTokensRouter,
  users: usersRouter,
});

export type AppRouter = typeof appRouter;
