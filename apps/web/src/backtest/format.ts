// The metrics a run reports, each with its unit and which way is better, and how numbers are written on
// the result and compare pages: money with its currency, percentages with %, durations in days and hours,
// and a dash (never 0) for a metric that is undefined.

export type MetricUnit = 'percent' | 'quote' | 'ratio' | 'duration' | 'count';
/** For comparing runs: which difference is an improvement. */
export type Better = 'higher' | 'lower' | 'neither';

export interface MetricInfo {
  readonly key: string;
  readonly label: string;
  readonly unit: MetricUnit;
  readonly better: Better;
  /** Shown on the result page's first row of cards. */
  readonly headline?: boolean;
  readonly description: string;
}

/** Every numeric metric of the engine's Metrics, in the order the result page shows them. */
export const METRICS: readonly MetricInfo[] = [
  {
    key: 'totalReturnPct',
    label: 'Total return',
    unit: 'percent',
    better: 'higher',
    headline: true,
    description: 'Final equity over starting cash, minus one.',
  },
  {
    key: 'netProfit',
    label: 'Net profit',
    unit: 'quote',
    better: 'higher',
    headline: true,
    description: 'Final equity minus starting cash, after fees and funding.',
  },
  {
    key: 'maxDrawdownPct',
    label: 'Max drawdown',
    unit: 'percent',
    better: 'lower',
    headline: true,
    description: 'Largest fall from a running peak, as a share of that peak.',
  },
  {
    key: 'sharpe',
    label: 'Sharpe ratio',
    unit: 'ratio',
    better: 'higher',
    headline: true,
    description: 'Annualised mean return over its volatility (no risk-free rate unless set).',
  },
  {
    key: 'winRatePct',
    label: 'Win rate',
    unit: 'percent',
    better: 'higher',
    headline: true,
    description: 'Share of closed trades with a profit.',
  },
  {
    key: 'profitFactor',
    label: 'Profit factor',
    unit: 'ratio',
    better: 'higher',
    headline: true,
    description: 'Gross profit over gross loss; undefined when no trade lost.',
  },
  {
    key: 'tradeCount',
    label: 'Trades',
    unit: 'count',
    better: 'neither',
    headline: true,
    description: 'Closed round trips.',
  },
  {
    key: 'cagrPct',
    label: 'CAGR',
    unit: 'percent',
    better: 'higher',
    headline: true,
    description: 'Compound annual growth over calendar time (365-day years).',
  },
  {
    key: 'finalEquity',
    label: 'Final equity',
    unit: 'quote',
    better: 'higher',
    description: 'Cash plus open positions marked at the last close.',
  },
  {
    key: 'initialCash',
    label: 'Starting cash',
    unit: 'quote',
    better: 'neither',
    description: 'Equity before the first bar.',
  },
  {
    key: 'peakEquity',
    label: 'Peak equity',
    unit: 'quote',
    better: 'higher',
    description: 'Highest equity at any bar close.',
  },
  {
    key: 'annualReturnPct',
    label: 'Annual return',
    unit: 'percent',
    better: 'higher',
    description: 'The annual return the ratios use.',
  },
  {
    key: 'annualVolatilityPct',
    label: 'Annual volatility',
    unit: 'percent',
    better: 'lower',
    description: 'Standard deviation of returns, annualised.',
  },
  {
    key: 'sortino',
    label: 'Sortino ratio',
    unit: 'ratio',
    better: 'higher',
    description: 'Like Sharpe, counting only downside volatility.',
  },
  {
    key: 'calmar',
    label: 'Calmar ratio',
    unit: 'ratio',
    better: 'higher',
    description: 'Annual return over max drawdown.',
  },
  {
    key: 'maxDrawdownQuote',
    label: 'Max drawdown (money)',
    unit: 'quote',
    better: 'lower',
    description: 'Largest fall from a running peak in the account currency.',
  },
  {
    key: 'maxDrawdownDurationMs',
    label: 'Longest drawdown',
    unit: 'duration',
    better: 'lower',
    description: 'Longest time from a peak back to it (or to the end).',
  },
  {
    key: 'recoveryFactor',
    label: 'Recovery factor',
    unit: 'ratio',
    better: 'higher',
    description: 'Net profit over the largest drawdown in money.',
  },
  {
    key: 'expectancy',
    label: 'Expectancy',
    unit: 'quote',
    better: 'higher',
    description: 'Mean profit per trade.',
  },
  {
    key: 'expectancyPct',
    label: 'Expectancy (%)',
    unit: 'percent',
    better: 'higher',
    description: 'Mean trade return, percent of entry notional.',
  },
  {
    key: 'avgWin',
    label: 'Average win',
    unit: 'quote',
    better: 'higher',
    description: 'Mean profit of winning trades.',
  },
  {
    key: 'avgLoss',
    label: 'Average loss',
    unit: 'quote',
    better: 'higher',
    description: 'Mean loss of losing trades (negative).',
  },
  {
    key: 'avgWinPct',
    label: 'Average win (%)',
    unit: 'percent',
    better: 'higher',
    description: 'Mean return of winning trades.',
  },
  {
    key: 'avgLossPct',
    label: 'Average loss (%)',
    unit: 'percent',
    better: 'higher',
    description: 'Mean return of losing trades (negative).',
  },
  {
    key: 'bestTradePct',
    label: 'Best trade',
    unit: 'percent',
    better: 'higher',
    description: 'Highest trade return.',
  },
  {
    key: 'worstTradePct',
    label: 'Worst trade',
    unit: 'percent',
    better: 'higher',
    description: 'Lowest trade return.',
  },
  {
    key: 'avgTradeDurationMs',
    label: 'Average trade length',
    unit: 'duration',
    better: 'neither',
    description: 'Mean time from entry to exit.',
  },
  {
    key: 'sqn',
    label: 'SQN',
    unit: 'ratio',
    better: 'higher',
    description: 'System Quality Number: √n × mean / std of trade returns.',
  },
  {
    key: 'kellyPct',
    label: 'Kelly',
    unit: 'percent',
    better: 'higher',
    description: 'Kelly criterion from trade results, percent of equity.',
  },
  {
    key: 'exposureTimePct',
    label: 'Time in market',
    unit: 'percent',
    better: 'neither',
    description: 'Share of bars with an open position.',
  },
  {
    key: 'feesPaid',
    label: 'Fees paid',
    unit: 'quote',
    better: 'lower',
    description: 'Exchange fees over the run.',
  },
  {
    key: 'fundingPaid',
    label: 'Funding paid',
    unit: 'quote',
    better: 'lower',
    description: 'Perpetual funding paid (+) or received (−).',
  },
  {
    key: 'durationMs',
    label: 'Period tested',
    unit: 'duration',
    better: 'neither',
    description: 'From the first bar open to the last bar close.',
  },
];

const BY_KEY = new Map(METRICS.map((m) => [m.key, m]));

/** A metric's description, or a neutral one for a key this list does not know (a newer engine). */
export function metricInfo(key: string): MetricInfo {
  return (
    BY_KEY.get(key) ?? {
      key,
      label: key,
      unit: /Pct$/.test(key) ? 'percent' : /Ms$/.test(key) ? 'duration' : 'ratio',
      better: 'neither',
      description: '',
    }
  );
}

const grouped = (digits: number) =>
  new Intl.NumberFormat('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const money = grouped(2);
const two = grouped(2);

/** "1d 4h", "3h", "45s": the largest unit and the next one when it is not zero. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return '—';
  const sign = ms < 0 ? '−' : '';
  let rest = Math.round(Math.abs(ms) / 1000);
  const counts: Array<[string, number]> = [];
  for (const [unit, size] of [
    ['d', 86_400],
    ['h', 3_600],
    ['m', 60],
    ['s', 1],
  ] as const) {
    counts.push([unit, Math.floor(rest / size)]);
    rest %= size;
  }
  const first = counts.findIndex(([, n]) => n > 0);
  if (first === -1) return '0s';
  const [unit, n] = counts[first]!;
  const next = counts[first + 1];
  return `${sign}${n}${unit}${next && next[1] > 0 ? ` ${next[1]}${next[0]}` : ''}`;
}

/** A metric value as the cards show it; null (undefined metrics) as a dash. */
export function formatValue(value: unknown, unit: MetricUnit, quoteCurrency = 'USDT'): string {
  if (typeof value !== 'number' || !Number.isFinite(value)) return '—';
  switch (unit) {
    case 'percent':
      return `${two.format(value)}%`;
    case 'quote':
      return `${money.format(value)} ${quoteCurrency}`;
    case 'duration':
      return formatDuration(value);
    case 'count':
      return grouped(0).format(value);
    default:
      return two.format(value);
  }
}

export function formatMetric(key: string, value: unknown, quoteCurrency?: string): string {
  return formatValue(value, metricInfo(key).unit, quoteCurrency);
}

/** b − a with its unit: percentage points for percentages, so "+2.00 pp" is never read as +2%. */
export function formatDifference(key: string, difference: number | null, quoteCurrency = 'USDT'): string {
  if (difference === null || !Number.isFinite(difference)) return '—';
  const { unit } = metricInfo(key);
  const sign = difference > 0 ? '+' : difference < 0 ? '−' : '±';
  const abs = Math.abs(difference);
  switch (unit) {
    case 'percent':
      return `${sign}${two.format(abs)} pp`;
    case 'quote':
      return `${sign}${money.format(abs)} ${quoteCurrency}`;
    case 'duration':
      return `${sign}${formatDuration(abs)}`;
    case 'count':
      return `${sign}${grouped(0).format(abs)}`;
    default:
      return `${sign}${two.format(abs)}`;
  }
}

/** Whether b is better than a (1), worse (−1) or neither (0) for this metric. */
export function judgeDifference(key: string, difference: number | null): -1 | 0 | 1 {
  const { better } = metricInfo(key);
  if (difference === null || difference === 0 || !Number.isFinite(difference) || better === 'neither')
    return 0;
  const up = difference > 0 ? 1 : -1;
  return better === 'higher' ? up : up === 1 ? -1 : 1;
}

/** UTC date and time for tables and CSV: "2024-01-05 13:00". */
export function formatTime(ms: number): string {
  if (!Number.isFinite(ms)) return '—';
  return new Date(ms).toISOString().slice(0, 16).replace('T', ' ');
}

/** Prices with as many decimals as they need (BTC at 2, EURUSD at 5), no more than 8. */
export function formatPrice(value: number): string {
  if (!Number.isFinite(value)) return '—';
  const abs = Math.abs(value);
  const digits = abs >= 1000 ? 2 : abs >= 1 ? 4 : 8;
  return String(Number(value.toFixed(digits)));
}

/** Settings as dotted paths and display text, leaves only, in a stable order ("backtest.execution.takerFee"). */
export function flattenSettings(value: unknown, path = ''): Array<{ path: string; text: string }> {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const entries = Object.entries(value as Record<string, unknown>).sort(([x], [y]) => x.localeCompare(y));
    if (entries.length === 0) return path ? [{ path, text: '(none)' }] : [];
    return entries.flatMap(([key, v]) => flattenSettings(v, path ? `${path}.${key}` : key));
  }
  return [{ path, text: settingText(path, value) }];
}

/** One setting for people: fees and rates as percentages, times as UTC dates, the rest as JSON. */
export function settingText(path: string, value: unknown): string {
  if (typeof value === 'number' && /(Fee|\.rate)$/.test(path))
    return `${Number((value * 100).toPrecision(12))}%`;
  if (typeof value === 'number' && /(^|\.)(from|to)$/.test(path)) return `${formatTime(value)} UTC`;
  if (typeof value === 'string') return value;
  return JSON.stringify(value) ?? String(value);
}
