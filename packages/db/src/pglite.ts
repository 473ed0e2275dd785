// Loads the one copy of PGlite that pglite-prisma-adapter itself uses. The adapter recognises
// database errors with `instanceof` on its own copy's DatabaseError; a PGlite from another copy
// would surface unique violations and the like as unmapped errors (no P2002 for the client, and
// the schema engine cannot tell "table missing" from a real failure).
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { PrismaPGlite } from 'pglite-prisma-adapter';

/** PGlite as the adapter's copy declares it. */
export type PGlite = ConstructorParameters<typeof PrismaPGlite>[0];
type PGliteConstructor = new (dataDir?: string) => PGlite;

let loaded: Promise<PGliteConstructor> | undefined;

function loadPGlite(): Promise<PGliteConstructor> {
  loaded ??= (async () => {
    const require = createRequire(import.meta.url);
    const adapterDir = dirname(require.resolve('pglite-prisma-adapter'));
    // require.resolve finds the CommonJS entry (dist/index.cjs); its ES twin sits beside it.
    const cjsEntry = require.resolve('@electric-sql/pglite', { paths: [adapterDir] });
    const module = (await import(pathToFileURL(join(dirname(cjsEntry), 'index.js')).href)) as {
      PGlite: PGliteConstructor;
    };
    return module.PGlite;
  })();
  return loaded;
}

/** Opens PGlite: in memory without a directory, else persisted in `dataDir` (created if absent). */
export async function createPGlite(dataDir?: string): Promise<PGlite> {
  const PGlite = await loadPGlite();
  const db = dataDir === undefined ? new PGlite() : new PGlite(dataDir);
  await db.waitReady;
  return db;
}
