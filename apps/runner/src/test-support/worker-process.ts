// A runner process for the crash test: serves slow 'backtest' jobs from a BullMQ queue, records each
// start and each stored result in Redis, and prints "ready" and "started <id> <attempt>" lines.
// Usage: node --import tsx worker-process.ts '<json options>'
import { Redis } from 'ioredis';
import { BullMqQueue } from '../queue/bullmq';

interface Options {
  readonly redisUrl: string;
  readonly prefix: string;
  readonly lockDurationMs: number;
  readonly stalledIntervalMs: number;
  readonly jobMs: number;
}

const options = JSON.parse(process.argv[2] ?? '{}') as Options;
const redis = new Redis(options.redisUrl);
const queue = new BullMqQueue({
  redisUrl: options.redisUrl,
  prefix: options.prefix,
  maxActivePerUser: 10,
  lockDurationMs: options.lockDurationMs,
  stalledIntervalMs: options.stalledIntervalMs,
  dispatchIntervalMs: 200,
});

queue.process(
  'backtest',
  async ({ job, attempt, signal, progress }) => {
    await redis.rpush(`${options.prefix}:test:starts`, `${job.id}:${attempt}:${process.pid}`);
    process.stdout.write(`started ${job.id} ${attempt}\n`);
    const steps = 10;
    for (let step = 1; step <= steps; step++) {
      if (signal.aborted) return;
      await new Promise((resolve) => setTimeout(resolve, options.jobMs / steps));
      progress(step / steps);
    }
    await redis.rpush(`${options.prefix}:test:results`, `${job.id}:${attempt}:${process.pid}`);
  },
  { concurrency: 1 },
);

await queue.ready();
process.stdout.write('ready\n');

process.on('SIGTERM', () => {
  void queue.close().then(() => redis.quit().then(() => process.exit(0)));
});
