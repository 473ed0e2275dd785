import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { resolveCredentialsKeys } from '../credentials-keys';
import { testEnv } from '../env';
import {
  apiKeyLast4,
  type CredentialCipherError,
  ciphertextKeyId,
  decryptCredential,
  encryptCredential,
  type Keyring,
} from './cipher';

const keyA = randomBytes(32).toString('base64');
const keyB = randomBytes(32).toString('base64');
const binding = { userId: 'user_1', credentialId: 'cred_1' };
const credential = { apiKey: 'AKIA-public-1234', secret: 's3cr3t-value-xyz', passphrase: 'pass phrase' };

/** `keyringOf('a:<b64>,b:<b64>')`: first entry active, like CREDENTIALS_KEYS. */
function keyringOf(spec: string): Keyring {
  const all = spec.split(',').map((entry) => {
    const [id, key] = entry.split(':') as [string, string];
    return { id, key: Buffer.from(key, 'base64') };
  });
  return { active: all[0]!, all };
}

function codeOf(action: () => unknown): string | undefined {
  try {
    action();
  } catch (error) {
    return (error as CredentialCipherError).code;
  }
  return undefined;
}

function flipByte(part: string): string {
  const bytes = Buffer.from(part, 'base64url');
  bytes[0] = bytes[0]! ^ 0x01;
  return bytes.toString('base64url');
}

describe('encryptCredential / decryptCredential', () => {
  const ring = keyringOf(`k1:${keyA}`);

  it('round-trips a credential with and without a passphrase', () => {
    expect(decryptCredential(ring, binding, encryptCredential(ring, binding, credential))).toEqual(
      credential,
    );
    const bare = { apiKey: 'key', secret: 'secret' };
    expect(decryptCredential(ring, binding, encryptCredential(ring, binding, bare))).toEqual(bare);
  });

  it('writes v1.<keyId>.<iv>.<tag>.<data> that plain AES-256-GCM opens with the documented AAD', () => {
    const sealed = encryptCredential(ring, binding, credential);
    const [version, keyId, iv, tag, data] = sealed.split('.') as [string, string, string, string, string];
    expect(version).toBe('v1');
    expect(keyId).toBe('k1');
    expect(Buffer.from(iv, 'base64url')).toHaveLength(12);
    expect(Buffer.from(tag, 'base64url')).toHaveLength(16);
    const decipher = createDecipheriv(
      'aes-256-gcm',
      Buffer.from(keyA, 'base64'),
      Buffer.from(iv, 'base64url'),
    );
    decipher.setAAD(Buffer.from(['candleflow.credential', 'v1', 'k1', 'user_1', 'cred_1'].join('\u0000')));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    const plain = Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]);
    expect(JSON.parse(plain.toString('utf8'))).toEqual(credential);
  });

  it('uses a fresh IV every time, so equal credentials give different ciphertexts', () => {
    const first = encryptCredential(ring, binding, credential);
    const second = encryptCredential(ring, binding, credential);
    expect(first.split('.')[2]).not.toBe(second.split('.')[2]);
    expect(first).not.toBe(second);
  });

  it('does not contain the secret in the ciphertext', () => {
    const sealed = encryptCredential(ring, binding, credential);
    expect(sealed).not.toContain(credential.secret);
    expect(Buffer.from(sealed.split('.')[4]!, 'base64url').toString('latin1')).not.toContain(
      credential.secret,
    );
  });

  it.each([
    [2, 'iv'],
    [3, 'tag'],
    [4, 'data'],
  ])('detects a flipped byte in part %i (%s)', (index) => {
    const parts = encryptCredential(ring, binding, credential).split('.');
    parts[index] = flipByte(parts[index]!);
    expect(codeOf(() => decryptCredential(ring, binding, parts.join('.')))).toBe('DECRYPT_FAILED');
  });

  it('detects a key id edited to name another known key', () => {
    const two = keyringOf(`k1:${keyA},k2:${keyA}`);
    const sealed = encryptCredential(two, binding, credential).replace('.k1.', '.k2.');
    // Same key material under another id still fails: the id is authenticated.
    expect(codeOf(() => decryptCredential(two, binding, sealed))).toBe('DECRYPT_FAILED');
  });

  it('refuses an edited version prefix and malformed ciphertexts', () => {
    const sealed = encryptCredential(ring, binding, credential);
    expect(codeOf(() => decryptCredential(ring, binding, sealed.replace(/^v1/, 'v2')))).toBe(
      'CIPHERTEXT_MALFORMED',
    );
    expect(codeOf(() => decryptCredential(ring, binding, 'v1.k1.abc'))).toBe('CIPHERTEXT_MALFORMED');
    const parts = sealed.split('.');
    expect(() =>
      decryptCredential(ring, binding, [...parts.slice(0, 2), 'AAAA', ...parts.slice(3)].join('.')),
    ).toThrow(/iv is 3 bytes/);
    expect(() =>
      decryptCredential(ring, binding, [...parts.slice(0, 3), 'AAAA', parts[4]].join('.')),
    ).toThrow(/tag is 3 bytes/);
    expect(() => decryptCredential(ring, binding, [...parts.slice(0, 4), '***'].join('.'))).toThrow(
      /data part is not base64url/,
    );
    expect(() => decryptCredential(ring, binding, ['v1', 'bad:id', ...parts.slice(2)].join('.'))).toThrow(
      /key id part/,
    );
  });

  it('refuses an authentic ciphertext whose plaintext is not a credential', () => {
    const seal = (plain: string) => {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', Buffer.from(keyA, 'base64'), iv);
      cipher.setAAD(Buffer.from(['candleflow.credential', 'v1', 'k1', 'user_1', 'cred_1'].join('\u0000')));
      const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return ['v1', 'k1', iv, cipher.getAuthTag(), data]
        .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
        .join('.');
    };
    for (const plain of ['not json', '[]', '{"apiKey":"a"}', '{"apiKey":"a","secret":"b","passphrase":1}']) {
      expect(() => decryptCredential(ring, binding, seal(plain))).toThrow(/decrypted to an unexpected shape/);
    }
  });

  it('fails for a ciphertext copied to another credential row', () => {
    const sealed = encryptCredential(ring, binding, credential);
    expect(codeOf(() => decryptCredential(ring, { ...binding, credentialId: 'cred_2' }, sealed))).toBe(
      'DECRYPT_FAILED',
    );
  });

  it('fails for a ciphertext copied to another user', () => {
    const sealed = encryptCredential(ring, binding, credential);
    expect(codeOf(() => decryptCredential(ring, { ...binding, userId: 'user_2' }, sealed))).toBe(
      'DECRYPT_FAILED',
    );
  });

  it('names the missing key id when the key is not in the keyring', () => {
    const sealed = encryptCredential(keyringOf(`gone:${keyB}`), binding, credential);
    expect(() => decryptCredential(ring, binding, sealed)).toThrow(/key id "gone".*known: k1/);
    expect(codeOf(() => decryptCredential(ring, binding, sealed))).toBe('UNKNOWN_KEY_ID');
  });

  it('does not reveal the secret in any error message', () => {
    const sealed = encryptCredential(ring, binding, credential);
    const messages: string[] = [];
    for (const attempt of [
      () => decryptCredential(ring, { ...binding, userId: 'x' }, sealed),
      () => decryptCredential(keyringOf(`other:${keyB}`), binding, sealed),
    ]) {
      try {
        attempt();
      } catch (error) {
        messages.push(String(error), (error as Error).stack ?? '');
      }
    }
    expect(messages).toHaveLength(4);
    for (const message of messages) expect(message).not.toContain(credential.secret);
  });
});

describe('keyring from the environment', () => {
  it('decrypts with the keys the env module parsed from CREDENTIALS_KEYS and CREDENTIALS_KEY_ID', () => {
    const env = testEnv({ CREDENTIALS_KEYS: `old:${keyA},new:${keyB}`, CREDENTIALS_KEY_ID: 'new' });
    const ring = resolveCredentialsKeys(env, () => {});
    const sealed = encryptCredential(ring, binding, credential);

    expect(ciphertextKeyId(sealed)).toBe('new');
    expect(decryptCredential(keyringOf(`new:${keyB}`), binding, sealed)).toEqual(credential);
  });
});

describe('rotation across keyrings', () => {
  it('keeps old ciphertexts readable after a new key becomes active, and seals new ones under it', () => {
    const before = keyringOf(`old:${keyA}`);
    const sealedOld = encryptCredential(before, binding, credential);
    const after = keyringOf(`new:${keyB},old:${keyA}`);

    expect(decryptCredential(after, binding, sealedOld)).toEqual(credential);
    const resealed = encryptCredential(after, binding, decryptCredential(after, binding, sealedOld));
    expect(ciphertextKeyId(sealedOld)).toBe('old');
    expect(ciphertextKeyId(resealed)).toBe('new');
    expect(decryptCredential(keyringOf(`new:${keyB}`), binding, resealed)).toEqual(credential);
  });
});

describe('apiKeyLast4', () => {
  it('keeps only the last four characters', () => {
    expect(apiKeyLast4('abcdefgh')).toBe('efgh');
    expect(apiKeyLast4('ab')).toBe('ab');
  });
});
