// How an encrypted credential sits in an ExchangeCredential row, and the server's keyring: the one
// place that turns a row into plaintext, so routers and the rotation command cannot disagree.
import { resolveCredentialsKeys } from '../credentials-keys';
import type { Env } from '../env';
import {
  type CredentialSecret,
  ciphertextKeyId,
  decryptCredential,
  encryptCredential,
  type Keyring,
} from './cipher';

/** The columns of ExchangeCredential that carry the secret. */
export interface SealedColumns {
  keyId: string;
  ciphertext: Uint8Array<ArrayBuffer>;
}

/** The row fields decryption needs: who owns it and which row it is. */
export interface SealedRow {
  id: string;
  userId: string;
  ciphertext: Uint8Array;
}

// The ciphertext column is bytes; it holds the UTF-8 of `v1.<keyId>.<iv>.<tag>.<data>` so a row is
// self-describing even if its keyId column were edited by hand.
export function sealColumns(
  keyring: Keyring,
  row: { id: string; userId: string },
  credential: CredentialSecret,
): SealedColumns {
  const sealed = encryptCredential(keyring, { userId: row.userId, credentialId: row.id }, credential);
  return { keyId: keyring.active.id, ciphertext: new Uint8Array(Buffer.from(sealed, 'utf8')) };
}

export function openRow(keyring: Keyring, row: SealedRow): CredentialSecret {
  return decryptCredential(keyring, { userId: row.userId, credentialId: row.id }, sealedText(row.ciphertext));
}

/** The key id written inside the stored ciphertext (authoritative over the keyId column). */
export function storedKeyId(ciphertext: Uint8Array): string {
  return ciphertextKeyId(sealedText(ciphertext));
}

function sealedText(ciphertext: Uint8Array): string {
  return Buffer.from(ciphertext).toString('utf8');
}

const keyrings = new WeakMap<Env, Keyring>();

/**
 * The keyring for a server's environment, resolved once per Env (the development key file is read
 * or created on first use, with its warning logged once).
 */
export function keyringFor(env: Env, warn: (message: string) => void): Keyring {
  let keyring = keyrings.get(env);
  if (keyring === undefined) {
    keyring = resolveCredentialsKeys(env, warn);
    keyrings.set(env, keyring);
  }
  return keyring;
}
