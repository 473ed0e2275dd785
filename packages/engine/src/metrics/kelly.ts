// The Kelly criterion from a strategy's own closed trades, shared by Kelly sizing and the run metrics.

/**
 * f* = W − (1 − W) / R, where W is the share of winning trades (pnl > 0) and R the average win divided by
 * the average loss (both as positive amounts in quote currency), the formula backtesting.py reports.
 * With no losing trade R is infinite and f* = W. Returns null when it is undefined: no trades, or no
 * winning trade (f* would be −∞: there is no edge to size).
 */
export function kellyFraction(pnls: readonly number[]): number | null {
  if (pnls.length === 0) return null;
  let wins = 0;
  let winSum = 0;
  let losses = 0;
  let lossSum = 0;
  for (const pnl of pnls) {
    if (pnl > 0) {
      wins++;
      winSum += pnl;
    } else if (pnl < 0) {
      losses++;
      lossSum -= pnl;
    }
  }
  if (wins === 0) return null;
  const winRate = wins / pnls.length;
  if (losses === 0) return winRate;
  const payoff = winSum / wins / (lossSum / losses);
  return winRate - (1 - winRate) / payoff;
}
