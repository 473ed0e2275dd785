// Secret tokens for sessions and API tokens, in the way the Lucia project recommends: 20 random bytes,
// base32 text for the client, and only the SHA-256 of the text in the database.
import { sha256 } from '@oslojs/crypto/sha2';
import { constantTimeEqual } from '@oslojs/crypto/subtle';
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from '@oslojs/encoding';

/** API tokens start with this, so leaked ones are easy to recognise (and to scan for). */
export const API_TOKEN_PREFIX = 'cfk_';
/** Characters of an API token kept in clear (the prefix plus the first few random characters). */
export const API_TOKEN_SHOWN_CHARS = API_TOKEN_PREFIX.length + 6;

/** 20 random bytes (160 bits, beyond guessing) as 32 lowercase base32 characters. */
export function generateSecretToken(): string {
  const bytes = new Uint8Array(20);
  crypto.getRandomValues(bytes);
  return encodeBase32LowerCaseNoPadding(bytes);
}

/** The database key of a token: sha256 hex. A leaked database does not reveal usable tokens. */
export function hashToken(token: string): string {
  return encodeHexLowerCase(sha256(new TextEncoder().encode(token)));
}

export function generateApiToken(): { token: string; hash: string; prefix: string } {
  const token = API_TOKEN_PREFIX + generateSecretToken();
  return { token, hash: hashToken(token), prefix: token.slice(0, API_TOKEN_SHOWN_CHARS) };
}

/** A well-formed token is cheap to check before touching the database. */
export function isWellFormedToken(token: string, prefix = ''): boolean {
  return token.startsWith(prefix) && /^[a-z2-7]{32}$/.test(token.slice(prefix.length));
}

/** Compares two strings without leaking where they first differ. */
export function safeEqual(a: string, b: string): boolean {
  const ea = new TextEncoder().encode(a);
  const eb = new TextEncoder().encode(b);
  return ea.length === eb.length && constantTimeEqual(ea, eb);
}
