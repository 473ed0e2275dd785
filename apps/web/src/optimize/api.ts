// The optimizations router as the studio calls it, and TanStack Query hooks over it: the debounced
// estimate, a strategy's optimizations (refreshed while any runs), one optimization, its trials page by
// page, the heat map, apply, and live progress (the progress subscription, with polling of
// optimizations.get when the WebSocket cannot be opened).
import type { OptimizationProgress, TrialPhase } from '@candleflow/optimize';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { inferRouterOutputs } from '@trpc/server';
import { useEffect, useState } from 'react';
import { type AppRouter, trpc } from '../api';
import type { OptimizeInput } from './form';

type Outputs = inferRouterOutputs<AppRouter>['optimizations'];
export type Estimate = Outputs['estimate'];
export type Optimization = Outputs['get'];
export type OptimizationStatus = Optimization['status'];
export type TrialRow = Outputs['trials']['rows'][number];
export type HeatmapData = Outputs['heatmap'];
export type Applied = Outputs['applyTrial'];
export type OptimizationSummary = Outputs['list'][number];

export interface TrialsQuery {
  readonly id: string;
  readonly phase?: TrialPhase;
  readonly fold?: number;
  readonly sort?: 'objective' | 'index';
  readonly order?: 'desc' | 'asc';
  readonly limit: number;
  readonly offset: number;
}

/** The router's procedures. */
export function optimizationsApi() {
  return trpc.optimizations;
}

export const optimizationKey = (id: string) => ['optimizations', 'get', id] as const;

const ESTIMATE_DEBOUNCE_MS = 400;

/** A value that follows `value` once it has stayed the same for `ms`. */
export function useDebounced<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

/**
 * The server's trial count for the request, or its refusal; asked 400 ms after the last edit. `current`
 * is false while the answer shown is for an older request (still typing, or the answer is on its way).
 */
export function useEstimate(input: (OptimizeInput & { strategyVersionId: string }) | null) {
  const key = input === null ? null : JSON.stringify(input);
  const settled = useDebounced(key, ESTIMATE_DEBOUNCE_MS);
  const query = useQuery({
    queryKey: ['optimizations', 'estimate', settled],
    queryFn: () => optimizationsApi().estimate.query(JSON.parse(settled as string)),
    enabled: settled !== null,
    retry: false,
    placeholderData: keepPreviousData,
    staleTime: 60_000,
  });
  return { query, current: key !== null && key === settled && !query.isFetching };
}

const TERMINAL: ReadonlySet<OptimizationStatus> = new Set(['SUCCEEDED', 'FAILED', 'CANCELED']);

export function isTerminal(status: OptimizationStatus): boolean {
  return TERMINAL.has(status);
}

/** A strategy's optimizations, newest first; the studio asks the server, tests pass their own. */
export type ListOptimizations = (
  strategyId: string,
  limit: number,
) => Promise<readonly OptimizationSummary[]>;

export const listOptimizations: ListOptimizations = (strategyId, limit) =>
  optimizationsApi().list.query({ strategyId, limit });

/** How many of a strategy's optimizations the studio lists (the newest). */
export const OPTIMIZATION_LIST_LIMIT = 20;
const LIST_POLL_MS = 2000;

/** The strategy's newest optimizations, asked again every `pollMs` while any of them is queued or running. */
export function useOptimizationList(
  strategyId: string,
  options: { readonly list?: ListOptimizations; readonly pollMs?: number } = {},
) {
  const { list = listOptimizations, pollMs = LIST_POLL_MS } = options;
  return useQuery({
    queryKey: ['optimizations', 'list', strategyId],
    queryFn: () => list(strategyId, OPTIMIZATION_LIST_LIMIT),
    // Asked afresh whenever the editor opens: the trader may have just started one from it.
    staleTime: 0,
    refetchInterval: (query) => (query.state.data?.some((o) => !isTerminal(o.status)) ? pollMs : false),
  });
}

export function useOptimization(id: string) {
  return useQuery({
    queryKey: optimizationKey(id),
    queryFn: () => optimizationsApi().get.query({ id }),
    // A finished optimization never changes; a running one is refreshed when its progress ends.
    staleTime: Number.POSITIVE_INFINITY,
  });
}

export function useTrials(query: TrialsQuery, enabled: boolean) {
  return useQuery({
    queryKey: ['optimizations', 'trials', query],
    queryFn: () => optimizationsApi().trials.query(query),
    enabled,
    placeholderData: keepPreviousData,
    staleTime: Number.POSITIVE_INFINITY,
  });
}

/** One heat map: two parameters, and a walk-forward fold (its in-sample trials) or the whole-dataset search. */
export interface HeatmapQuery {
  readonly id: string;
  readonly x: string;
  readonly y: string;
  readonly fold?: number;
}

/** Where heat maps come from; the studio asks the server, tests pass their own. */
export type FetchHeatmap = (query: HeatmapQuery) => Promise<HeatmapData>;

export const fetchHeatmap: FetchHeatmap = (query) => optimizationsApi().heatmap.query(query);

export function useHeatmap(
  id: string,
  x: string | null,
  y: string | null,
  fold: number | null,
  fetch: FetchHeatmap = fetchHeatmap,
) {
  return useQuery({
    queryKey: ['optimizations', 'heatmap', id, x, y, fold],
    queryFn: () => fetch({ id, x: x!, y: y!, ...(fold === null ? {} : { fold }) }),
    enabled: x !== null && y !== null && x !== y,
    placeholderData: keepPreviousData,
    staleTime: Number.POSITIVE_INFINITY,
  });
}

export interface LiveProgress extends OptimizationProgress {
  readonly status: OptimizationStatus;
  /** 0..1 */
  readonly progress: number;
  /** 'live' while the subscription streams; 'polling' after it failed and polling took over. */
  readonly via: 'live' | 'polling';
}

const POLL_MS = 1500;

/** Follows an optimization until it ends; null before the first update or when `enabled` is false. */
export function useOptimizationProgress(id: string, enabled: boolean): LiveProgress | null {
  const [state, setState] = useState<LiveProgress | null>(null);
  useEffect(() => {
    if (!enabled) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      if (stopped) return;
      try {
        const o = await optimizationsApi().get.query({ id });
        if (stopped) return;
        setState({
          status: o.status,
          progress: o.progress,
          doneTrials: o.doneTrials,
          totalTrials: o.totalTrials,
          cachedTrials: o.cachedTrials,
          stage: o.stage,
          best: o.best,
          via: 'polling',
        });
        if (isTerminal(o.status)) return;
      } catch (error) {
        // A failed poll is retried; the page shows the last known state meanwhile.
        console.warn(`optimization ${id}: polling its status failed, retrying`, error);
      }
      timer = setTimeout(poll, POLL_MS);
    };
    const subscription = optimizationsApi().progress.subscribe(
      { id },
      {
        onData: (update) => {
          if (!stopped) setState({ ...update, via: 'live' });
        },
        onError: (error) => {
          console.warn(`optimization ${id}: live progress unavailable, polling instead`, error);
          void poll();
        },
      },
    );
    return () => {
      stopped = true;
      if (timer !== undefined) clearTimeout(timer);
      subscription.unsubscribe();
    };
  }, [id, enabled]);
  return state;
}
