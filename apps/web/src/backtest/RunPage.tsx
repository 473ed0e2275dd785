// The result of one backtest (/runs/:id): metric cards, equity and drawdown charts, the price chart
// with the strategy's indicators and fills, the trades, the settings used, realism warnings and
// provenance. The charts load lazily, after the numbers.
import { lazy, type ReactNode, Suspense, useMemo, useState } from 'react';
import { formatServerError } from '../api';
import { linkClick, navigate, pathFor } from '../app/router';
import './backtest.css';
import { equityPoints } from './chart-data';
import { flattenSettings, formatTime } from './format';
import { MetricCards } from './MetricCards';
import { type RunResult, useDataset, useRecentRuns, useRunChart, useRunResult, useVersion } from './queries';
import { numberTrades } from './trades';
import { TradesTable } from './TradesTable';

// One load of the charts chunk for the three charts.
let chartsModule: Promise<typeof import('./charts')> | undefined;
const charts = () => {
  chartsModule ??= import('./charts');
  return chartsModule;
};
const EquityChart = lazy(() => charts().then((m) => ({ default: m.EquityChart })));
const DrawdownChart = lazy(() => charts().then((m) => ({ default: m.DrawdownChart })));
const PriceChart = lazy(() => charts().then((m) => ({ default: m.PriceChart })));

export interface RunPageProps {
  readonly runId: string;
}

function ChartSlot({ children, testId }: { readonly children: ReactNode; readonly testId: string }) {
  return (
    <Suspense
      fallback={
        <div className="bt-chart bt-hint" data-testid={`${testId}-loading`}>
          Loading chart…
        </div>
      }
    >
      {children}
    </Suspense>
  );
}

/** The run's account currency, from its stored settings (USDT when the run predates the field). */
export function quoteOf(settings: unknown): string {
  const q = (settings as { backtest?: { account?: { quoteCurrency?: unknown } } } | null)?.backtest?.account
    ?.quoteCurrency;
  return typeof q === 'string' ? q : 'USDT';
}

function Provenance({ run }: { readonly run: RunResult }) {
  const p = (run.provenance ?? {}) as {
    engineVersion?: string;
    nodes?: Array<{ type: string; version: number }>;
    dataHashes?: Record<string, string>;
    paramValues?: Record<string, unknown>;
    seed?: number;
  };
  return (
    <section className="bt-section" aria-labelledby="bt-provenance" data-testid="run-provenance">
      <h2 id="bt-provenance">Provenance</h2>
      <dl className="bt-kv">
        <dt>Engine</dt>
        <dd>{p.engineVersion ?? run.engineVersion}</dd>
        <dt>Nodes</dt>
        <dd>{(p.nodes ?? []).map((n) => `${n.type}@${n.version}`).join(', ') || '—'}</dd>
        {Object.entries(p.dataHashes ?? {}).map(([symbol, hash]) => (
          <FragmentRow key={symbol} label={`Data hash (${symbol})`} value={hash} />
        ))}
        <dt>Parameters</dt>
        <dd>{JSON.stringify(p.paramValues ?? {})}</dd>
        <dt>Seed</dt>
        <dd>{p.seed ?? '—'}</dd>
        <dt>Bars</dt>
        <dd>{run.bars?.toLocaleString('en-US') ?? '—'}</dd>
        <dt>CPU time</dt>
        <dd>{run.cpuMs !== null ? `${run.cpuMs} ms` : '—'}</dd>
        <dt>Result</dt>
        <dd>
          {run.servedFromCache
            ? `served from the cache (same result as run ${run.resultOfRunId})`
            : 'computed for this run'}
        </dd>
      </dl>
    </section>
  );
}

function FragmentRow({ label, value }: { readonly label: string; readonly value: string }) {
  return (
    <>
      <dt>{label}</dt>
      <dd>{value}</dd>
    </>
  );
}

function ComparePicker({
  run,
  strategyId,
}: {
  readonly run: RunResult;
  readonly strategyId: string | undefined;
}) {
  const runs = useRecentRuns(strategyId);
  const [other, setOther] = useState('');
  const choices = (runs.data?.items ?? []).filter((r) => r.id !== run.id);
  if (choices.length === 0) return null;
  return (
    <span className="bt-compare-pick">
      <select
        aria-label="Run to compare with"
        data-testid="compare-pick"
        value={other}
        onChange={(e) => setOther(e.target.value)}
      >
        <option value="">Compare with…</option>
        {choices.map((r) => (
          <option key={r.id} value={r.id}>
            {formatTime(new Date(r.queuedAt).getTime())} — {r.id.slice(0, 8)}
          </option>
        ))}
      </select>
      <button
        type="button"
        data-testid="compare-open"
        disabled={!other}
        onClick={() => navigate(pathFor({ name: 'compare', a: other, b: run.id }))}
      >
        Compare
      </button>
    </span>
  );
}

export function RunPage({ runId }: RunPageProps) {
  const result = useRunResult(runId);
  const run = result.data;
  const chart = useRunChart(runId, run !== undefined);
  const version = useVersion(run?.strategyVersionId);
  const dataset = useDataset(run?.datasetId);
  const equity = useMemo(() => equityPoints(run?.equity), [run?.equity]);
  const trades = useMemo(() => numberTrades(run?.trades), [run?.trades]);

  if (result.isPending) return <div className="bt-page bt-hint">Loading the result…</div>;
  if (result.isError || !run) {
    return (
      <div className="bt-page" role="alert" data-testid="run-error">
        <h1>Backtest {runId}</h1>
        <p>{formatServerError(result.error)}</p>
      </div>
    );
  }
  const quote = quoteOf(run.settings);
  const warnings = (Array.isArray(run.warnings) ? run.warnings : []).filter(
    (w): w is string => typeof w === 'string',
  );
  const strategyId = version.data?.strategyId;

  return (
    <div className="bt-page" data-testid="run-page">
      <header className="bt-toolbar">
        <div>
          <h1>Backtest result</h1>
          <div className="bt-subtitle">
            {version.data && strategyId && (
              <a
                href={pathFor({ name: 'editor', strategyId })}
                onClick={linkClick(pathFor({ name: 'editor', strategyId }))}
              >
                Strategy version {version.data.number}
              </a>
            )}
            <span data-testid="run-dataset">
              {dataset.data
                ? `${dataset.data.name} (${dataset.data.symbol} ${dataset.data.timeframe})`
                : `dataset ${run.datasetId}`}
            </span>
            <span>finished {run.finishedAt ? formatTime(new Date(run.finishedAt).getTime()) : '—'} UTC</span>
            {run.servedFromCache && <span>from the result cache</span>}
          </div>
        </div>
        <ComparePicker run={run} strategyId={strategyId} />
      </header>

      <section
        className={`bt-section${warnings.length > 0 ? ' bt-warnings' : ''}`}
        data-testid="run-warnings"
        aria-labelledby="bt-warn"
      >
        <h2 id="bt-warn">Realism warnings</h2>
        {warnings.length === 0 ? (
          <p className="bt-hint">None: fees, slippage and fills are realistic.</p>
        ) : (
          <ul>
            {warnings.map((w) => (
              <li key={w}>{w}</li>
            ))}
          </ul>
        )}
      </section>

      <MetricCards metrics={run.metrics} quote={quote} />

      <div className="bt-charts">
        <section className="bt-section" aria-label="Equity">
          <h2>Equity</h2>
          <ChartSlot testId="chart-equity">
            <EquityChart points={equity} quote={quote} />
          </ChartSlot>
        </section>
        <section className="bt-section" aria-label="Drawdown">
          <h2>Drawdown</h2>
          <ChartSlot testId="chart-drawdown">
            <DrawdownChart points={equity} />
          </ChartSlot>
        </section>
        <section className="bt-section" aria-label="Price">
          <h2>Price, indicators and trades</h2>
          {chart.isError ? (
            <p className="bt-field-error" role="alert" data-testid="chart-price-error">
              {formatServerError(chart.error)}
            </p>
          ) : chart.data ? (
            <ChartSlot testId="chart-price">
              <PriceChart data={chart.data} trades={trades} />
            </ChartSlot>
          ) : (
            <div className="bt-chart bt-hint">Computing the indicators…</div>
          )}
        </section>
      </div>

      <TradesTable trades={trades} quote={quote} filename={`trades-${run.id}.csv`} />

      <div className="bt-grid-2">
        <section className="bt-section" aria-labelledby="bt-settings" data-testid="run-settings">
          <h2 id="bt-settings">Settings used</h2>
          <dl className="bt-kv">
            {flattenSettings(run.settings).map((row) => (
              <FragmentRow key={row.path} label={row.path} value={row.text} />
            ))}
          </dl>
        </section>
        <Provenance run={run} />
      </div>
    </div>
  );
}

export default RunPage;
