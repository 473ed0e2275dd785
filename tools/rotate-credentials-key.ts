// `node --import tsx tools/rotate-credentials-key.ts [--batch-size N]`: re-encrypts every stored exchange
// credential under the active key of CREDENTIALS_KEYS (its first key, or CREDENTIALS_KEY_ID).
//
// Rotation: put the new key first in CREDENTIALS_KEYS and keep the old ones after it, restart the
// servers, run this (it is safe to stop and rerun), then drop the old keys it says are unused.
// With the embedded database, stop the server first: only one process may open it.
import { pathToFileURL } from 'node:url';
import { openDatabase } from '@candleflow/db';
import {
  describeRotation,
  type RotationReport,
  rotateCredentials,
} from '../apps/server/src/credentials/rotate';
import { keyringFor } from '../apps/server/src/credentials/store';
import { type Env, loadEnv } from '../apps/server/src/env';

export interface RotateCommandOptions {
  env: Env;
  batchSize?: number;
  print: (line: string) => void;
}

export async function runRotateCommand(options: RotateCommandOptions): Promise<RotationReport> {
  const { env, print } = options;
  const keyring = keyringFor(env, (message) => print(`warning: ${message}`));
  const db = await openDatabase({ url: env.DATABASE_URL, dataDir: env.DATA_DIR });
  try {
    print(`rotating exchange credentials in the ${db.kind} database to key "${keyring.active.id}"`);
    const report = await rotateCredentials(db.prisma, keyring, {
      ...(options.batchSize === undefined ? {} : { batchSize: options.batchSize }),
      onBatch: ({ batch, rotated }) => print(`batch ${batch} committed: ${rotated} re-encrypted so far`),
    });
    print(describeRotation(report));
    return report;
  } finally {
    await db.close();
  }
}

export function parseArgs(argv: readonly string[]): { batchSize?: number } {
  const out: { batchSize?: number } = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [name, inline] = arg.split('=', 2) as [string, string | undefined];
    if (name === '--batch-size') {
      const value = inline ?? argv[++i];
      const size = Number(value);
      if (!Number.isInteger(size) || size < 1) {
        throw new Error(`--batch-size needs a positive whole number, got "${value ?? ''}"`);
      }
      out.batchSize = size;
    } else {
      throw new Error(`unknown argument "${arg}"; usage: rotate-credentials-key.ts [--batch-size N]`);
    }
  }
  return out;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  try {
    const args = parseArgs(process.argv.slice(2));
    await runRotateCommand({ env: loadEnv(), ...args, print: (line) => console.log(line) });
  } catch (error) {
    console.error(`rotate-credentials-key: ${(error as Error).message}`);
    process.exitCode = 1;
  }
}
