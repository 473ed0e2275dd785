import { describe, expect, it } from 'vitest';
import { DEFAULT_EXECUTION } from '../types';
import { type RealismSettings, realismWarnings } from './warnings';

const realistic: RealismSettings = {
  makerFee: DEFAULT_EXECUTION.makerFee,
  takerFee: DEFAULT_EXECUTION.takerFee,
  slippageKind: DEFAULT_EXECUTION.slippage.kind,
  fill: DEFAULT_EXECUTION.fill,
  maxVolumeShare: DEFAULT_EXECUTION.maxVolumeShare,
};

describe('realismWarnings', () => {
  it('has nothing to say about the default execution settings', () => {
    expect(realismWarnings(realistic)).toEqual([]);
  });

  it('warns that zero fees overstate returns', () => {
    const warnings = realismWarnings({ ...realistic, makerFee: 0, takerFee: 0 });
    expect(warnings).toEqual([
      'fees are zero: real exchanges charge 0.02–0.1% per fill, so returns are overstated',
    ]);
  });

  it('warns about a zero taker fee and about a maker rebate on their own', () => {
    expect(realismWarnings({ ...realistic, takerFee: 0 })[0]).toMatch(/taker fee is zero/);
    expect(realismWarnings({ ...realistic, makerFee: -0.0001 })[0]).toMatch(/rebate/);
  });

  it('warns about no slippage, same-bar close fills and no volume cap, one sentence each', () => {
    const warnings = realismWarnings({
      ...realistic,
      slippageKind: 'none',
      fill: 'close',
      maxVolumeShare: 1,
    });
    expect(warnings).toHaveLength(3);
    expect(warnings[0]).toMatch(/no slippage/);
    expect(warnings[1]).toMatch(/close of the bar that produced the signal/);
    expect(warnings[2]).toMatch(/no volume cap/);
  });
});
