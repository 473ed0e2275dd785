// Vitest globalSetup: makes `npx vitest run <folder>` work without `npm test` first. When the Prisma
// client or .candleflow/test-services.json is missing it runs tools/test-setup.mjs (which generates,
// installs and starts what is needed); then it hands the service URLs to the tests as TEST_* env.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const servicesFile = join(root, '.candleflow', 'test-services.json');
const generatedClient = join(root, 'packages', 'db', 'src', 'generated', 'client.ts');

export default function setup(): void {
  if (!existsSync(servicesFile) || !existsSync(generatedClient)) {
    const result = spawnSync(process.execPath, [join(root, 'tools', 'test-setup.mjs')], {
      cwd: root,
      stdio: 'inherit',
    });
    if (result.status !== 0) {
      throw new Error('tools/test-setup.mjs failed (see above): the tests need its services.');
    }
  }
  const services = JSON.parse(readFileSync(servicesFile, 'utf8')) as {
    databaseUrl: string;
    redisUrl: string;
  };
  process.env.TEST_DATABASE_URL ??= services.databaseUrl;
  process.env.TEST_REDIS_URL ??= services.redisUrl;
}
