import { describe, expect, it } from 'vitest';
import { hashPassword, passwordProblem, verifyAgainstDummy, verifyPassword } from './password';

describe('passwords', () => {
  it('hashes with argon2id at the OWASP baseline and verifies only the right password', async () => {
    const hash = await hashPassword('correct horse battery staple');
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await verifyPassword(hash, 'correct horse battery staple')).toBe(true);
    expect(await verifyPassword(hash, 'correct horse battery stapler')).toBe(false);
  });

  it('salts each hash', async () => {
    expect(await hashPassword('same password here')).not.toBe(await hashPassword('same password here'));
  });

  it('treats a corrupt stored hash as a mismatch instead of throwing', async () => {
    expect(await verifyPassword('not a hash', 'whatever password')).toBe(false);
    expect(await verifyAgainstDummy('whatever password')).toBe(false);
  });

  it.each([
    ['', /too short/],
    ['nine char', /too short/],
    ['x'.repeat(257), /too long/],
    ['          ', /only spaces/],
    ['abababababab', /different characters/],
    ['Password123', /most common/],
  ])('rejects %j', (password, problem) => {
    expect(passwordProblem(password)).toMatch(problem);
  });

  it('rejects passwords containing the email name, and accepts a decent passphrase', () => {
    expect(passwordProblem('my name is margaret!', 'margaret@example.com')).toMatch(/email name/);
    expect(passwordProblem('orange tractor nebula', 'margaret@example.com')).toBeUndefined();
  });
});
