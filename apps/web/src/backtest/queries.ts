// The backtest views' server calls as TanStack Query hooks, the output types inferred from the server's
// router, and live run progress: the backtests.progress subscription, with polling of backtests.get as
// the fallback when the WebSocket cannot be opened.
import type { inferRouterOutputs } from '@trpc/server';
import { type QueryClient, useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { type AppRouter, trpc } from '../api';

type Outputs = inferRouterOutputs<AppRouter>;
export type RunResult = Outputs['backtests']['result'];
export type RunChart = Outputs['backtests']['chart'];
export type RunComparison = Outputs['backtests']['compare'];
export type RunStatus = Outputs['backtests']['get'];
export type DatasetItem = Outputs['datasets']['list'][number];

export const DATASETS_KEY = ['datasets', 'list'] as const;

const DEMO_DATASET = { name: 'Demo BTC/USDT 1h', symbol: 'BTC/USDT', timeframe: '1h', bars: 5000 };

/** Where Backtest and Optimize find datasets: the list fresh from the server (a dataset uploaded a moment
 * ago must be the one a click uses), and the demo dataset made for a user who has none. */
export function datasetSources(queryClient: QueryClient) {
  return {
    listDatasets: () =>
      queryClient.fetchQuery({
        queryKey: DATASETS_KEY,
        queryFn: () => trpc.datasets.list.query({}),
        staleTime: 0,
      }),
    generateDemo: async () => {
      const created = await trpc.datasets.generate.mutate(DEMO_DATASET);
      await queryClient.invalidateQueries({ queryKey: DATASETS_KEY });
      return created;
    },
  };
}

export function useDatasets(enabled = true) {
  return useQuery({ queryKey: DATASETS_KEY, queryFn: () => trpc.datasets.list.query({}), enabled });
}

export function useRunResult(id: string) {
  // A finished run never changes: keep it for the session.
  return useQuery({
    queryKey: ['backtests', 'result', id],
    queryFn: () => trpc.backtests.result.query({ id }),
    staleTime: Number.POSITIVE_INFINITY,
  });
}

export function useRunChart(id: string, enabled = true) {
  return useQuery({
    queryKey: ['backtests', 'chart', id],
    queryFn: () => trpc.backtests.chart.query({ id }),
    staleTime: Number.POSITIVE_INFINITY,
    enabled,
  });
}

export function useComparison(a: string, b: string) {
  return useQuery({
    queryKey: ['backtests', 'compare', a, b],
    queryFn: () => trpc.backtests.compare.query({ a, b }),
    staleTime: Number.POSITIVE_INFINITY,
  });
}

/** The strategy version a run used (for its name, number and a link back to the editor). */
export function useVersion(id: string | undefined) {
  return useQuery({
    queryKey: ['versions', 'get', id],
    queryFn: () => trpc.versions.get.query({ id: id! }),
    enabled: id !== undefined,
    staleTime: Number.POSITIVE_INFINITY,
  });
}

export function useDataset(id: string | undefined) {
  return useQuery({
    queryKey: ['datasets', 'get', id],
    queryFn: () => trpc.datasets.get.query({ id: id! }),
    enabled: id !== undefined,
    retry: false,
  });
}

/** Other finished runs of the same strategy, to pick one to compare with. */
export function useRecentRuns(strategyId: string | undefined) {
  return useQuery({
    queryKey: ['backtests', 'list', strategyId],
    queryFn: () => trpc.backtests.list.query({ strategyId: strategyId!, status: 'SUCCEEDED', limit: 20 }),
    enabled: strategyId !== undefined,
  });
}

export interface Progress {
  readonly status: RunStatus['status'];
  /** 0..1 */
  readonly progress: number;
  readonly error: string | null;
  /** 'live' while the subscription streams; 'polling' after it failed and polling took over. */
  readonly via: 'live' | 'polling';
}

const TERMINAL = new Set(['SUCCEEDED', 'FAILED', 'CANCELED']);
const POLL_MS = 1000;

/** Follows a run until it ends; null before the first update (and when runId is null). */
export function useRunProgress(runId: string | null): Progress | null {
  const [state, setState] = useState<Progress | null>(null);
  useEffect(() => {
    setState(null);
    if (runId === null) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      if (stopped) return;
      try {
        const run = await trpc.backtests.get.query({ id: runId });
        if (stopped) return;
        setState({ status: run.status, progress: run.progress, error: run.error, via: 'polling' });
        if (TERMINAL.has(run.status)) return;
      } catch (error) {
        // A failed poll is retried; the page shows the last known state meanwhile.
        console.warn(`backtest ${runId}: polling its status failed, retrying`, error);
      }
      timer = setTimeout(poll, POLL_MS);
    };
    const subscription = trpc.backtests.progress.subscribe(
      { id: runId },
      {
        onData: (update) => {
          if (!stopped) setState({ ...update, via: 'live' });
        },
        onError: (error) => {
          console.warn(`backtest ${runId}: live progress unavailable, polling instead`, error);
          void poll();
        },
      },
    );
    return () => {
      stopped = true;
      if (timer !== undefined) clearTimeout(timer);
      subscription.unsubscribe();
    };
  }, [runId]);
  return state;
}
