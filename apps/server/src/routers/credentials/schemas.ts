// What the credentials procedures accept and the only shape they ever return: no key, no secret,
// no ciphertext, just enough for a user to recognise an exchange account.
import { z } from 'zod';

export const credentialId = z.string().trim().min(1).max(64);

/** ccxt-style exchange id (binance, coinbase, okx, kucoin …). */
export const exchangeId = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z][a-z0-9_.-]{1,39}$/, 'must be an exchange id such as "binance" or "okx"');

export const label = z.string().trim().min(1, 'must not be empty').max(100);

// Bounds are generous for every exchange's formats and small enough to keep rows small; whitespace is
// trimmed because a pasted key with a trailing newline never authenticates.
export const apiKey = z.string().trim().min(4, 'must be at least 4 characters').max(512);
export const secret = z.string().trim().min(1, 'must not be empty').max(4096);
export const passphrase = z.string().trim().min(1, 'must not be empty').max(512);

/** The public face of an ExchangeCredential. */
export const CredentialView = z.object({
  id: z.string(),
  exchange: z.string(),
  label: z.string(),
  apiKeyLast4: z.string(),
  createdAt: z.date(),
  updatedAt: z.date(),
});
export type CredentialView = z.infer<typeof CredentialView>;

/** Prisma `select` for exactly the public columns, so the ciphertext is never even loaded. */
export const viewColumns = {
  id: true,
  exchange: true,
  label: true,
  apiKeyLast4: true,
  createdAt: true,
  updatedAt: true,
} as const;
