// Prepares the machine for `npm test`: checks the runtime, generates the Prisma client, and makes
// sure PostgreSQL and Redis run on 127.0.0.1 (installing them from Debian when root), then writes
// their URLs to .candleflow/test-services.json for the tests. Idempotent; fast when all is up.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensurePrismaClient } from './prisma-generate.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 20 || (major === 20 && minor < 19)) {
  console.error(`Candleflow needs Node.js 20.19 or newer; this is ${process.versions.node}.`);
  process.exit(1);
}
const shared = join(root, '..', 'shared', 'data');
console.log(
  existsSync(shared)
    ? `test-setup: reference data found at ${shared}`
    : `test-setup: ${shared} is absent: tests that compare against public reference data will be skipped`,
);

if (ensurePrismaClient()) console.log('test-setup: Prisma client generated');

const TEST_ROLE = 'candleflow_test';
const TEST_PASSWORD = 'candleflow_test';
const TEST_DATABASE = 'candleflow_test';
const REDIS_PORT = 6390;
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

function fail(message) {
  console.error(`test-setup: ${message}`);
  process.exit(1);
}

function has(command) {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

function run(command, args, options = {}) {
  return execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], ...options });
}

function installServices() {
  const missing = [
    has('pg_ctlcluster') ? null : 'postgresql',
    has('redis-server') ? null : 'redis-server',
  ].filter(Boolean);
  if (missing.length === 0) return;
  if (!isRoot) {
    fail(
      `the database and queue tests need ${missing.join(' and ')}, which are not installed. Install them (sudo apt-get install -y postgresql redis-server) and run npm test again.`,
    );
  }
  console.log(`test-setup: installing ${missing.join(', ')} from Debian packages (a minute or two)`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [['update'], ['install', '-y', '--no-install-recommends', ...missing]]) {
    const result = spawnSync('apt-get', args, { env, stdio: ['ignore', 'inherit', 'inherit'] });
    if (result.status !== 0) fail(`apt-get ${args.join(' ')} failed (exit ${result.status})`);
  }
}

/** Runs SQL as the postgres superuser over the local socket; returns psql's unaligned output. */
function psqlAsPostgres(port, sql, database = 'postgres') {
  const args = [
    '-u',
    'postgres',
    '--',
    'psql',
    '-X',
    '-q',
    '-A',
    '-t',
    '-p',
    String(port),
    '-d',
    database,
    '-v',
    'ON_ERROR_STOP=1',
    '-c',
    sql,
  ];
  return run('runuser', args, { cwd: '/' }).trim();
}

function ensurePostgres() {
  const list = () =>
    run('pg_lsclusters', ['--no-header'])
      .split('\n')
      .map((line) => line.trim().split(/\s+/))
      .filter((fields) => fields.length >= 4);
  let clusters = list();
  if (clusters.length === 0) {
    if (!isRoot)
      fail('PostgreSQL has no cluster. Create one (sudo pg_createcluster --start <version> main).');
    const version = run('sh', ['-c', 'ls /usr/lib/postgresql | sort -n | tail -1']).trim();
    run('pg_createcluster', [version, 'main']);
    clusters = list();
  }
  const [version, name, port, status] = clusters.find((c) => c[1] === 'main') ?? clusters[0];
  if (status !== 'online') {
    if (!isRoot)
      fail(
        `PostgreSQL ${version}/${name} is ${status}. Start it (sudo pg_ctlcluster ${version} ${name} start).`,
      );
    console.log(`test-setup: starting PostgreSQL ${version}/${name} on port ${port}`);
    run('pg_ctlcluster', [version, name, 'start']);
  }
  if (isRoot) {
    // CREATEDB: tests make one throwaway database per test file.
    psqlAsPostgres(
      port,
      `DO $$ BEGIN
         IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${TEST_ROLE}') THEN
           CREATE ROLE ${TEST_ROLE} LOGIN CREATEDB PASSWORD '${TEST_PASSWORD}';
         ELSE
           ALTER ROLE ${TEST_ROLE} LOGIN CREATEDB PASSWORD '${TEST_PASSWORD}';
         END IF;
       END $$;
       -- DROP DATABASE ... WITH (FORCE) of a throwaway database must be able to end an autovacuum worker
       -- that happens to be in it (a superuser's process).
       GRANT pg_signal_backend TO ${TEST_ROLE};`,
    );
    const exists = psqlAsPostgres(port, `SELECT 1 FROM pg_database WHERE datname = '${TEST_DATABASE}'`);
    if (exists !== '1') psqlAsPostgres(port, `CREATE DATABASE ${TEST_DATABASE} OWNER ${TEST_ROLE}`);
  }
  return `postgresql://${TEST_ROLE}:${TEST_PASSWORD}@127.0.0.1:${port}/${TEST_DATABASE}`;
}

function redisAnswers(port) {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.on('error', () => done(false));
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (data) => done(data.toString().startsWith('+PONG')));
  });
}

async function ensureRedis() {
  if (!(await redisAnswers(REDIS_PORT))) {
    console.log(`test-setup: starting redis-server on 127.0.0.1:${REDIS_PORT}`);
    run('redis-server', [
      '--daemonize',
      'yes',
      '--port',
      String(REDIS_PORT),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
      '--dir',
      '/tmp',
      '--pidfile',
      `/tmp/candleflow-redis-${REDIS_PORT}.pid`,
    ]);
    for (let attempt = 0; attempt < 50 && !(await redisAnswers(REDIS_PORT)); attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    if (!(await redisAnswers(REDIS_PORT))) fail(`redis-server did not answer on 127.0.0.1:${REDIS_PORT}`);
  }
  return `redis://127.0.0.1:${REDIS_PORT}`;
}

async function checkPostgresLogin(databaseUrl) {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
  } catch (error) {
    fail(
      `cannot log in to ${databaseUrl.replace(`:${TEST_PASSWORD}@`, ':***@')} (${error.message}).` +
        (isRoot
          ? ''
          : ` As a superuser, create the role and database: CREATE ROLE ${TEST_ROLE} LOGIN CREATEDB PASSWORD '${TEST_PASSWORD}'; CREATE DATABASE ${TEST_DATABASE} OWNER ${TEST_ROLE};`),
    );
  } finally {
    await client.end().catch(() => {});
  }
}

/**
 * The studio's browser tests drive Debian's Chromium (never Playwright's download). Installed here when
 * missing and we are root; otherwise the message says what to install.
 */
function ensureChromium() {
  const CHROMIUM = '/usr/bin/chromium';
  if (existsSync(CHROMIUM)) return;
  if (!isRoot) {
    fail(
      `the studio's browser tests need Debian's Chromium at ${CHROMIUM}, which is not installed. Install it (sudo apt-get install -y chromium) and run npm test again.`,
    );
  }
  console.log('test-setup: installing chromium from Debian packages for the browser tests (a minute or two)');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [['update'], ['install', '-y', 'chromium']]) {
    const result = spawnSync('apt-get', args, { env, stdio: ['ignore', 'inherit', 'inherit'] });
    if (result.status !== 0) fail(`apt-get ${args.join(' ')} failed (exit ${result.status})`);
  }
  if (!existsSync(CHROMIUM)) fail(`apt-get installed chromium but ${CHROMIUM} is still missing`);
}

installServices();
ensureChromium();
const databaseUrl = ensurePostgres();
await checkPostgresLogin(databaseUrl);
const redisUrl = await ensureRedis();
mkdirSync(join(root, '.candleflow'), { recursive: true });
writeFileSync(
  join(root, '.candleflow', 'test-services.json'),
  `${JSON.stringify({ databaseUrl, redisUrl, TEST_DATABASE_URL: databaseUrl, TEST_REDIS_URL: redisUrl }, null, 2)}\n`,
);
console.log(
  `test-setup: PostgreSQL ${databaseUrl.replace(`:${TEST_PASSWORD}@`, ':***@')}, Redis ${redisUrl}`,
);
