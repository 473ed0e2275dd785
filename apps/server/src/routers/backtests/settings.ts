// Backtest settings as the API accepts them: the engine's BacktestSettings with bounds a person can
// reason about and realistic defaults (fees, slippage, volume cap, funding). What is stored on the run
// is the full normalised form, so equal settings always hash equal and hit the result cache.
import { DEFAULT_BACKTEST } from '@candleflow/engine';
import type { BacktestRunSettings } from '@candleflow/runner';
import { z } from 'zod';

const d = DEFAULT_BACKTEST;
const fraction = (max: number) => z.number().min(0).max(max);

const slippage = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('none') }),
  z.strictObject({ kind: z.literal('fixed'), amount: z.number().min(0).max(1e9) }),
  z.strictObject({ kind: z.literal('proportional'), rate: fraction(0.1) }),
  z.strictObject({ kind: z.literal('sqrt_impact'), coefficient: z.number().min(0).max(100) }),
]);

const funding = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('none') }),
  z.strictObject({
    kind: z.literal('fixed'),
    rate: z.number().min(-0.05).max(0.05),
    intervalHours: z.number().positive().max(168),
  }),
]);

const defaultSlippage = d.execution.slippage as z.infer<typeof slippage>;
const defaultFunding = (
  d.account.funding.kind === 'series' ? { kind: 'none' } : d.account.funding
) as z.infer<typeof funding>;

export const paramValues = z.record(
  z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/, 'must be a strategy parameter name'),
  z.union([z.number(), z.boolean(), z.string().max(200)]),
);

export const backtestSettingsInput = z
  .strictObject({
    /** Strategy parameter values by name; the rest keep their declared defaults. */
    paramValues: paramValues.default({}),
    /** Only bars with from ≤ open time < to take part (UTC ms). */
    from: z.number().int().min(0).optional(),
    to: z.number().int().min(0).optional(),
    initialCash: z.number().positive().max(1e12).default(d.account.initialCash),
    market: z.enum(['spot', 'perp']).default(d.account.market),
    leverage: z.number().min(1).max(125).default(d.account.leverage),
    quoteCurrency: z
      .string()
      .regex(/^[A-Z0-9]{2,10}$/)
      .default(d.account.quoteCurrency),
    funding: funding.default(defaultFunding),
    fill: z.enum(['next_open', 'close']).default(d.execution.fill),
    makerFee: fraction(0.05).default(d.execution.makerFee),
    takerFee: fraction(0.05).default(d.execution.takerFee),
    slippage: slippage.default(defaultSlippage),
    /** Share of a bar's volume one order may fill (1 = no cap). */
    maxVolumeShare: z.number().gt(0).max(1).default(d.execution.maxVolumeShare),
    sizing: z.enum(['strategy', 'all_in_units']).default(d.sizing),
    defaultSizePercent: z.number().gt(0).max(10_000).default(d.defaultSizePercent),
    exclusive: z.boolean().default(d.exclusive),
    closeAtEnd: z.union([z.literal(false), z.enum(['last_close', 'last_open'])]).default(d.closeAtEnd),
    seed: z
      .number()
      .int()
      .min(0)
      .max(2 ** 31 - 1)
      .default(d.seed),
  })
  .refine((s) => s.from === undefined || s.to === undefined || s.from < s.to, {
    message: 'from must be before to',
    path: ['to'],
  });

export type BacktestSettingsInput = z.infer<typeof backtestSettingsInput>;

/** The run's stored settings (BacktestRun.settings), in the shape the runner reads. */
export function toRunSettings(s: BacktestSettingsInput): BacktestRunSettings {
  return {
    paramValues: s.paramValues,
    backtest: {
      execution: {
        fill: s.fill,
        makerFee: s.makerFee,
        takerFee: s.takerFee,
        slippage: s.slippage,
        maxVolumeShare: s.maxVolumeShare,
      },
      account: {
        market: s.market,
        initialCash: s.initialCash,
        leverage: s.market === 'spot' ? 1 : s.leverage,
        funding: s.market === 'spot' ? { kind: 'none' } : s.funding,
        quoteCurrency: s.quoteCurrency,
      },
      sizing: s.sizing,
      defaultSizePercent: s.defaultSizePercent,
      exclusive: s.exclusive,
      closeAtEnd: s.closeAtEnd,
      seed: s.seed,
      ...(s.from !== undefined ? { from: s.from } : {}),
      ...(s.to !== undefined ? { to: s.to } : {}),
    },
  };
}

/** Leaf paths where two stored settings differ, for runs compared side by side. */
export function settingsDiff(
  a: unknown,
  b: unknown,
  path = '',
): Array<{ path: string; a: unknown; b: unknown }> {
  const isObject = (v: unknown): v is Record<string, unknown> =>
    typeof v === 'object' && v !== null && !Array.isArray(v);
  if (isObject(a) && isObject(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    return keys.flatMap((key) => settingsDiff(a[key], b[key], path ? `${path}.${key}` : key));
  }
  return JSON.stringify(a) === JSON.stringify(b) ? [] : [{ path, a: a ?? null, b: b ?? null }];
}
