// No container engine runs here, so this checks docker-compose.yml, deploy/Dockerfile and the example
// env file against what the server's and the runner's env modules accept, and against each other.
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RunnerEnvSchema, readRunnerEnv } from '../apps/runner/src/env';
import { ENV_VARIABLES, loadEnv } from '../apps/server/src/env';
import { parseYamlSubset, type YamlValue } from './yaml-subset';

const root = new URL('../', import.meta.url);
const read = (path: string) => readFileSync(new URL(path, root), 'utf8');

type Mapping = { [key: string]: YamlValue };
const compose = parseYamlSubset(read('docker-compose.yml'));
const services = compose.services as Mapping;
const service = (name: string) => services[name] as Mapping;
const APP_SERVICES = ['server', 'runner'];
// What compose would interpolate from the shell or .env.
const SHELL = { POSTGRES_PASSWORD: 'pw-from-shell' };

/** Compose's `${VAR}`, `${VAR:?message}` and `${VAR:-default}` interpolation. */
function interpolate(text: string, vars: Record<string, string>): string {
  return text.replace(
    /\$\{([A-Z0-9_]+)(?::([?-])([^}]*))?\}/g,
    (_, name: string, op?: string, arg?: string) => {
      const value = vars[name];
      if (value !== undefined && value !== '') return value;
      if (op === '-') return arg ?? '';
      throw new Error(`compose would stop: ${name} is unset (${arg ?? 'no message'})`);
    },
  );
}

function envFileEntries(path: string): Record<string, string> {
  const entries: Record<string, string> = {};
  for (const line of read(path).split('\n')) {
    const match = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (match) entries[match[1]!] = match[2]!;
  }
  return entries;
}

/** The environment a container of `name` starts with, env_file first and `environment` over it. */
function containerEnv(name: string, envFileOverrides: Record<string, string> = {}): Record<string, string> {
  const svc = service(name);
  const env: Record<string, string> = {};
  for (const file of (svc.env_file as string[] | undefined) ?? []) {
    Object.assign(env, envFileEntries(`${file}.example`), envFileOverrides);
  }
  for (const [key, value] of Object.entries((svc.environment as Mapping | undefined) ?? {})) {
    env[key] = interpolate(String(value), SHELL);
  }
  return env;
}

const realKeys = { CREDENTIALS_KEYS: `k1:${randomBytes(32).toString('base64')}` };

describe('docker-compose.yml', () => {
  it('has postgres, redis, one server and replicated runners', () => {
    expect(Object.keys(services).sort()).toEqual(['postgres', 'redis', 'runner', 'server']);
    expect((service('server').deploy as Mapping | undefined)?.replicas ?? 1).toBe(1);
    expect((service('runner').deploy as Mapping).replicas).toBeGreaterThanOrEqual(2);
  });

  it('server sets only variables the server env module knows', () => {
    const known = new Set<string>(ENV_VARIABLES);
    const set = [
      ...Object.keys(service('server').environment as Mapping),
      ...Object.keys(envFileEntries('deploy/production.env.example')),
    ];
    expect(set.filter((variable) => !known.has(variable))).toEqual([]);
  });

  it('runner sets only variables the runner env module knows, all of which the server knows too', () => {
    const runnerKnows = new Set(Object.keys(RunnerEnvSchema.shape));
    const set = Object.keys(service('runner').environment as Mapping);
    expect(service('runner').env_file).toBeUndefined();
    expect(set.filter((variable) => !runnerKnows.has(variable))).toEqual([]);
    expect(set.filter((variable) => !(ENV_VARIABLES as readonly string[]).includes(variable))).toEqual([]);
  });

  it('server starts with a valid production environment once the env file has a real key', () => {
    const env = loadEnv(containerEnv('server', realKeys));
    expect(env.NODE_ENV).toBe('production');
    expect(env.DATABASE_URL).toBeDefined();
    expect(env.REDIS_URL).toBeDefined();
    expect(env.CREDENTIALS_KEYS?.[0]?.id).toBe('k1');
  });

  it('runner starts with a valid production environment shared with the server through PostgreSQL and Redis', () => {
    const runner = readRunnerEnv(containerEnv('runner'));
    const server = loadEnv(containerEnv('server', realKeys));
    expect(runner.NODE_ENV).toBe('production');
    expect(runner.DATABASE_URL).toBe(server.DATABASE_URL);
    expect(runner.REDIS_URL).toBe(server.REDIS_URL);
    expect(runner.DATA_DIR).toBe(server.DATA_DIR);
  });

  it('refuses to start with the placeholder key left in the env file', () => {
    expect(() => loadEnv(containerEnv('server'))).toThrow(/CREDENTIALS_KEYS/);
  });

  it('stops when POSTGRES_PASSWORD is not given', () => {
    const url = String((service('server').environment as Mapping).DATABASE_URL);
    expect(() => interpolate(url, {})).toThrow(/POSTGRES_PASSWORD/);
  });

  it.each(APP_SERVICES)(
    '%s reaches postgres with the user, password, port and database postgres is given',
    (name) => {
      const url = new URL(containerEnv(name).DATABASE_URL!);
      const pg = service('postgres').environment as Mapping;
      expect(url.hostname).toBe('postgres');
      expect(url.port).toBe('5432');
      expect(url.username).toBe(pg.POSTGRES_USER);
      expect(decodeURIComponent(url.password)).toBe(interpolate(String(pg.POSTGRES_PASSWORD), SHELL));
      expect(url.pathname).toBe(`/${pg.POSTGRES_DB}`);
    },
  );

  it.each(APP_SERVICES)('%s reaches redis on its default port', (name) => {
    const url = new URL(containerEnv(name).REDIS_URL!);
    expect(url.hostname).toBe('redis');
    expect(url.port).toBe('6379');
    // BullMQ loses jobs if Redis may evict keys.
    expect((service('redis').command as string[]).join(' ')).toContain('--maxmemory-policy noeviction');
  });

  it('publishes the port the server listens on, on all interfaces inside its container', () => {
    const env = loadEnv(containerEnv('server', realKeys));
    const ports = service('server').ports as string[];
    expect(env.HOST).toBe('0.0.0.0');
    expect(ports.map((mapping) => mapping.split(':').at(-1))).toEqual([String(env.PORT)]);
    const health = (service('server').healthcheck as Mapping).test as string[];
    expect(health.join(' ')).toContain(`http://127.0.0.1:${env.PORT}/ready`);
    expect(service('runner').ports).toBeUndefined();
  });

  it('gives server and runners the same data directory volume and waits for healthy dependencies', () => {
    const server = service('server');
    const runner = service('runner');
    expect(server.volumes).toContain(`candleflow-data:${loadEnv(containerEnv('server', realKeys)).DATA_DIR}`);
    expect(runner.volumes).toContain(`candleflow-data:${readRunnerEnv(containerEnv('runner')).DATA_DIR}`);
    expect(server.depends_on).toEqual({
      postgres: { condition: 'service_healthy' },
      redis: { condition: 'service_healthy' },
    });
    expect((runner.depends_on as Mapping).server).toEqual({ condition: 'service_healthy' });
    expect(Object.keys(compose.volumes as Mapping)).toEqual(
      expect.arrayContaining(['pgdata', 'redisdata', 'candleflow-data']),
    );
  });

  it('runs server and runner from the image the server service builds, with entry points that exist', () => {
    const build = service('server').build as Mapping;
    expect(existsSync(new URL(String(build.dockerfile), root))).toBe(true);
    expect(service('runner').image).toBe(service('server').image);
    for (const name of APP_SERVICES) {
      const command = service(name).command as string[];
      expect(command.slice(0, 3)).toEqual(['node', '--import', 'tsx']);
      expect(command[3]).toMatch(new RegExp(`^apps/${name}/src/main\\.ts$`));
    }
  });
});

describe('deploy/Dockerfile', () => {
  const dockerfile = read('deploy/Dockerfile');

  it('builds on node:20-slim and runs as the unprivileged node user', () => {
    expect(dockerfile).toMatch(/^FROM node:20-slim$/m);
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/^RUN npm install\b/m);
  });

  it('generates the Prisma client with the repository script, after the sources are copied', () => {
    const generate = dockerfile.indexOf('RUN node tools/prisma-generate.mjs');
    expect(generate).toBeGreaterThan(dockerfile.indexOf('COPY . .'));
    expect(existsSync(new URL('tools/prisma-generate.mjs', root))).toBe(true);
  });

  it('copies the manifest of every workspace before npm install', () => {
    const workspaces = ['apps', 'packages'].flatMap((dir) =>
      readdirSync(new URL(`${dir}/`, root))
        .filter((name) => existsSync(new URL(`${dir}/${name}/package.json`, root)))
        .map((name) => `${dir}/${name}`),
    );
    const beforeInstall = dockerfile.slice(0, dockerfile.indexOf('RUN npm install'));
    for (const workspace of workspaces) {
      expect(beforeInstall).toContain(`COPY ${workspace}/package.json ${workspace}/`);
    }
  });

  it('keeps secrets and local state out of the build context', () => {
    const ignored = read('deploy/Dockerfile.dockerignore').split('\n');
    expect(ignored).toEqual(
      expect.arrayContaining(['deploy/production.env', '.env', '.candleflow', '**/node_modules']),
    );
  });
});

describe('parseYamlSubset', () => {
  it('reads nested mappings, lists, quoted and flow values and comments', () => {
    const doc = parseYamlSubset(
      [
        '# top',
        'a:',
        '  b: plain text # trailing',
        "  c: 'it''s'",
        '  d: "3000"',
        '  e: ["x", "y"]',
        '  f: 5',
        '  g:',
        '    - one',
        '    - "two # not a comment"',
        'h:',
      ].join('\n'),
    );
    expect(doc).toEqual({
      a: { b: 'plain text', c: "it's", d: '3000', e: ['x', 'y'], f: 5, g: ['one', 'two # not a comment'] },
      h: null,
    });
  });

  it('refuses what it does not understand instead of guessing', () => {
    expect(() => parseYamlSubset('a:\n\tb: 1')).toThrow(/line 2: tabs/);
    expect(() => parseYamlSubset('a: &anchor 1')).toThrow(/line 1: "&"/);
    expect(() => parseYamlSubset('a: |\n  text')).toThrow(/line 1: "\|"/);
    expect(() => parseYamlSubset('a: 1\na: 2')).toThrow(/line 2: duplicate key "a"/);
    expect(() => parseYamlSubset('a:\n  - x\n  y: 1')).toThrow(/line 3: expected a "- item"/);
    expect(() => parseYamlSubset('a:\n    b: 1\n  c: 2')).toThrow(/line 3: unexpected indentation/);
    expect(() => parseYamlSubset('a: [1,')).toThrow(/not valid JSON/);
    expect(() => parseYamlSubset('just text')).toThrow(/expected "key: value"/);
  });
});
