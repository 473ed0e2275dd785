// Walk-forward: each fold's in-sample and out-of-sample windows, the parameters the in-sample search
// picked and their objective on both sides, the out-of-sample windows chained into one equity curve, and
// the walk-forward efficiency with its verdict.
import type { WalkForwardReport } from '@candleflow/optimize';
import { lazy, Suspense } from 'react';
import { formatTime } from '../backtest/format';
import { formatNumber, paramsText } from './format';
import { formatProbability, walkForwardVerdict } from './verdicts';

const EquityChart = lazy(() => import('../backtest/charts').then((m) => ({ default: m.EquityChart })));

const windowText = (w: { fromTime: number; toTime: number }) =>
  `${formatTime(w.fromTime)} → ${formatTime(w.toTime)}`;

export function WalkForwardSection(props: {
  readonly report: WalkForwardReport;
  readonly parameters: readonly string[];
  readonly quote: string;
}) {
  const { report } = props;
  const verdict = report.efficiency === null ? null : walkForwardVerdict(report.efficiency);
  const stitched = report.stitched.time.map((time, i) => ({
    time,
    equity: report.stitched.equity[i] ?? Number.NaN,
  }));
  return (
    <div data-testid="walk-forward">
      <p className="bt-hint">
        {report.mode === 'anchored' ? 'Anchored' : 'Rolling'} windows: each fold searches its in-sample window
        and trades the winner, unchanged, on the out-of-sample window that follows. Only out-of-sample results
        are what live trading would have seen.
      </p>
      <p>
        Walk-forward efficiency:{' '}
        <strong data-testid="wf-efficiency">
          {report.efficiency === null ? '—' : formatProbability(report.efficiency)}
        </strong>{' '}
        {verdict ? (
          <>
            <span className={`op-verdict op-${verdict.tone}`} data-testid="wf-verdict">
              {verdict.label}
            </span>{' '}
            <span className="bt-hint">
              Out-of-sample annual return over in-sample annual return. Thresholds: {verdict.rule}.
            </span>
          </>
        ) : (
          <span className="bt-hint">undefined (an in-sample return was zero or missing)</span>
        )}
      </p>
      <div className="bt-table-wrap">
        <table className="bt-table" data-testid="wf-folds">
          <thead>
            <tr>
              <th>Fold</th>
              <th className="bt-left">In-sample (UTC)</th>
              <th className="bt-left">Out-of-sample (UTC)</th>
              <th className="bt-left">Parameters picked</th>
              <th>IS objective</th>
              <th>OOS objective</th>
              <th>IS annual %</th>
              <th>OOS annual %</th>
            </tr>
          </thead>
          <tbody>
            {report.folds.map((f) => (
              <tr key={f.index}>
                <td>{f.index + 1}</td>
                <td className="bt-left">{windowText(f.inSample)}</td>
                <td className="bt-left">{windowText(f.outOfSample)}</td>
                <td className="bt-left">
                  {f.params ? paramsText(f.params, props.parameters) : 'no feasible trial'}
                </td>
                <td>{formatNumber(f.inSampleObjective)}</td>
                <td className={(f.outOfSampleObjective ?? 0) < 0 ? 'bt-neg' : ''}>
                  {formatNumber(f.outOfSampleObjective)}
                </td>
                <td>{formatNumber(f.inSampleAnnualReturnPct)}</td>
                <td>{formatNumber(f.outOfSampleAnnualReturnPct)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h3>Stitched out-of-sample equity</h3>
      <p className="bt-hint">
        Total return {formatNumber(report.stitchedMetrics.totalReturnPct)}%, maximum drawdown{' '}
        {formatNumber(report.stitchedMetrics.maxDrawdownPct)}%, Sharpe{' '}
        {formatNumber(report.stitchedMetrics.sharpe)}.
      </p>
      {stitched.length > 1 ? (
        <Suspense fallback={<div className="bt-chart bt-hint">Loading chart…</div>}>
          <EquityChart points={stitched} quote={props.quote} />
        </Suspense>
      ) : (
        <p className="bt-hint">No out-of-sample equity to draw.</p>
      )}
    </div>
  );
}
