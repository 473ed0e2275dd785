// Encryption at rest for exchange API credentials: AES-256-GCM under a keyring read from CREDENTIALS_KEYS,
// each ciphertext naming the key that sealed it and bound (AAD) to its owner and row.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/** What a user gives us for an exchange account; never leaves the server once stored. */
export interface CredentialSecret {
  apiKey: string;
  secret: string;
  passphrase?: string;
}

/** The row a ciphertext belongs to; a ciphertext moved to another row or user fails to decrypt. */
export interface CredentialBinding {
  userId: string;
  credentialId: string;
}

export interface CredentialKey {
  readonly id: string;
  readonly key: Buffer;
}

/**
 * The keys from CREDENTIALS_KEYS / CREDENTIALS_KEY_ID. The env module parses and validates them
 * (lengths, duplicate ids) and `resolveCredentialsKeys` in ../credentials-keys builds this shape.
 */
export interface Keyring {
  /** The key new ciphertexts are sealed with. */
  readonly active: CredentialKey;
  /** Every key that may still open an existing ciphertext. */
  readonly all: readonly CredentialKey[];
}

export type CredentialCipherErrorCode = 'UNKNOWN_KEY_ID' | 'CIPHERTEXT_MALFORMED' | 'DECRYPT_FAILED';

/** Errors from this module never carry key material or plaintext, only ids and positions. */
export class CredentialCipherError extends Error {
  readonly code: CredentialCipherErrorCode;
  constructor(code: CredentialCipherErrorCode, message: string) {
    super(message);
    this.name = 'CredentialCipherError';
    this.code = code;
  }
}

export const CIPHERTEXT_VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;
// Key ids appear inside the dotted ciphertext and the comma/colon separated env value, so those
// separators are excluded; the length keeps them readable in logs and the database.
const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;

/** Seals a credential under the keyring's active key, bound to its owner and row. */
export function encryptCredential(
  keyring: Keyring,
  binding: CredentialBinding,
  credential: CredentialSecret,
): string {
  const { id, key } = keyring.active;
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(additionalData(id, binding));
  const plaintext = Buffer.from(JSON.stringify(plainOf(credential)), 'utf8');
  const data = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  const tag = cipher.getAuthTag();
  return [CIPHERTEXT_VERSION, id, b64url(iv), b64url(tag), b64url(data)].join('.');
}

/** Opens a ciphertext; fails if it was altered, belongs to another row/user, or its key is gone. */
export function decryptCredential(
  keyring: Keyring,
  binding: CredentialBinding,
  ciphertext: string,
): CredentialSecret {
  const parts = parseCiphertext(ciphertext);
  const entry = keyring.all.find((candidate) => candidate.id === parts.keyId);
  if (entry === undefined) {
    throw new CredentialCipherError(
      'UNKNOWN_KEY_ID',
      `credential ${binding.credentialId} is encrypted with key id "${parts.keyId}", which is not in ` +
        `CREDENTIALS_KEYS (known: ${keyring.all.map((k) => k.id).join(', ')}); add that key back, or re-encrypt ` +
        'while it is still present with tools/rotate-credentials-key.ts',
    );
  }
  const decipher = createDecipheriv('aes-256-gcm', entry.key, parts.iv, { authTagLength: TAG_BYTES });
  decipher.setAAD(additionalData(parts.keyId, binding));
  decipher.setAuthTag(parts.tag);
  let plaintext: Buffer;
  try {
    plaintext = Buffer.concat([decipher.update(parts.data), decipher.final()]);
  } catch {
    throw new CredentialCipherError(
      'DECRYPT_FAILED',
      `credential ${binding.credentialId} failed authentication under key "${parts.keyId}": the ciphertext ` +
        'was altered, copied from another row or user, or the key material for that id changed',
    );
  }
  return readPlain(plaintext, binding.credentialId);
}

/** The key id a ciphertext names, without decrypting it (rotation uses it to skip finished rows). */
export function ciphertextKeyId(ciphertext: string): string {
  return parseCiphertext(ciphertext).keyId;
}

/** Last four characters of the API key: enough for a user to tell keys apart, useless to anyone else. */
export function apiKeyLast4(apiKey: string): string {
  return apiKey.slice(-4);
}

interface CiphertextParts {
  keyId: string;
  iv: Buffer;
  tag: Buffer;
  data: Buffer;
}

function parseCiphertext(ciphertext: string): CiphertextParts {
  const parts = ciphertext.split('.');
  if (parts.length !== 5 || parts[0] !== CIPHERTEXT_VERSION) {
    throw malformed(`expected "${CIPHERTEXT_VERSION}.<keyId>.<iv>.<tag>.<data>" with 5 parts`);
  }
  const [, keyId, iv, tag, data] = parts as [string, string, string, string, string];
  if (!KEY_ID.test(keyId)) throw malformed('the key id part is not a valid key id');
  const ivBytes = fromB64url(iv, 'iv');
  const tagBytes = fromB64url(tag, 'tag');
  const dataBytes = fromB64url(data, 'data');
  if (ivBytes.length !== IV_BYTES) throw malformed(`the iv is ${ivBytes.length} bytes, expected ${IV_BYTES}`);
  if (tagBytes.length !== TAG_BYTES) {
    throw malformed(`the tag is ${tagBytes.length} bytes, expected ${TAG_BYTES}`);
  }
  return { keyId, iv: ivBytes, tag: tagBytes, data: dataBytes };
}

// The version and key id are authenticated too, so a header edited to point at another key fails
// authentication rather than being opened under assumptions the writer never made.
function additionalData(keyId: string, binding: CredentialBinding): Buffer {
  return Buffer.from(
    ['candleflow.credential', CIPHERTEXT_VERSION, keyId, binding.userId, binding.credentialId].join('\u0000'),
    'utf8',
  );
}

function plainOf(credential: CredentialSecret): CredentialSecret {
  return credential.passphrase === undefined
    ? { apiKey: credential.apiKey, secret: credential.secret }
    : { apiKey: credential.apiKey, secret: credential.secret, passphrase: credential.passphrase };
}

function readPlain(plaintext: Buffer, credentialId: string): CredentialSecret {
  let value: unknown;
  try {
    value = JSON.parse(plaintext.toString('utf8'));
  } catch {
    value = undefined;
  }
  const record = value as Partial<Record<keyof CredentialSecret, unknown>>;
  if (
    typeof value !== 'object' ||
    value === null ||
    typeof record.apiKey !== 'string' ||
    typeof record.secret !== 'string' ||
    (record.passphrase !== undefined && typeof record.passphrase !== 'string')
  ) {
    // Authenticated but not our shape: only a writer holding the key could produce this.
    throw malformed(`credential ${credentialId} decrypted to an unexpected shape`);
  }
  return plainOf(record as CredentialSecret);
}

function b64url(bytes: Buffer): string {
  return bytes.toString('base64url');
}

function fromB64url(text: string, part: string): Buffer {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) throw malformed(`the ${part} part is not base64url`);
  return Buffer.from(text, 'base64url');
}

function malformed(detail: string): CredentialCipherError {
  return new CredentialCipherError('CIPHERTEXT_MALFORMED', `credential ciphertext is malformed: ${detail}`);
}
