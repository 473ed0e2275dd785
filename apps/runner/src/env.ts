// The runner's settings from the environment, validated once: the only module of the runner that reads
// process.env. Names and defaults match the server's env module and .env.example.
import { z } from 'zod';

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

export const RunnerEnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DATA_DIR: z.string().min(1).default('./.candleflow'),
  DATABASE_URL: z.string().min(1).optional(),
  REDIS_URL: z.string().url().optional(),
  RUNNER_CONCURRENCY: positiveInt(1),
  /** Worker threads evaluating optimization trials in this runner process. */
  TRIALS_THREADS: positiveInt(1),
  QUOTA_CONCURRENT_JOBS: positiveInt(2),
  QUOTA_BARS_PER_JOB: positiveInt(5_000_000),
  QUOTA_CPU_MS_PER_JOB: positiveInt(600_000),
});

export type RunnerEnv = z.infer<typeof RunnerEnvSchema>;

/** Throws one error listing every bad variable and what it should be. */
export function readRunnerEnv(source: Record<string, string | undefined> = process.env): RunnerEnv {
  // An empty variable (`TRIALS_THREADS=` copied from .env.example) means "use the default", as in the server.
  const given = Object.fromEntries(Object.entries(source).filter(([, value]) => value?.trim() !== ''));
  const parsed = RunnerEnvSchema.safeParse(given);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`invalid runner environment: ${problems.join('; ')}`);
  }
  return parsed.data;
}
