// Chooses the exchange-credential encryption keys: CREDENTIALS_KEYS when set, otherwise (never in
// production) a development key generated once and kept under DATA_DIR, so restarts can still decrypt.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type CredentialsKey, type Env, loadEnv } from './env';

export interface CredentialsKeyring {
  /** The key that encrypts new ciphertexts. */
  readonly active: CredentialsKey;
  /** Every key, for decrypting ciphertexts written under older keys. */
  readonly all: readonly CredentialsKey[];
}

export const DEV_KEY_FILE = 'credentials-keys.dev';

export function resolveCredentialsKeys(env: Env, warn: (message: string) => void): CredentialsKeyring {
  let keys = env.CREDENTIALS_KEYS;
  if (!keys) {
    if (env.NODE_ENV === 'production') throw new Error('CREDENTIALS_KEYS is required in production');
    const file = join(env.DATA_DIR, DEV_KEY_FILE);
    if (!existsSync(file)) {
      mkdirSync(env.DATA_DIR, { recursive: true });
      writeFileSync(file, `dev1:${randomBytes(32).toString('base64')}\n`, { mode: 0o600 });
    }
    // Reuse the env validation so a hand-edited file gets the same precise errors.
    keys = loadEnv({ CREDENTIALS_KEYS: readFileSync(file, 'utf8') }).CREDENTIALS_KEYS ?? [];
    warn(
      `CREDENTIALS_KEYS is not set: using the development key in ${file}. Set CREDENTIALS_KEYS before storing real exchange keys.`,
    );
  }
  const activeId = env.CREDENTIALS_KEY_ID ?? keys[0]?.id;
  const active = keys.find((k) => k.id === activeId);
  if (!active) throw new Error(`No credentials key "${activeId}" among the configured keys`);
  return { active, all: keys };
}
