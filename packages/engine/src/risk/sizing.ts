// Turns an order's sizing rule (fixed, percent of equity, risk, Kelly) into an exchange-valid quantity.
import type { RiskSettings, Sizing } from '@candleflow/strategy-dsl';
import { kellyFraction } from '../metrics/kelly';
import type { Instrument, Trade } from '../types';
import { roundQuantity } from '../exchange/instrument';
import { belowMinimum } from './quantity';

export interface SizingContext {
  /** Account equity in quote currency (cash plus unrealised profit). */
  readonly equity: number;
  /** The price the order is expected to fill at (include slippage for backtesting.py parity). */
  readonly price: number;
  readonly instrument: Instrument;
  /**
   * The notional in QUOTE currency the account can commit to a new position right now: free cash on a spot
   * account, free margin × leverage on a perpetual account, net of any fee reserve the caller keeps.
   * Every quantity is capped at buyingPower / price.
   */
  readonly buyingPower: number;
  /** The strategy's closed trades so far, oldest first (Kelly reads the last `window`). */
  readonly closedTrades: readonly Trade[];
  /** Percent of equity used when the order carries no sizing (null). */
  readonly defaultPercent: number;
  /**
   * backtesting.py compatibility: ignore the sizing and buy all the buying power can pay for in WHOLE units,
   * floor(buyingPower / price), then apply the instrument's step size and minimums.
   */
  readonly allInUnits: boolean;
}

export interface SizingResult {
  /** Units of the base asset, ≥ 0, a multiple of the step size; 0 means do not trade. */
  readonly quantity: number;
  /** Why the quantity differs from what the rule asked for (fallback, cap, rounding to 0). */
  readonly note?: string;
}

/**
 * Resolves a sizing rule to a quantity. Order of work: the rule's raw quantity → capped at buying power →
 * rounded down to the step size → 0 when below the instrument's minimum quantity or notional.
 */
export function resolveQuantity(sizing: Sizing | null, ctx: SizingContext): SizingResult {
  const { equity, price, instrument } = ctx;
  if (!(price > 0) || !Number.isFinite(price)) {
    return { quantity: 0, note: `cannot size ${instrument.symbol}: price ${price} is not a positive number` };
  }
  const notes: string[] = [];
  let raw: number;
  if (ctx.allInUnits) {
    raw = Math.floor(Math.max(0, ctx.buyingPower) / price + 1e-9);
  } else {
    if (!(equity > 0)) return { quantity: 0, note: `equity ${equity} is not positive: nothing to size with` };
    raw = rawQuantity(sizing, ctx, notes);
  }
  if (!(raw > 0) || !Number.isFinite(raw)) return finish(0, notes);

  const affordable = Math.max(0, ctx.buyingPower) / price;
  if (raw > affordable) {
    notes.push(`capped by buying power ${ctx.buyingPower} to ${affordable} units`);
    raw = affordable;
  }
  const quantity = roundQuantity(raw, instrument.stepSize);
  const tooSmall = belowMinimum(quantity, price, instrument);
  if (tooSmall !== null) {
    notes.push(tooSmall);
    return finish(0, notes);
  }
  return finish(quantity, notes);
}

function rawQuantity(sizing: Sizing | null, ctx: SizingContext, notes: string[]): number {
  const { equity, price } = ctx;
  if (sizing === null) return (equity * ctx.defaultPercent) / 100 / price;
  switch (sizing.kind) {
    case 'fixed':
      return sizing.quantity;
    case 'percent_equity':
      return (equity * sizing.percent) / 100 / price;
    case 'risk': {
      if (!(sizing.stopDistance > 0)) {
        notes.push(`risk sizing needs a positive stop distance (got ${sizing.stopDistance}): quantity 0`);
        return 0;
      }
      // Units such that a move of stopDistance against the position loses riskPercent of equity.
      return (equity * sizing.riskPercent) / 100 / sizing.stopDistance;
    }
    case 'kelly': {
      const recent = sizing.window > 0 ? ctx.closedTrades.slice(-sizing.window) : ctx.closedTrades;
      if (ctx.closedTrades.length < sizing.minTrades || recent.length === 0) {
        notes.push(
          `Kelly: ${ctx.closedTrades.length} closed trades, fewer than the ${sizing.minTrades} required; ` +
            `using the fallback ${sizing.fallbackPercent}% of equity`,
        );
        return (equity * sizing.fallbackPercent) / 100 / price;
      }
      const kelly = kellyFraction(recent.map((trade) => trade.pnl));
      if (kelly === null || kelly <= 0) {
        notes.push(
          `Kelly fraction over the last ${recent.length} trades is not positive: no edge, quantity 0`,
        );
        return 0;
      }
      const fraction = Math.min(kelly, sizing.maxFraction);
      if (fraction < kelly) notes.push(`Kelly fraction ${round(kelly)} capped at ${sizing.maxFraction}`);
      return (equity * fraction) / price;
    }
  }
}

/**
 * The sizing an order uses once the strategy's risk settings are applied. Per-trade risk is enforced here,
 * by sizing, not by the RiskEngine (an intent does not carry its stop): an order without its own sizing
 * that has a stop at `stopDistance` risks `riskPerTradePct` of equity; otherwise the order's sizing stands.
 */
export function effectiveSizing(
  sizing: Sizing | null,
  risk: RiskSettings | undefined,
  stopDistance: number | null,
): Sizing | null {
  if (
    sizing !== null ||
    risk?.riskPerTradePct === undefined ||
    stopDistance === null ||
    !(stopDistance > 0)
  ) {
    return sizing;
  }
  return { kind: 'risk', riskPercent: risk.riskPerTradePct, stopDistance };
}

function finish(quantity: number, notes: readonly string[]): SizingResult {
  return notes.length === 0 ? { quantity } : { quantity, note: notes.join('; ') };
}

function round(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}
