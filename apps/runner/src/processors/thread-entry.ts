// The worker-thread side of threadEngine: runs one backtest and posts progress, then the outcome or the error.
import { parentPort, workerData } from 'node:worker_threads';
import { QuotaExceededError } from '../quota';
import { errorMessage, PermanentJobError } from '../queue/queue';
import type { ThreadMessage } from './engine';
import { type ExecuteRequest, executeBacktest } from './execute';

const { request, stop } = workerData as { request: ExecuteRequest; stop: Int32Array };
const post = (message: ThreadMessage) => parentPort!.postMessage(message);

try {
  const outcome = executeBacktest(request, {
    onProgress: (done, total) => post({ type: 'progress', done, total }),
    shouldStop: () => Atomics.load(stop, 0) === 1,
  });
  post({ type: 'outcome', outcome });
} catch (error) {
  post({
    type: 'error',
    message: errorMessage(error),
    permanent: error instanceof PermanentJobError,
    ...(error instanceof QuotaExceededError
      ? { quota: { name: error.quota, limit: error.limit, actual: error.actual } }
      : {}),
  });
}
