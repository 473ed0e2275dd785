// Password hashing (argon2id via @node-rs/argon2) and the password rules sign-up and change enforce.
import { hash, verify } from '@node-rs/argon2';

// OWASP's argon2id baseline: 19 MiB, 2 passes, 1 lane. About 20-40 ms here, affordable per login
// and expensive per guess. Algorithm 2 is Argon2id (the package's const enum cannot be imported
// under isolatedModules).
const ARGON2ID = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export const PASSWORD_MIN_LENGTH = 10;
// Long inputs would make hashing an easy denial of service; passphrases fit comfortably.
export const PASSWORD_MAX_LENGTH = 256;

const COMMON = new Set([
  'password',
  'password1',
  'password12',
  'password123',
  'password1234',
  '1234567890',
  '12345678910',
  'qwertyuiop',
  'qwerty1234',
  'iloveyou12',
  'letmein123',
  'welcome123',
  'admin12345',
  'abc1234567',
  'candleflow',
  'candleflow1',
  'trustno1234',
  '0123456789',
  'passw0rd123',
  'changeme123',
]);

/** Why a password is not acceptable, as a sentence that says what to do; undefined when it is fine. */
export function passwordProblem(password: string, email?: string): string | undefined {
  if (password.length < PASSWORD_MIN_LENGTH) {
    return `Password is too short: use at least ${PASSWORD_MIN_LENGTH} characters (a few words make a good one).`;
  }
  if (password.length > PASSWORD_MAX_LENGTH) {
    return `Password is too long: use at most ${PASSWORD_MAX_LENGTH} characters.`;
  }
  if (password.trim().length === 0) return 'Password cannot be only spaces.';
  if (new Set(password).size < 5) {
    return 'Password repeats too few characters: use at least 5 different characters.';
  }
  if (COMMON.has(password.toLowerCase())) {
    return 'Password is one of the most common passwords: choose something others would not guess.';
  }
  const local = email?.split('@')[0]?.toLowerCase();
  if (local && local.length >= 4 && password.toLowerCase().includes(local)) {
    return 'Password contains your email name: choose something unrelated to your address.';
  }
  return undefined;
}

export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2ID);
}

/** Constant-time verification (argon2's own comparison); a malformed stored hash is simply a mismatch. */
export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

let dummyHash: Promise<string> | undefined;

/**
 * Spends the same time as a real verification, for logins with an unknown email, so response
 * times do not reveal which emails have accounts.
 */
export async function verifyAgainstDummy(password: string): Promise<false> {
  dummyHash ??= hashPassword('dummy password for timing only');
  await verifyPassword(await dummyHash, password);
  return false;
}
