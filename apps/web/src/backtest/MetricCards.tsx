// A run's metrics as cards: the headline ones first, the rest behind "All metrics", each with its unit,
// a dash for undefined values and the engine's note on why.
import { formatMetric, METRICS, type MetricInfo } from './format';

function tone(info: MetricInfo, value: unknown): string {
  if (typeof value !== 'number' || value === 0) return '';
  const signed = ['totalReturnPct', 'netProfit', 'cagrPct', 'annualReturnPct', 'expectancy', 'expectancyPct'];
  if (!signed.includes(info.key)) return '';
  return value > 0 ? 'bt-pos' : 'bt-neg';
}

function Card({
  info,
  value,
  quote,
}: {
  readonly info: MetricInfo;
  readonly value: unknown;
  readonly quote: string;
}) {
  return (
    <div className="bt-card" data-testid={`metric-${info.key}`} title={info.description}>
      <div className="bt-card-label">{info.label}</div>
      <div className={`bt-card-value ${tone(info, value)}`}>{formatMetric(info.key, value, quote)}</div>
    </div>
  );
}

export function MetricCards({ metrics, quote }: { readonly metrics: unknown; readonly quote: string }) {
  const m = (typeof metrics === 'object' && metrics !== null ? metrics : {}) as Record<string, unknown>;
  const notes = Array.isArray(m.notes) ? m.notes.filter((n): n is string => typeof n === 'string') : [];
  const present = METRICS.filter((info) => info.key in m);
  return (
    <section className="bt-section" aria-labelledby="bt-metrics">
      <h2 id="bt-metrics">Metrics</h2>
      <div className="bt-cards">
        {present
          .filter((info) => info.headline)
          .map((info) => (
            <Card key={info.key} info={info} value={m[info.key]} quote={quote} />
          ))}
      </div>
      <details className="bt-more">
        <summary>All metrics</summary>
        <div className="bt-cards">
          {present
            .filter((info) => !info.headline)
            .map((info) => (
              <Card key={info.key} info={info} value={m[info.key]} quote={quote} />
            ))}
        </div>
        {typeof m.annualisation === 'string' && (
          <p className="bt-hint">
            Annualised the {m.annualisation} way
            {typeof m.periodsPerYear === 'number' ? ` (${m.periodsPerYear.toFixed(0)} periods a year)` : ''}.
          </p>
        )}
      </details>
      {notes.length > 0 && (
        <ul className="bt-hint" data-testid="metric-notes">
          {notes.map((n) => (
            <li key={n}>{n}</li>
          ))}
        </ul>
      )}
    </section>
  );
}
