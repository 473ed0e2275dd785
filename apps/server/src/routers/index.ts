// The root router: every router of the API, composed in one place. The web app imports AppRouter.
import { router } from '../trpc';
import { apiTokensRouter } from './api-tokens';
import { auditRouter } from './audit';
import { authRouter } from './auth';
import { backtestsRouter } from './backtests';
import { credentialsRouter } from './credentials';
import { datasetsRouter } from './datasets';
import { optimizationsRouter } from './optimizations';
import { strategiesRouter } from './strategies';
import { usersRouter } from './users';
import { versionsRouter } from './versions';

export const appRouter = router({
  auth: authRouter,
  apiTokens: apiTokensRouter,
  users: usersRouter,
  credentials: credentialsRouter,
  strategies: strategiesRouter,
  versions: versionsRouter,
  datasets: datasetsRouter,
  backtests: backtestsRouter,
  optimizations: optimizationsRouter,
  audit: auditRouter,
});

export type AppRouter = typeof appRouter;
