// A fixed set of persistent worker threads that evaluate trials, so the runner's event loop stays free
// (lock renewal, cancellation, HTTP in the embedded mode) and each thread loads a dataset and binds a
// graph once per optimization rather than once per trial. Requests wait for a free thread in order.
import { Worker } from 'node:worker_threads';
import type { ParamSet } from '@candleflow/optimize';
import { errorMessage, PermanentJobError } from '../queue/queue';
import type { TrialEvaluation, TrialTask } from './evaluate';
import type { FinalRun, PoolReply, PoolRequest, TrialContext } from './pool-messages';

const boot = new URL('../processors/thread-boot.mjs', import.meta.url);
const entry = new URL(`./pool-entry${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url);

interface PoolThread {
  readonly worker: Worker;
  /** Set to 1 to stop the request in progress at its next bar (trials already done are kept). */
  readonly stop: Int32Array;
  pending: { readonly resolve: (reply: PoolReply) => void; readonly reject: (error: Error) => void } | null;
  dead: boolean;
}

type Payload<T> = T extends unknown ? Omit<T, 'id'> : never;

export class TrialPool {
  private readonly idle: PoolThread[] = [];
  private readonly waiters: ((thread: PoolThread) => void)[] = [];
  private started = 0;
  private nextId = 1;
  private closed = false;

  constructor(
    /** Threads, at most this many requests at once. */
    readonly size: number,
    private readonly dataDir: string,
  ) {
    if (!Number.isInteger(size) || size < 1)
      throw new RangeError(`pool size must be a positive integer, got ${size}`);
  }

  /** Evaluates tasks in order on one thread; an abort stops at the next bar and returns what was done. */
  async evaluate(
    context: TrialContext,
    tasks: readonly TrialTask[],
    options: { readonly cpuLimitMs: number; readonly signal?: AbortSignal },
  ): Promise<TrialEvaluation[]> {
    const reply = await this.request(
      { type: 'trials', context, tasks, cpuLimitMs: options.cpuLimitMs },
      options.signal,
    );
    return reply.type === 'trials' ? reply.results : [];
  }

  /** The whole-dataset backtest of `params`; null when aborted. */
  async finalRun(
    context: TrialContext,
    params: ParamSet,
    options: { readonly cpuLimitMs: number; readonly signal?: AbortSignal },
  ): Promise<FinalRun | null> {
    const reply = await this.request(
      { type: 'final', context, params, cpuLimitMs: options.cpuLimitMs },
      options.signal,
    );
    return reply.type === 'final' ? reply.run : null;
  }

  async close(): Promise<void> {
    this.closed = true;
    const threads = this.idle.splice(0);
    await Promise.all(threads.map((thread) => thread.worker.terminate()));
  }

  private async request(payload: Payload<PoolRequest>, signal: AbortSignal | undefined): Promise<PoolReply> {
    const thread = await this.acquire();
    const id = this.nextId++;
    Atomics.store(thread.stop, 0, signal?.aborted ? 1 : 0);
    const onAbort = () => Atomics.store(thread.stop, 0, 1);
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const reply = await new Promise<PoolReply>((resolve, reject) => {
        thread.pending = { resolve, reject };
        thread.worker.postMessage({ ...payload, id } as PoolRequest);
      });
      if (reply.type === 'error') {
        throw reply.permanent ? new PermanentJobError(reply.message) : new Error(reply.message);
      }
      return reply;
    } finally {
      signal?.removeEventListener('abort', onAbort);
      this.release(thread);
    }
  }

  private acquire(): Promise<PoolThread> {
    if (this.closed) return Promise.reject(new Error('the trial pool is closed'));
    const thread = this.idle.pop() ?? (this.started < this.size ? this.spawn() : undefined);
    if (thread) return Promise.resolve(thread);
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private release(thread: PoolThread): void {
    thread.pending = null;
    if (thread.dead) return; // its replacement is spawned on demand
    const waiter = this.waiters.shift();
    if (waiter) waiter(thread);
    else if (this.closed) void thread.worker.terminate();
    else this.idle.push(thread);
  }

  private spawn(): PoolThread {
    this.started++;
    const stop = new Int32Array(new SharedArrayBuffer(4));
    const worker = new Worker(boot, {
      workerData: { entry: entry.href, dataDir: this.dataDir, stop },
      // The parent's flags (a test runner's, a debugger's) are not the thread's business.
      execArgv: [],
    });
    const thread: PoolThread = { worker, stop, pending: null, dead: false };
    worker.on('message', (reply: PoolReply) => thread.pending?.resolve(reply));
    const lost = (reason: string) => {
      if (thread.dead) return;
      thread.dead = true;
      this.started--;
      const index = this.idle.indexOf(thread);
      if (index >= 0) this.idle.splice(index, 1);
      thread.pending?.reject(new Error(`trial thread ${reason}`));
      // A request waiting for a thread gets a new one.
      const waiter = !this.closed && this.waiters.shift();
      if (waiter) waiter(this.spawn());
    };
    worker.on('error', (error) => lost(`crashed: ${errorMessage(error)}`));
    worker.on('exit', (code) => lost(`exited with code ${code}`));
    return thread;
  }
}
