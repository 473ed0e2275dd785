// The overfitting statistics in plain words: the deflated Sharpe ratio (is the best trial more than the
// luck of trying many?) and the probability of backtest overfitting (does the in-sample winner keep
// winning on data it was not picked on?), each with what it means, how to read it and a verdict.
import type { OptimizationReport } from '@candleflow/optimize';
import { formatNumber } from './format';
import { deflatedSharpeVerdict, formatProbability, pboVerdict, type Verdict } from './verdicts';

function VerdictLine({ verdict, testId }: { readonly verdict: Verdict; readonly testId: string }) {
  return (
    <p>
      <span className={`op-verdict op-${verdict.tone}`} data-testid={testId} data-tone={verdict.tone}>
        {verdict.label}
      </span>{' '}
      <span className="bt-hint">Thresholds: {verdict.rule}.</span>
    </p>
  );
}

export function OverfittingPanel({
  overfitting,
}: {
  readonly overfitting: OptimizationReport['overfitting'];
}) {
  const { deflatedSharpe: dsr, pbo } = overfitting;
  return (
    <div className="op-overfitting" data-testid="overfitting">
      <p className="op-rare">
        Few trading platforms show these two numbers. They answer the question every optimization raises: is
        the best result real, or is it what you get by trying many combinations on one stretch of history?
      </p>
      <div className="op-overfitting-grid">
        <article className="op-stat" data-testid="deflated-sharpe">
          <h3>Deflated Sharpe ratio</h3>
          {dsr ? (
            <>
              <p className="op-big">{formatProbability(dsr.probability)}</p>
              <VerdictLine verdict={deflatedSharpeVerdict(dsr.probability)} testId="dsr-verdict" />
              <p>
                <strong>What it means.</strong> Try enough combinations and one of them will look good by pure
                chance. This is the probability that the best trial's true Sharpe ratio is above zero once the{' '}
                {dsr.trials.toLocaleString('en-US')} trials you ran, the length of the test (
                {dsr.observations.toLocaleString('en-US')} periods) and the shape of its returns (skew{' '}
                {formatNumber(dsr.skewness)}, kurtosis {formatNumber(dsr.kurtosis)}) are taken into account.
              </p>
              <p>
                <strong>How to read it.</strong> The best trial's Sharpe per period is{' '}
                {formatNumber(dsr.sharpe, 3)}; luck alone would be expected to produce{' '}
                {formatNumber(dsr.expectedMaxSharpe, 3)} with this many trials. Close to 100%: hard to explain
                by luck. Around 50% or lower: a search this size finds a result this good by chance.
              </p>
            </>
          ) : (
            <p className="bt-hint">Not computed for this optimization.</p>
          )}
        </article>
        <article className="op-stat" data-testid="pbo">
          <h3>Probability of backtest overfitting</h3>
          {pbo ? (
            <>
              <p className="op-big">{formatProbability(pbo.probability)}</p>
              <VerdictLine verdict={pboVerdict(pbo.probability)} testId="pbo-verdict" />
              <p>
                <strong>What it means.</strong> The test period is cut into {pbo.partitions} pieces. For each
                of the {pbo.combinations.toLocaleString('en-US')} ways to pick half of them, the best trial on
                that half is checked on the other half. This is the share of those splits where the winner did
                worse than the median trial on the half it was not picked on.
              </p>
              <p>
                <strong>How to read it.</strong> 0% means the winner kept winning on unseen data; 50% means
                choosing the winner was no better than choosing any trial at random; above 50%, the winner
                tends to do worse than average out of sample.
              </p>
            </>
          ) : (
            <p className="bt-hint">Not computed for this optimization.</p>
          )}
        </article>
      </div>
      {overfitting.notes.length > 0 && (
        <ul className="bt-hint" data-testid="overfitting-notes">
          {overfitting.notes.map((n) => (
            <li key={n}>{n}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
