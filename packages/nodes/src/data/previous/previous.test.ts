// Previous: the node contract, the values of lag 0 and lag n, and the refusal of negative lags.
import { describe, expect, it } from 'vitest';
import { runIndicatorContract } from '../../test-support/indicator-contract';
import { closes, syntheticBars } from '../../test-support/market-data';
import { column, DEFAULT_CONTEXT, runNode } from '../../test-support/run-node';
import { previousNode } from './previous.node.ts';

const values = closes(syntheticBars(60));
const rows = values.map((x) => [x]);
runIndicatorContract(previousNode, [
  { name: 'one bar back', rows },
  { name: 'lag 0', params: { bars: 0 }, rows },
  { name: 'lag 7', params: { bars: 7 }, rows },
]);

describe('previous', () => {
  it('passes the current value through with lag 0', () => {
    expect(column(runNode(previousNode, { bars: 0 }, rows), 0)).toEqual(values);
  });

  it('outputs the value n bars back, null for the first n bars', () => {
    const lagged = column(runNode(previousNode, { bars: 3 }, rows), 0);

    expect(lagged.slice(0, 3)).toEqual([null, null, null]);
    expect(lagged.slice(3)).toEqual(values.slice(0, -3));
  });

  it('reports its shift so the compiler can find look-ahead', () => {
    expect(previousNode.shift?.(previousNode.params.parse({ bars: 5 }))).toBe(5);
    expect(previousNode.shift?.(previousNode.params.parse({ bars: -2 }))).toBe(-2);
  });

  it('refuses a negative lag with a look-ahead diagnostic, and accepts zero and positive lags', () => {
    const check = (bars: number) =>
      previousNode.check?.(previousNode.params.parse({ bars }), { connected: new Set() });

    expect(check(-1)).toEqual([
      expect.objectContaining({
        code: 'LOOKAHEAD_NEGATIVE_SHIFT',
        param: 'bars',
        message: "'bars' is -1: a negative lag reads future bars",
      }),
    ]);
    expect(check(0)).toEqual([]);
    expect(check(4)).toEqual([]);
  });

  it('will not build an evaluator that reads the future', () => {
    expect(() => previousNode.create(previousNode.params.parse({ bars: -1 }), DEFAULT_CONTEXT)).toThrow(
      /negative lag reads future bars/,
    );
  });
});
