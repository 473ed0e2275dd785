// What the robustness numbers mean for a trader: each statistic's verdict with the thresholds it uses
// stated, so the words on the page and the numbers behind them can be checked against each other.
// Pure, so the thresholds are tested without a browser.

export type Tone = 'good' | 'warn' | 'bad';

export interface Verdict {
  readonly tone: Tone;
  /** Two to four words: "likely overfit". */
  readonly label: string;
  /** The rule that gave this verdict, in words, with its thresholds. */
  readonly rule: string;
}

/** 0.0312 → "3.1%"; small probabilities keep two decimals so 0.4% is not shown as 0%. */
export function formatProbability(p: number): string {
  return `${(p * 100).toFixed(p < 0.01 && p > 0 ? 2 : 1)}%`;
}
const pct = formatProbability;

/** Deflated Sharpe: probability the best trial's true Sharpe is above zero once the trials run are accounted for. */
export const DSR_THRESHOLDS = { real: 0.95, doubtful: 0.5 } as const;

export function deflatedSharpeVerdict(probability: number): Verdict {
  const rule = `above ${pct(DSR_THRESHOLDS.real)}: likely a real edge; ${pct(DSR_THRESHOLDS.doubtful)}–${pct(DSR_THRESHOLDS.real)}: inconclusive; below ${pct(DSR_THRESHOLDS.doubtful)}: likely luck of the search`;
  if (probability >= DSR_THRESHOLDS.real) return { tone: 'good', label: 'likely a real edge', rule };
  if (probability >= DSR_THRESHOLDS.doubtful) return { tone: 'warn', label: 'inconclusive', rule };
  return { tone: 'bad', label: 'likely overfit', rule };
}

/** PBO: share of data splits where the in-sample winner lands in the bottom half out of sample. */
export const PBO_THRESHOLDS = { low: 0.1, high: 0.5 } as const;

export function pboVerdict(probability: number): Verdict {
  const rule = `below ${pct(PBO_THRESHOLDS.low)}: low risk; ${pct(PBO_THRESHOLDS.low)}–${pct(PBO_THRESHOLDS.high)}: some risk; ${pct(PBO_THRESHOLDS.high)} or more: likely overfit (no better than picking at random)`;
  if (probability < PBO_THRESHOLDS.low) return { tone: 'good', label: 'low risk of overfitting', rule };
  if (probability < PBO_THRESHOLDS.high) return { tone: 'warn', label: 'some risk of overfitting', rule };
  return { tone: 'bad', label: 'likely overfit', rule };
}

/** Walk-forward efficiency (Pardo): out-of-sample annual return over in-sample annual return. */
export const WFE_THRESHOLDS = { robust: 0.5, weak: 0 } as const;

export function walkForwardVerdict(efficiency: number): Verdict {
  const rule = `${pct(WFE_THRESHOLDS.robust)} or more: holds up out of sample; 0–${pct(WFE_THRESHOLDS.robust)}: weaker out of sample; below 0: loses money on unseen data`;
  if (efficiency >= WFE_THRESHOLDS.robust) return { tone: 'good', label: 'holds up out of sample', rule };
  if (efficiency >= WFE_THRESHOLDS.weak) return { tone: 'warn', label: 'weaker out of sample', rule };
  return { tone: 'bad', label: 'fails out of sample', rule };
}

/** Probability of ruin from Monte Carlo: share of simulated paths whose drawdown reached the ruin level. */
export const RUIN_THRESHOLDS = { low: 0.01, high: 0.05 } as const;

export function ruinVerdict(probability: number): Verdict {
  const rule = `below ${pct(RUIN_THRESHOLDS.low)}: rare; ${pct(RUIN_THRESHOLDS.low)}–${pct(RUIN_THRESHOLDS.high)}: a real possibility; ${pct(RUIN_THRESHOLDS.high)} or more: too likely to trade as is`;
  if (probability < RUIN_THRESHOLDS.low) return { tone: 'good', label: 'ruin is rare', rule };
  if (probability < RUIN_THRESHOLDS.high) return { tone: 'warn', label: 'ruin is possible', rule };
  return { tone: 'bad', label: 'ruin is too likely', rule };
}
