// Scenarios every JobQueue implementation must pass, run by each implementation's own test file.
import { expect } from 'vitest';
import type { JobEvent, JobQueue } from '../queue/queue';
import { waitFor } from './redis';

/** Every event of job `id`, in order, from now on. */
export function recorder(queue: JobQueue, id: string): JobEvent[] {
  const events: JobEvent[] = [];
  queue.subscribe(id, (event) => events.push(event));
  return events;
}

/**
 * A parent job whose user is at the active-job cap (maxActivePerUser 1) submits child `trials` jobs and
 * waits for them: the children must start anyway, or the parent waits for ever.
 */
export async function expectChildrenStartAtTheCap(queue: JobQueue): Promise<void> {
  const children = ['c1', 'c2', 'c3'];
  queue.process(
    'optimize',
    async () => {
      const ends = children.map(
        (id) =>
          new Promise<JobEvent>((resolve) => {
            queue.subscribe(id, (event) => {
              if (event.type !== 'progress') resolve(event);
            });
          }),
      );
      for (const id of children) await queue.add({ id, userId: 'u1', kind: 'trials', payload: null });
      expect(await Promise.all(ends)).toEqual(children.map(() => ({ type: 'completed' })));
    },
    { concurrency: 1 },
  );
  queue.process('trials', async () => {}, { concurrency: 2 });
  const parent = recorder(queue, 'p1');

  await queue.add({ id: 'p1', userId: 'u1', kind: 'optimize', payload: null });
  await waitFor('the parent to end', () => parent.some((e) => e.type !== 'progress'), 10_000);

  expect(parent.at(-1)).toEqual({ type: 'completed' });
}
