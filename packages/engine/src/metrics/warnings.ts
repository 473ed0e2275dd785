// Warnings that go on every result computed with unrealistic execution settings, so a report never
// presents a frictionless backtest as if it were tradable.
import type { ExecutionSettings, SlippageModel } from '../types';

export interface RealismSettings {
  /** Fractions of notional (0.001 = 0.1%). */
  readonly makerFee: number;
  readonly takerFee: number;
  readonly slippageKind: SlippageModel['kind'];
  readonly fill: ExecutionSettings['fill'];
  /** Share of a bar's volume one order may fill (1 or more = no cap). */
  readonly maxVolumeShare: number;
}

/** One sentence per unrealistic setting, in the order a reader should fix them; empty when all are realistic. */
export function realismWarnings(settings: RealismSettings): string[] {
  const warnings: string[] = [];
  if (settings.makerFee <= 0 && settings.takerFee <= 0) {
    warnings.push('fees are zero: real exchanges charge 0.02–0.1% per fill, so returns are overstated');
  } else if (settings.takerFee <= 0) {
    warnings.push('the taker fee is zero: market orders on real exchanges pay 0.04–0.1% per fill');
  } else if (settings.makerFee < 0) {
    warnings.push('the maker fee is negative (a rebate): only some venues and fee tiers pay rebates');
  }
  if (settings.slippageKind === 'none') {
    warnings.push(
      'no slippage: market orders fill exactly at the quoted price, which real order books rarely give',
    );
  }
  if (settings.fill === 'close') {
    warnings.push(
      'market orders fill at the close of the bar that produced the signal: the strategy trades on a price it ' +
        "could not have acted on; use 'next_open'",
    );
  }
  if (settings.maxVolumeShare >= 1) {
    warnings.push(
      "no volume cap: an order of any size fills in full within one bar, whatever the bar's volume",
    );
  }
  return warnings;
}
