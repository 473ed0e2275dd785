// Personal API tokens for scripts and the public HTTP API.
import { router } from '../../trpc';
import { createApiTokenProcedure } from './create';
import { listApiTokensProcedure } from './list';
import { revokeApiTokenProcedure } from './revoke';

export const apiTokensRouter = router({
  create: createApiTokenProcedure,
  list: listApiTokensProcedure,
  revoke: revokeApiTokenProcedure,
});
