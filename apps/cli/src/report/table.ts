// The metrics table `candleflow backtest` prints.
import type { BacktestResult } from '@candleflow/engine';
import { fmt, fmtDuration, fmtTime } from './format';

export function metricRows(result: BacktestResult): [string, string][] {
  const m = result.metrics;
  const first = result.equity[0];
  const last = result.equity[result.equity.length - 1];
  return [
    ['Period', first && last ? `${fmtTime(first.time)} → ${fmtTime(last.time)} (${result.bars} bars)` : '—'],
    ['Initial equity', fmt(m.initialCash)],
    ['Final equity', fmt(m.finalEquity)],
    ['Total return', fmt(m.totalReturnPct, 2, ' %')],
    ['Buy & hold return', fmt(result.buyAndHoldReturnPct, 2, ' %')],
    ['CAGR', fmt(m.cagrPct, 2, ' %')],
    ['Annual volatility', fmt(m.annualVolatilityPct, 2, ' %')],
    ['Sharpe', fmt(m.sharpe, 3)],
    ['Sortino', fmt(m.sortino, 3)],
    ['Calmar', fmt(m.calmar, 3)],
    ['Max drawdown', fmt(m.maxDrawdownPct, 2, ' %')],
    ['Max drawdown duration', fmtDuration(m.maxDrawdownDurationMs)],
    ['Trades', String(m.tradeCount)],
    ['Win rate', fmt(m.winRatePct, 2, ' %')],
    ['Profit factor', fmt(m.profitFactor, 3)],
    ['Expectancy', `${fmt(m.expectancy)} (${fmt(m.expectancyPct, 2, ' %')})`],
    ['Average win / loss', `${fmt(m.avgWinPct, 2, ' %')} / ${fmt(m.avgLossPct, 2, ' %')}`],
    ['Best / worst trade', `${fmt(m.bestTradePct, 2, ' %')} / ${fmt(m.worstTradePct, 2, ' %')}`],
    ['Average trade duration', fmtDuration(m.avgTradeDurationMs)],
    ['Exposure time', fmt(m.exposureTimePct, 2, ' %')],
    ['SQN', fmt(m.sqn, 3)],
    ['Kelly', fmt(m.kellyPct, 2, ' %')],
    ['Recovery factor', fmt(m.recoveryFactor, 3)],
    ['Fees paid', fmt(m.feesPaid)],
    ['Funding paid', fmt(m.fundingPaid)],
    ['Risk decisions', String(result.riskDecisions.length)],
    ['Open trades at end', String(result.openTrades.length)],
  ];
}

export function renderMetricsTable(input: {
  readonly name: string;
  readonly result: BacktestResult;
  readonly notes: readonly string[];
  readonly seconds: number;
}): string {
  const rows = metricRows(input.result);
  const width = Math.max(...rows.map(([label]) => label.length));
  const lines = [`Backtest: ${input.name}`, ''];
  for (const [label, value] of rows) lines.push(`  ${label.padEnd(width)}  ${value}`);
  const { provenance } = input.result;
  lines.push(
    '',
    `  engine ${provenance.engineVersion}, params ${JSON.stringify(provenance.paramValues)}, ${input.seconds.toFixed(2)} s`,
  );
  for (const note of input.notes) lines.push(`  note: ${note}`);
  for (const warning of input.result.warnings) lines.push(`  warning: ${warning}`);
  for (const note of input.result.metrics.notes) lines.push(`  metrics: ${note}`);
  return lines.join('\n');
}
