// Where a backtest computes: in a worker thread (the default: the runner's event loop stays free to renew
// job locks, hear cancellations and, in the embedded mode, serve HTTP) or inline (tests, tiny jobs).
import { Worker } from 'node:worker_threads';
import { QuotaExceededError, type QuotaName } from '../quota';
import { errorMessage, PermanentJobError } from '../queue/queue';
import { type ExecuteOutcome, type ExecuteRequest, executeBacktest } from './execute';

export interface EngineHooks {
  readonly onProgress: (done: number, total: number) => void;
  /** Stops the run at the next bar; the outcome is then 'stopped'. */
  readonly signal: AbortSignal;
}

export type BacktestEngine = (request: ExecuteRequest, hooks: EngineHooks) => Promise<ExecuteOutcome>;

/** Runs on the caller's thread: the signal is only seen if it is aborted before the run starts. */
export const inlineEngine: BacktestEngine = async (request, hooks) =>
  executeBacktest(request, { onProgress: hooks.onProgress, shouldStop: () => hooks.signal.aborted });

/** Messages from thread-entry.ts. */
export type ThreadMessage =
  | { readonly type: 'progress'; readonly done: number; readonly total: number }
  | { readonly type: 'outcome'; readonly outcome: ExecuteOutcome }
  | {
      readonly type: 'error';
      readonly message: string;
      readonly permanent: boolean;
      readonly quota?: { readonly name: QuotaName; readonly limit: number; readonly actual: number };
    };

const boot = new URL('./thread-boot.mjs', import.meta.url);
const entry = new URL(`./thread-entry${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url);

/** Runs in a new worker thread per job; cancelling sets a shared flag the engine checks every bar. */
export const threadEngine: BacktestEngine = (request, hooks) =>
  new Promise<ExecuteOutcome>((resolve, reject) => {
    const stop = new Int32Array(new SharedArrayBuffer(4));
    const worker = new Worker(boot, {
      workerData: { entry: entry.href, request, stop },
      // The parent's flags (a test runner's, a debugger's) are not the thread's business.
      execArgv: [],
    });
    let settled = false;
    const onAbort = () => Atomics.store(stop, 0, 1);
    if (hooks.signal.aborted) onAbort();
    hooks.signal.addEventListener('abort', onAbort, { once: true });
    const settle = (action: () => void) => {
      if (settled) return;
      settled = true;
      hooks.signal.removeEventListener('abort', onAbort);
      action();
      void worker.terminate();
    };
    worker.on('message', (message: ThreadMessage) => {
      if (message.type === 'progress') hooks.onProgress(message.done, message.total);
      else if (message.type === 'outcome') settle(() => resolve(message.outcome));
      else settle(() => reject(rebuildError(message)));
    });
    worker.on('error', (error) =>
      settle(() => reject(new Error(`backtest thread crashed: ${errorMessage(error)}`))),
    );
    worker.on('exit', (code) =>
      settle(() => reject(new Error(`backtest thread exited with code ${code} before reporting a result`))),
    );
  });

function rebuildError(message: Extract<ThreadMessage, { type: 'error' }>): Error {
  if (message.quota) {
    return new QuotaExceededError(
      message.quota.name,
      message.quota.limit,
      message.quota.actual,
      message.message,
    );
  }
  return message.permanent ? new PermanentJobError(message.message) : new Error(message.message);
}
