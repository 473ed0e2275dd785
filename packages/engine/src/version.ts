// The engine version goes into every result's provenance and every cache key. It is the release number plus
// a hash of every source file that can change a result (strategy language, nodes, engine, data import), so a
// fixed engine never serves a result cached by the old one, even when nobody remembered to bump the release.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ENGINE_RELEASE = '0.1.0';

const PACKAGES_DIR = fileURLToPath(new URL('../../', import.meta.url));
/** The packages whose code decides what a backtest computes. */
export const RESULT_SOURCES = ['strategy-dsl', 'nodes', 'engine', 'data'] as const;

function sourceFiles(dir: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'test-support' && entry.name !== 'generated') files.push(...sourceFiles(path));
    } else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) {
      files.push(path);
    }
  }
  return files;
}

/** SHA-256 (first 12 hex digits) over the result-deciding sources, in a stable order. */
export function resultSourceHash(packagesDir: string = PACKAGES_DIR): string {
  const hash = createHash('sha256');
  for (const pkg of RESULT_SOURCES) {
    const root = join(packagesDir, pkg, 'src');
    for (const file of sourceFiles(root).sort()) {
      hash.update(file.slice(packagesDir.length));
      hash.update('\0');
      hash.update(readFileSync(file));
      hash.update('\0');
    }
  }
  return hash.digest('hex').slice(0, 12);
}

export const ENGINE_VERSION = `${ENGINE_RELEASE}+${resultSourceHash()}`;
