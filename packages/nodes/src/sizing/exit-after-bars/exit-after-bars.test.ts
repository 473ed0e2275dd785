import { describe, expect, it } from 'vitest';
import { firstOutputs } from '../../math/kernel-feed';
import { exitAfterBarsNode } from './exit-after-bars.node.ts';

describe('exit_after_bars', () => {
  it('outputs a time exit after the configured number of bars', () => {
    expect(firstOutputs(exitAfterBarsNode, {}, [[]])).toEqual([{ kind: 'time_exit', bars: 10 }]);
    expect(firstOutputs(exitAfterBarsNode, { bars: 3 }, [[]])).toEqual([{ kind: 'time_exit', bars: 3 }]);
  });

  it('rejects zero or fractional bar counts', () => {
    expect(() => exitAfterBarsNode.params.parse({ bars: 0 })).toThrow();
    expect(() => exitAfterBarsNode.params.parse({ bars: 2.5 })).toThrow();
  });
});
