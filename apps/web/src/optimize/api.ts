// The optimizations router as the studio calls it, and TanStack Query hooks over it: the debounced
// estimate, one optimization, its trials page by page, the heat map, apply, and live progress (the
// progress subscription, with polling of optimizations.get when the WebSocket cannot be opened).
import type {
  BestTrial,
  OptimizationProgress,
  OptimizationReport,
  OptimizeSpec,
  ParamSet,
  TrialMetrics,
  TrialPhase,
} from '@candleflow/optimize';
import type { StrategyParam } from '@candleflow/strategy-dsl';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { trpc } from '../api';
import type { OptimizeInput } from './form';

export type OptimizationStatus = 'QUEUED' | 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'CANCELED';

/** One searched dimension as the server built it from the strategy and the request. */
export interface EstimateDimension {
  readonly name: string;
  readonly kind: 'int' | 'number' | 'categorical';
  readonly values: readonly (number | string | boolean)[] | null;
}

export interface Estimate {
  readonly trials: number;
  readonly gridSize: number | null;
  readonly folds: number;
  readonly warnings: readonly string[];
  readonly dimensions: readonly EstimateDimension[];
}

export interface Optimization {
  readonly id: string;
  readonly status: OptimizationStatus;
  readonly progress: number;
  readonly stage: string;
  readonly totalTrials: number;
  readonly doneTrials: number;
  readonly cachedTrials: number;
  readonly best: BestTrial | null;
  readonly report: OptimizationReport | null;
  readonly error: string | null;
  readonly spec: OptimizeSpec;
  readonly objectiveLabel: string;
  readonly strategyId: string;
  readonly strategyVersionId: string;
  readonly versionNumber: number;
  readonly datasetId: string;
  readonly datasetName: string;
  readonly params: readonly StrategyParam[];
  readonly queuedAt: string;
  readonly startedAt: string | null;
  readonly finishedAt: string | null;
  readonly finalRunId: string | null;
}

export interface TrialRow {
  readonly index: number;
  readonly phase: TrialPhase;
  readonly fold: number | null;
  readonly params: ParamSet;
  readonly objective: number | null;
  readonly feasible: boolean;
  readonly note: string | null;
  readonly metrics: TrialMetrics | null;
  readonly cached: boolean;
}

export interface TrialsQuery {
  readonly id: string;
  readonly phase?: TrialPhase;
  readonly fold?: number;
  readonly sort?: 'objective' | 'index';
  readonly order?: 'desc' | 'asc';
  readonly limit: number;
  readonly offset: number;
}

export interface HeatmapData {
  readonly x: { readonly name: string; readonly values: readonly (number | string | boolean)[] };
  readonly y: { readonly name: string; readonly values: readonly (number | string | boolean)[] };
  /** [yIndex][xIndex]; null where no feasible trial landed. */
  readonly cells: readonly (readonly (number | null)[])[];
}

export type ProgressEvent = {
  readonly status: OptimizationStatus;
  readonly progress: number;
} & OptimizationProgress;

export interface Applied {
  readonly strategyId: string;
  readonly versionId: string;
  readonly number: number;
}

type Handlers<T> = { onData: (value: T) => void; onError: (error: unknown) => void };

/** The calls this folder makes; the shapes are the plan's server contract (apps/server optimizations). */
export interface OptimizationsApi {
  estimate: { query(input: OptimizeInput & { strategyVersionId: string }): Promise<Estimate> };
  submit: { mutate(input: OptimizeInput & { strategyVersionId: string }): Promise<{ id: string }> };
  get: { query(input: { id: string }): Promise<Optimization> };
  trials: { query(input: TrialsQuery): Promise<{ total: number; rows: TrialRow[] }> };
  heatmap: {
    query(input: { id: string; x: string; y: string; stat?: 'max' | 'mean' }): Promise<HeatmapData>;
  };
  progress: { subscribe(input: { id: string }, handlers: Handlers<ProgressEvent>): { unsubscribe(): void } };
  cancel: { mutate(input: { id: string }): Promise<unknown> };
  apply: { mutate(input: { id: string; trialIndex?: number }): Promise<Applied> };
}

/** The router's procedures, read through the contract above. */
export function optimizationsApi(): OptimizationsApi {
  return (trpc as unknown as { optimizations: OptimizationsApi }).optimizations;
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

export function useHeatmap(id: string, x: string | null, y: string | null) {
  return useQuery({
    queryKey: ['optimizations', 'heatmap', id, x, y],
    queryFn: () => optimizationsApi().heatmap.query({ id, x: x!, y: y! }),
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
