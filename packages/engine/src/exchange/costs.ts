// Trading costs of a simulated fill: slippage that always moves the price against the taker, and fees.
import type { Side, SlippageModel } from '../types';

export interface SlippageContext {
  /** Quantity of this fill, in base units. */
  readonly quantity: number;
  /** Volume of the bar the fill happens in, in base units. */
  readonly barVolume: number;
  /**
   * A relative volatility the caller chooses without look-ahead, e.g. (high − low) / close of the previous
   * bar. Only the sqrt_impact model uses it.
   */
  readonly barVolatility: number;
}

function requireNonNegative(name: string, value: number): void {
  if (!(Number.isFinite(value) && value >= 0)) {
    throw new RangeError(`slippage ${name} must be a number >= 0, got ${value}`);
  }
}

/** How far slippage moves `price`, in price units (always >= 0). */
export function slippageAmount(model: SlippageModel, price: number, ctx: SlippageContext): number {
  switch (model.kind) {
    case 'none':
      return 0;
    case 'fixed':
      requireNonNegative('amount', model.amount);
      return model.amount;
    case 'proportional':
      requireNonNegative('rate', model.rate);
      return price * model.rate;
    case 'sqrt_impact': {
      requireNonNegative('coefficient', model.coefficient);
      requireNonNegative('barVolatility', ctx.barVolatility);
      if (ctx.quantity <= 0) return 0;
      // A bar without volume offers no liquidity: the impact is unbounded, so refuse instead of inventing one.
      if (!(ctx.barVolume > 0)) {
        throw new RangeError(
          `sqrt_impact slippage needs a bar volume > 0, got ${ctx.barVolume}; use a proportional model for data without volume`,
        );
      }
      return price * model.coefficient * ctx.barVolatility * Math.sqrt(ctx.quantity / ctx.barVolume);
    }
  }
}

/** The price a taker pays (buy) or receives (sell) after slippage: buys go up, sells go down. */
export function slippedPrice(model: SlippageModel, side: Side, price: number, ctx: SlippageContext): number {
  const amount = slippageAmount(model, price, ctx);
  return side === 'buy' ? price + amount : price - amount;
}

/** Fee in the quote currency for a fill of `notional` at `rate` (0.001 = 0.1%). Rebates are not modelled. */
export function fee(notional: number, rate: number): number {
  if (!(Number.isFinite(rate) && rate >= 0)) {
    throw new RangeError(`fee rate must be a number >= 0 (0.001 = 0.1%), got ${rate}`);
  }
  return Math.abs(notional) * rate;
}
