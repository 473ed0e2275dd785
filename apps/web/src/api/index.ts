// The studio's API layer: the tRPC client, the query cache, error helpers and shared hooks.
export {
  type AppRouter,
  type CandleflowClient,
  type CandleflowConnection,
  type ClientOptions,
  createCandleflowClient,
  resetRealtime,
  trpc,
  websocketUrl,
} from './client';
export { browserCsrfToken, CSRF_COOKIE, CSRF_HEADER, csrfHeaders, readCookie } from './csrf';
export {
  describeServerError,
  fieldIssues,
  formatIssue,
  formatServerError,
  type ServerErrorInfo,
  type ServerIssue,
  useServerError,
} from './errors';
export { canEdit, type Me, ME_KEY, type MeResult, type Role, useCanEdit, useMe } from './hooks';
export { createQueryClient, queryClient, shouldRetry } from './query-client';
