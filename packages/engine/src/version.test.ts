import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ENGINE_RELEASE, ENGINE_VERSION, RESULT_SOURCES, resultSourceHash } from './version';

const packagesDir = fileURLToPath(new URL('../../', import.meta.url));

function copyOfSources(): string {
  const dir = mkdtempSync(join(tmpdir(), 'engine-version-'));
  for (const pkg of RESULT_SOURCES)
    cpSync(join(packagesDir, pkg, 'src'), join(dir, pkg, 'src'), { recursive: true });
  return `${dir}/`;
}

describe('ENGINE_VERSION', () => {
  it('is the release plus the hash of the result-deciding sources', () => {
    expect(ENGINE_VERSION).toBe(`${ENGINE_RELEASE}+${resultSourceHash()}`);
    expect(ENGINE_VERSION).toMatch(/^\d+\.\d+\.\d+\+[0-9a-f]{12}$/);
  });

  it('changes when engine code changes, so cached results of the old engine are not served', () => {
    const dir = copyOfSources();
    const before = resultSourceHash(dir);
    expect(before).toBe(resultSourceHash());

    writeFileSync(join(dir, 'engine', 'src', 'version.ts'), '// a fix\n', { flag: 'a' });

    expect(resultSourceHash(dir)).not.toBe(before);
  });

  it('ignores tests, which cannot change a result', () => {
    const dir = copyOfSources();
    const before = resultSourceHash(dir);

    writeFileSync(join(dir, 'engine', 'src', 'version.test.ts'), '// another test\n', { flag: 'a' });

    expect(resultSourceHash(dir)).toBe(before);
  });
});
