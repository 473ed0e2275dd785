// The one module that reads process.env: every setting of the server and runner, validated with zod,
// so a bad deployment fails at start with a message naming the variable instead of misbehaving later.
import { z } from 'zod';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** One AES-256-GCM key for exchange credentials: the id is written beside every ciphertext it makes. */
export interface CredentialsKey {
  readonly id: string;
  readonly key: Buffer;
}

/** Integers written as `5000000`, `5_000_000` or `5,000,000` (a comma is a thousands separator here). */
const integer = (min: number, max = Number.MAX_SAFE_INTEGER) =>
  z
    .string()
    .trim()
    .regex(/^\d[\d_,]*$/, 'must be a whole number such as 3000')
    .transform((s) => Number(s.replace(/[_,]/g, '')))
    .pipe(z.number().int().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`));

const boolean = z
  .string()
  .trim()
  .toLowerCase()
  .refine((s) => ['true', 'false', '1', '0', 'yes', 'no'].includes(s), 'must be true or false')
  .transform((s) => s === 'true' || s === '1' || s === 'yes');

const credentialsKeys = z
  .string()
  .trim()
  .min(1, 'must list at least one key as keyId:base64key')
  .transform((raw, ctx): CredentialsKey[] => {
    const keys: CredentialsKey[] = [];
    for (const [index, entry] of raw.split(',').entries()) {
      const item = entry.trim();
      const colon = item.indexOf(':');
      const id = colon > 0 ? item.slice(0, colon) : '';
      const b64 = colon > 0 ? item.slice(colon + 1) : '';
      if (!/^[A-Za-z0-9_-]{1,32}$/.test(id)) {
        ctx.addIssue({
          code: 'custom',
          message: `key ${index + 1} must look like keyId:base64key, with a key id of letters, digits, _ or -`,
        });
        continue;
      }
      const key = Buffer.from(b64, 'base64');
      // Buffer.from ignores bad characters, so check the text round-trips to catch typos.
      if (key.length !== 32 || key.toString('base64').replace(/=+$/, '') !== b64.replace(/=+$/, '')) {
        ctx.addIssue({
          code: 'custom',
          message: `key "${id}" must be 32 bytes in base64 (got ${key.length} bytes); make one with: openssl rand -base64 32`,
        });
        continue;
      }
      if (keys.some((k) => k.id === id)) {
        ctx.addIssue({ code: 'custom', message: `key id "${id}" appears twice; key ids must be unique` });
        continue;
      }
      keys.push({ id, key });
    }
    return keys;
  });

const postgresUrl = z
  .string()
  .trim()
  .refine((s) => /^postgres(ql)?:\/\/.+/.test(s), 'must be a postgres:// or postgresql:// URL');
const redisUrl = z
  .string()
  .trim()
  .refine((s) => /^rediss?:\/\/.+/.test(s), 'must be a redis:// or rediss:// URL');

const schema = z
  .object({
    HOST: z.string().trim().min(1).default('127.0.0.1'),
    PORT: integer(0, 65535).default(3000),
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
    DATA_DIR: z.string().trim().min(1).default('./.candleflow'),
    DATABASE_URL: postgresUrl.optional(),
    REDIS_URL: redisUrl.optional(),
    CREDENTIALS_KEYS: credentialsKeys.optional(),
    CREDENTIALS_KEY_ID: z.string().trim().min(1).optional(),
    SESSION_TTL_DAYS: integer(1, 3650).default(30),
    MAX_GRAPH_NODES: integer(1).default(2000),
    BODY_LIMIT_BYTES: integer(1024).default(5 * 1024 * 1024),
    UPLOAD_LIMIT_BYTES: integer(1024).default(50 * 1024 * 1024),
    QUOTA_CONCURRENT_JOBS: integer(1).default(2),
    QUOTA_BARS_PER_JOB: integer(1).default(5_000_000),
    QUOTA_CPU_MS_PER_JOB: integer(1).default(600_000),
    QUOTA_TRIALS_PER_OPTIMIZATION: integer(1).default(50_000),
    RUNNER_CONCURRENCY: integer(1, 256).default(1),
    /** Trial threads of the embedded runner (default: one per core); separate runners read their own. */
    TRIALS_THREADS: integer(1, 256).optional(),
    SEED_DEMO: boolean.optional(),
    // Not in the first list of the platform design: the global per-client request budget has to be
    // tunable, because the read benchmark alone sends 200 requests per second from one address.
    RATE_LIMIT_PER_MINUTE: integer(1).default(1200),
    // Per-address budgets for credential endpoints, on top of the per-(address, email) one: without
    // them one address could try a password against any number of emails, or mass-create accounts.
    RATE_LIMIT_LOGIN_PER_ADDRESS: integer(1).default(20),
    RATE_LIMIT_LOGIN_WINDOW_MINUTES: integer(1, 24 * 60).default(10),
    RATE_LIMIT_SIGNUP_PER_ADDRESS: integer(1).default(5),
    RATE_LIMIT_SIGNUP_WINDOW_MINUTES: integer(1, 24 * 60).default(60),
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV === 'production' && !env.CREDENTIALS_KEYS) {
      ctx.addIssue({
        code: 'custom',
        path: ['CREDENTIALS_KEYS'],
        message:
          'is required in production (exchange credentials are encrypted with it); set it to keyId:base64key, e.g. k1:$(openssl rand -base64 32)',
      });
    }
    if (env.CREDENTIALS_KEY_ID && !env.CREDENTIALS_KEYS?.some((k) => k.id === env.CREDENTIALS_KEY_ID)) {
      ctx.addIssue({
        code: 'custom',
        path: ['CREDENTIALS_KEY_ID'],
        message: `names key "${env.CREDENTIALS_KEY_ID}", which is not among CREDENTIALS_KEYS`,
      });
    }
  })
  .transform((env) => ({
    ...env,
    SEED_DEMO: env.SEED_DEMO ?? env.NODE_ENV === 'development',
  }));

export type Env = z.output<typeof schema>;
export const ENV_VARIABLES = Object.keys(schema.in.shape) as ReadonlyArray<keyof z.input<typeof schema>>;

/** Thrown at start when the environment is unusable; the message lists every bad variable. */
export class EnvError extends Error {
  constructor(readonly problems: ReadonlyArray<{ variable: string; problem: string }>) {
    super(
      `Invalid environment (see .env.example):\n${problems.map((p) => `  ${p.variable} ${p.problem}`).join('\n')}`,
    );
    this.name = 'EnvError';
  }
}

/**
 * Validates an environment (process.env by default). Empty strings count as unset, the way
 * `FOO=` in a .env file is usually meant.
 */
export function loadEnv(source: Record<string, string | undefined> = process.env): Env {
  const input: Record<string, string> = {};
  for (const name of ENV_VARIABLES) {
    const value = source[name];
    if (value !== undefined && value.trim() !== '') input[name] = value;
  }
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    throw new EnvError(
      parsed.error.issues.map((issue) => ({
        variable: String(issue.path[0] ?? '(environment)'),
        problem: issue.message,
      })),
    );
  }
  return parsed.data;
}

/**
 * Test environment with small, fast settings; overrides win. Test servers sign up and log in many
 * accounts from one loopback address, so the per-address auth budgets are lifted unless a test sets them.
 */
export function testEnv(overrides: Record<string, string> = {}): Env {
  return loadEnv({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATA_DIR: './.candleflow/test',
    RATE_LIMIT_LOGIN_PER_ADDRESS: '100000',
    RATE_LIMIT_SIGNUP_PER_ADDRESS: '100000',
    ...overrides,
  });
}
