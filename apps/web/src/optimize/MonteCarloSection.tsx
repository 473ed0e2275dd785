// Monte Carlo of the best parameters' final run: for each method (trade-order reshuffle, trade bootstrap,
// block bootstrap of per-bar returns) the final-equity and drawdown histograms with p5/p50/p95 marked,
// the fan of equity paths (5–95% band and median), and the probability of ruin with its verdict.
import type { Histogram, MonteCarloDistribution, MonteCarloReport, Percentiles } from '@candleflow/optimize';
import { fanShape, histogramBars, percentileMarks } from './chart-shapes';
import { formatNumber } from './format';
import { formatProbability, ruinVerdict } from './verdicts';

const W = 320;
const H = 110;

function HistogramChart(props: {
  readonly title: string;
  readonly unit: string;
  readonly histogram: Histogram;
  readonly percentiles: Percentiles;
  readonly testId: string;
}) {
  const box = { width: W, height: H };
  const bars = histogramBars(props.histogram, box);
  const marks = percentileMarks(props.histogram, props.percentiles, box);
  const first = props.histogram.edges[0];
  const last = props.histogram.edges.at(-1);
  // Every path ended at the same value (reshuffled trades always reach the same final equity): a number, not a chart.
  if (first === undefined || last === undefined || last - first <= Math.abs(last) * 1e-9) {
    return (
      <figure className="op-figure" data-testid={props.testId}>
        <figcaption>{props.title}</figcaption>
        <p className="op-single" data-testid={`${props.testId}-single`}>
          Every path: {formatNumber(props.percentiles.p50)} {props.unit}
        </p>
      </figure>
    );
  }
  return (
    <figure className="op-figure" data-testid={props.testId}>
      <figcaption>{props.title}</figcaption>
      <svg
        viewBox={`0 0 ${W} ${H + 30}`}
        className="op-svg"
        role="img"
        aria-label={`${props.title} histogram`}
      >
        {bars.map((b) => (
          <rect
            key={b.from}
            className="op-bar"
            x={b.x}
            y={b.y}
            width={Math.max(0.5, b.width - 1)}
            height={b.height}
          >
            <title>{`${formatNumber(b.from)} to ${formatNumber(b.to)} ${props.unit}: ${b.count} paths`}</title>
          </rect>
        ))}
        {marks.map((m) => (
          <g key={m.label}>
            <line className={`op-mark op-mark-${m.label}`} x1={m.x} x2={m.x} y1={0} y2={H} />
          </g>
        ))}
        <text x={0} y={H + 12} className="op-axis-label">
          {formatNumber(first)}
        </text>
        <text x={W} y={H + 12} className="op-axis-label" textAnchor="end">
          {formatNumber(last)}
        </text>
        <text x={W / 2} y={H + 26} className="op-axis-label" textAnchor="middle">
          {props.unit}
        </text>
      </svg>
      <div className="op-marks-legend">
        {marks.map((m) => (
          <span key={m.label} className={`op-mark-key op-mark-${m.label}`}>
            {m.label} {formatNumber(m.value)}
          </span>
        ))}
      </div>
    </figure>
  );
}

function FanChart(props: {
  readonly bands: MonteCarloDistribution['bands'];
  readonly initialEquity: number;
}) {
  const box = { width: W, height: H };
  const fan = fanShape(props.bands, box, props.initialEquity);
  if (!fan) return null;
  return (
    <figure className="op-figure" data-testid="mc-fan">
      <figcaption>Equity paths: 5–95% band and median</figcaption>
      <svg
        viewBox={`0 0 ${W} ${H + 16}`}
        className="op-svg"
        role="img"
        aria-label="Fan chart of simulated equity"
      >
        <line className="op-baseline" x1={0} x2={W} y1={fan.baseline} y2={fan.baseline} />
        <path className="op-fan-band" d={fan.band} />
        <path className="op-fan-median" d={fan.median} />
        <text x={0} y={H + 12} className="op-axis-label">
          low {formatNumber(fan.min)}
        </text>
        <text x={W} y={H + 12} className="op-axis-label" textAnchor="end">
          high {formatNumber(fan.max)}
        </text>
      </svg>
    </figure>
  );
}

const METHODS = [
  {
    key: 'reshuffle',
    title: 'Trade order reshuffled',
    explain:
      'The same trades in another order: the final equity cannot change, the drawdowns on the way can.',
  },
  {
    key: 'tradeBootstrap',
    title: 'Trades resampled',
    explain:
      'Trades drawn with replacement: some repeat, some are left out, as another year might deal them.',
  },
  {
    key: 'blockBootstrap',
    title: 'Bar returns resampled in blocks',
    explain:
      'Blocks of consecutive bar returns drawn with replacement, keeping calm and wild stretches together.',
  },
] as const;

export function MonteCarloSection({
  report,
  quote,
}: {
  readonly report: MonteCarloReport;
  readonly quote: string;
}) {
  return (
    <div className="op-mc" data-testid="monte-carlo">
      <p className="bt-hint">
        {report.runs.toLocaleString('en-US')} simulated paths per method from the best parameters' trades on
        the whole dataset, starting from {formatNumber(report.initialEquity)} {quote}. Ruin means a drawdown
        of {report.ruinDrawdownPct}% or more. Block length {report.blockBars} bars.
      </p>
      {report.notes.map((n) => (
        <p key={n} className="bt-hint">
          {n}
        </p>
      ))}
      {METHODS.map((m) => {
        const d = report[m.key];
        if (!d) return null;
        const verdict = ruinVerdict(d.probabilityOfRuin);
        return (
          <section key={m.key} className="op-mc-method" data-testid={`mc-${m.key}`}>
            <h3>{m.title}</h3>
            <p className="bt-hint">{m.explain}</p>
            <p>
              Probability of ruin:{' '}
              <strong data-testid={`mc-${m.key}-ruin`}>{formatProbability(d.probabilityOfRuin)}</strong>{' '}
              <span className={`op-verdict op-${verdict.tone}`}>{verdict.label}</span>{' '}
              <span className="bt-hint">({verdict.rule})</span>
            </p>
            <div className="op-mc-charts">
              <HistogramChart
                title="Final equity"
                unit={quote}
                histogram={d.finalEquity.histogram}
                percentiles={d.finalEquity}
                testId={`mc-${m.key}-equity`}
              />
              <HistogramChart
                title="Maximum drawdown"
                unit="%"
                histogram={d.maxDrawdownPct.histogram}
                percentiles={d.maxDrawdownPct}
                testId={`mc-${m.key}-drawdown`}
              />
              <FanChart bands={d.bands} initialEquity={report.initialEquity} />
            </div>
          </section>
        );
      })}
    </div>
  );
}
