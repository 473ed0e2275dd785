// Public surface of @candleflow/server: build the server, its router type for clients, and the
// pieces routers and the runner wiring share.
export { buildServer, type BuildServerOptions, type ReadinessCheck, TRPC_PREFIX } from './app';
export { type Env, EnvError, ENV_VARIABLES, loadEnv, testEnv, type CredentialsKey } from './env';
export { type CredentialsKeyring, resolveCredentialsKeys } from './credentials-keys';
export { API_ERROR_STATUS, ApiError, type ApiErrorBody, type ApiErrorCode, normaliseError } from './errors';
export { createMetrics, type Metrics, metrics } from './metrics';
export { type AppRouter, appRouter } from './routers';
export type { AuthUser, Clock, Context, Role } from './context';
export { registerPublicApi } from './routers/public-api/plugin';
export { DEMO_EMAIL, DEMO_PASSWORD, maybeSeedDemo, seedDemo } from './seed/seed';
export { registerStudio, STUDIO_DIST_DIR } from './static';
