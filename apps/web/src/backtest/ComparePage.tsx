// Two runs side by side (/compare/:a/:b): every metric with b − a, the better side highlighted, both
// return curves on one chart, and the settings that differ.
import { lazy, Suspense, useMemo } from 'react';
import { formatServerError } from '../api';
import { linkClick, pathFor } from '../app/router';
import './backtest.css';
import { equityPoints } from './chart-data';
import { formatDifference, formatMetric, judgeDifference, metricInfo, settingText } from './format';
import { useComparison, useRunResult } from './queries';
import { quoteOf } from './RunPage';

const CompareEquityChart = lazy(() => import('./charts').then((m) => ({ default: m.CompareEquityChart })));

export interface ComparePageProps {
  readonly a: string;
  readonly b: string;
}

function RunLink({ id, label }: { readonly id: string; readonly label: string }) {
  const to = pathFor({ name: 'run', runId: id });
  return (
    <a href={to} onClick={linkClick(to)}>
      {label} ({id.slice(0, 8)})
    </a>
  );
}

export function ComparePage({ a, b }: ComparePageProps) {
  const comparison = useComparison(a, b);
  const runA = useRunResult(a);
  const runB = useRunResult(b);
  const equityA = useMemo(() => equityPoints(runA.data?.equity), [runA.data?.equity]);
  const equityB = useMemo(() => equityPoints(runB.data?.equity), [runB.data?.equity]);

  if (comparison.isPending) return <div className="bt-page bt-hint">Loading both runs…</div>;
  if (comparison.isError) {
    return (
      <div className="bt-page" role="alert" data-testid="compare-error">
        <h1>Compare runs</h1>
        <p>{formatServerError(comparison.error)}</p>
      </div>
    );
  }
  const c = comparison.data;
  const quoteA = quoteOf(runA.data?.settings);
  const quoteB = quoteOf(runB.data?.settings);
  // Numbers only: the annualisation name and the notes lists are not metrics to line up.
  const numeric = (v: unknown) => v === null || typeof v === 'number';
  const metrics = c.metrics.filter((m) => numeric(m.a) && numeric(m.b));

  return (
    <div className="bt-page" data-testid="compare-page">
      <header>
        <h1>Compare runs</h1>
        <div className="bt-subtitle">
          <span>
            A: <RunLink id={c.a.id} label="run A" />
          </span>
          <span>
            B: <RunLink id={c.b.id} label="run B" />
          </span>
          <span data-testid="compare-same">
            {c.sameStrategyVersion ? 'same strategy version' : 'different strategy versions'},{' '}
            {c.sameDataset ? 'same dataset' : 'different datasets'}
          </span>
        </div>
      </header>

      <section className="bt-section" aria-label="Returns">
        <h2>Return since start</h2>
        <Suspense fallback={<div className="bt-chart bt-hint">Loading chart…</div>}>
          <CompareEquityChart a={equityA} b={equityB} labels={['Run A', 'Run B']} />
        </Suspense>
      </section>

      <section className="bt-section" aria-labelledby="bt-cmp-metrics">
        <h2 id="bt-cmp-metrics">Metrics</h2>
        <div className="bt-table-wrap">
          <table className="bt-table" data-testid="compare-metrics">
            <thead>
              <tr>
                <th className="bt-left">Metric</th>
                <th>Run A</th>
                <th>Run B</th>
                <th>B − A</th>
              </tr>
            </thead>
            <tbody>
              {metrics.map((m) => {
                const verdict = judgeDifference(m.name, m.difference);
                const cls = verdict === 1 ? 'bt-better' : verdict === -1 ? 'bt-worse' : undefined;
                return (
                  <tr key={m.name} data-testid={`compare-metric-${m.name}`} data-verdict={verdict}>
                    <td className="bt-left" title={metricInfo(m.name).description}>
                      {metricInfo(m.name).label}
                    </td>
                    <td>{formatMetric(m.name, m.a, quoteA)}</td>
                    <td className={cls}>{formatMetric(m.name, m.b, quoteB)}</td>
                    <td className={cls}>{formatDifference(m.name, m.difference, quoteB)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
        <p className="bt-hint">
          Green: B is better than A on that metric; red: worse. Percent differences are in percentage points
          (pp).
        </p>
      </section>

      <section className="bt-section" aria-labelledby="bt-cmp-settings" data-testid="compare-settings">
        <h2 id="bt-cmp-settings">Settings that differ</h2>
        {c.settings.length === 0 ? (
          <p className="bt-hint">None: both runs used the same settings.</p>
        ) : (
          <table className="bt-table">
            <thead>
              <tr>
                <th className="bt-left">Setting</th>
                <th>Run A</th>
                <th>Run B</th>
              </tr>
            </thead>
            <tbody>
              {c.settings.map((s) => (
                <tr key={s.path}>
                  <td className="bt-left">{s.path}</td>
                  <td>{settingText(s.path, s.a)}</td>
                  <td>{settingText(s.path, s.b)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}

export default ComparePage;
