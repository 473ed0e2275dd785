// The strategy's risk limits as the studio edits them: the suggested defaults, one short hint per field
// and validation with the graph's own RiskSettingsSchema, so the form refuses exactly what a save would.
import { type RiskSettings, RiskSettingsSchema } from '@candleflow/strategy-dsl';

export type RiskKey = keyof RiskSettings;

/**
 * The limits a trader expects when a strategy has none. A copy of the engine's SUGGESTED_RISK, because the
 * web bundle must not import @candleflow/engine; risk-settings.test.ts fails when the two drift apart.
 */
export const SUGGESTED_RISK_LIMITS: Readonly<RiskSettings> = Object.freeze({
  riskPerTradePct: 2,
  maxExposurePct: 60,
  dailyLossLimitPct: 5,
  maxDrawdownPct: 25,
  dedupeSignals: true,
});

export interface RiskField {
  readonly key: RiskKey;
  readonly label: string;
  readonly kind: 'percent' | 'bars' | 'boolean';
  readonly hint: string;
}

export const RISK_FIELDS: readonly RiskField[] = [
  {
    key: 'riskPerTradePct',
    label: 'Risk per trade %',
    kind: 'percent',
    hint: 'Most of your equity one trade may lose if its stop is hit; sizes positions from the stop distance.',
  },
  {
    key: 'maxPositionPct',
    label: 'Max position %',
    kind: 'percent',
    hint: 'Largest single position, as a share of equity.',
  },
  {
    key: 'maxExposurePct',
    label: 'Max total exposure %',
    kind: 'percent',
    hint: 'All open positions together, as a share of equity; above 100 means leverage.',
  },
  {
    key: 'dailyLossLimitPct',
    label: 'Daily loss limit %',
    kind: 'percent',
    hint: 'Stop opening trades for the rest of the day (UTC) after losing this share of equity.',
  },
  {
    key: 'maxDrawdownPct',
    label: 'Max drawdown %',
    kind: 'percent',
    hint: 'Halt the strategy when equity falls this far below its peak.',
  },
  {
    key: 'cooldownBars',
    label: 'Cooldown (bars)',
    kind: 'bars',
    hint: 'Bars to wait after a trade closes before the same symbol may enter again.',
  },
  {
    key: 'dedupeSignals',
    label: 'Ignore repeated entries',
    kind: 'boolean',
    hint: 'An entry signal that repeats while its position is open does not add to it.',
  },
];

/** Number typed into a field: blank means "no cap"; text that is not a number is kept as NaN so it is refused. */
export function parseRiskInput(text: string): number | undefined {
  return text.trim() === '' ? undefined : Number(text);
}

/** `risk` with one field set (or removed when `value` is undefined); undefined when nothing is left. */
export function withRiskField(
  risk: RiskSettings | undefined,
  key: RiskKey,
  value: number | boolean | undefined,
): RiskSettings | undefined {
  const { [key]: _old, ...rest } = risk ?? {};
  const next: Record<string, unknown> = value === undefined ? rest : { ...rest, [key]: value };
  return Object.keys(next).length === 0 ? undefined : (next as RiskSettings);
}

/** Problems per field, in words a trader understands; empty when the settings are valid. */
export function riskErrors(risk: unknown): Partial<Record<RiskKey, string>> {
  const parsed = RiskSettingsSchema.safeParse(risk ?? {});
  if (parsed.success) return {};
  const errors: Partial<Record<RiskKey, string>> = {};
  for (const issue of parsed.error.issues) {
    const key = issue.path[0] as RiskKey | undefined;
    if (key === undefined || errors[key] !== undefined) continue;
    errors[key] = describeIssue(key, issue);
  }
  return errors;
}

function describeIssue(
  key: RiskKey,
  issue: { code: string; message: string; expected?: unknown; maximum?: unknown },
): string {
  const field = RISK_FIELDS.find((f) => f.key === key);
  const label = field?.label ?? key;
  if (issue.code === 'invalid_type' && issue.expected === 'int')
    return `${label}: must be a whole number of bars.`;
  switch (issue.code) {
    case 'invalid_type':
      return `${label}: enter a number, or leave it blank for no cap.`;
    case 'too_small':
      return field?.kind === 'bars'
        ? `${label}: must be 0 or more bars.`
        : `${label}: must be above 0; leave it blank for no cap.`;
    case 'too_big':
      return `${label}: must be at most ${String(issue.maximum)}.`;
    default:
      return `${label}: ${issue.message}`;
  }
}
