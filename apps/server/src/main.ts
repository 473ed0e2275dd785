// Starts the server: read the environment, open (and migrate) the database, build, listen.
// The lead wires the in-process runner and demo seeding in here.
import { openDatabase } from '@candleflow/db';
import { buildServer } from './app';
import { EnvError, loadEnv } from './env';

async function main(): Promise<void> {
  const env = loadEnv();
  const db = await openDatabase({ url: env.DATABASE_URL, dataDir: env.DATA_DIR });
  const app = await buildServer({ env, db });
  const shutdown = async (signal: string) => {
    app.log.info({ signal }, 'shutting down');
    await app.close();
    await db.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  await app.listen({ host: env.HOST, port: env.PORT });
}

main().catch((error: unknown) => {
  // Configuration mistakes get their own readable message, not a stack trace.
  console.error(error instanceof EnvError ? error.message : error);
  process.exit(1);
});
