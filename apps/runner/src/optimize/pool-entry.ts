// A trial thread: keeps the datasets and bound graphs of the optimizations it serves, and evaluates the
// batches of trials (and final runs) the pool sends it, one request at a time.
import type { CandleSeries } from '@candleflow/data';
import type { GraphInput } from '@candleflow/strategy-dsl';
import { parentPort, workerData } from 'node:worker_threads';
import { loadDatasetFile } from '../dataset-file';
import { errorMessage, PermanentJobError } from '../queue/queue';
import { executeBacktest } from '../processors/execute';
import { bindGraph, evaluateTrial, type TrialEvaluation } from './evaluate';
import type { FinalRun, PoolReply, PoolRequest, TrialContext } from './pool-messages';

const { dataDir, stop } = workerData as { dataDir: string; stop: Int32Array };
const post = (reply: PoolReply) => parentPort!.postMessage(reply);
const shouldStop = () => Atomics.load(stop, 0) === 1;

/** A few recent entries, oldest evicted first: an optimization's batches keep coming to the same threads. */
class Recent<T> {
  private readonly items = new Map<string, T>();
  constructor(private readonly limit: number) {}
  async get(key: string, make: () => Promise<T> | T): Promise<T> {
    const found = this.items.get(key);
    if (found !== undefined) return found;
    const made = await make();
    this.items.set(key, made);
    if (this.items.size > this.limit) this.items.delete(this.items.keys().next().value!);
    return made;
  }
}

const datasets = new Recent<CandleSeries>(2);
const graphs = new Recent<GraphInput>(8);

async function prepare(context: TrialContext) {
  const series = await datasets.get(context.dataset.dataHash, () =>
    loadDatasetFile(dataDir, context.dataset),
  );
  const graph = await graphs.get(`${context.key}:${context.dataset.dataHash}`, () =>
    bindGraph(context.graph, series),
  );
  return { series, graph };
}

async function handle(request: PoolRequest): Promise<PoolReply> {
  const { series, graph } = await prepare(request.context);
  if (request.type === 'trials') {
    const input = {
      graph,
      settings: request.context.settings,
      series,
      cpuLimitMs: request.cpuLimitMs,
      shouldStop,
    };
    const results: TrialEvaluation[] = [];
    for (const task of request.tasks) {
      if (shouldStop()) break;
      const evaluation = evaluateTrial(input, task);
      if (evaluation) results.push(evaluation);
    }
    return { type: 'trials', id: request.id, results };
  }
  let barReturns = new Float64Array(0);
  const outcome = executeBacktest(
    {
      runId: `optimization-${request.context.key}`,
      graph: request.context.graph,
      settings: { ...request.context.settings, paramValues: request.params },
      series,
      cpuLimitMs: request.cpuLimitMs,
    },
    {
      onProgress: () => {},
      shouldStop,
      onResult: (result) => {
        const equity = result.equityColumns.equity;
        barReturns = new Float64Array(Math.max(0, equity.length - 1));
        for (let i = 1; i < equity.length; i++) {
          barReturns[i - 1] = equity[i - 1]! > 0 ? equity[i]! / equity[i - 1]! - 1 : 0;
        }
      },
    },
  );
  const run: FinalRun | null =
    outcome.kind === 'stopped'
      ? null
      : { result: outcome.result, tradePnls: outcome.result.trades.map((t) => t.pnl), barReturns };
  return { type: 'final', id: request.id, run };
}

parentPort!.on('message', (request: PoolRequest) => {
  handle(request).then(post, (error: unknown) =>
    post({
      type: 'error',
      id: request.id,
      message: errorMessage(error),
      permanent: error instanceof PermanentJobError,
    }),
  );
});
