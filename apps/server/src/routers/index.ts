// The root router: every router of the API, composed in one place. The web app imports AppRouter.
import { router } from '../trpc';

export const appRouter = router({});

export type AppRouter = typeof appRouter;
