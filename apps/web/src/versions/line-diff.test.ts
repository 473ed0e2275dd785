import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type DiffLine, diffLines, diffStats, splitLines } from './line-diff';

/** Reference LCS length by plain memoised recursion, independent of the table in line-diff. */
function lcsLength(a: readonly string[], b: readonly string[]): number {
  const memo = new Map<string, number>();
  const go = (i: number, j: number): number => {
    if (i === a.length || j === b.length) return 0;
    const key = `${i},${j}`;
    let value = memo.get(key);
    if (value === undefined) {
      value = a[i] === b[j] ? 1 + go(i + 1, j + 1) : Math.max(go(i + 1, j), go(i, j + 1));
      memo.set(key, value);
    }
    return value;
  };
  return go(0, 0);
}

const side = (lines: readonly DiffLine[], keep: 'removed' | 'added') =>
  lines.filter((l) => l.op === 'same' || l.op === keep).map((l) => l.text);

const lines = fc.array(fc.constantFrom('a', 'b', 'c', 'x = ema(period: 12)', ''), { maxLength: 14 });
const text = (ls: readonly string[]) => ls.map((l) => `${l}\n`).join('');

describe('diffLines', () => {
  it('marks a changed line as removed then added, with both line numbers', () => {
    const result = diffLines(
      'strategy "x"\nfast = ema(period: 12)\nend\n',
      'strategy "x"\nfast = ema(period: 9)\nend\n',
    );

    expect(result).toEqual([
      { op: 'same', text: 'strategy "x"', oldLine: 1, newLine: 1 },
      { op: 'removed', text: 'fast = ema(period: 12)', oldLine: 2, newLine: null },
      { op: 'added', text: 'fast = ema(period: 9)', oldLine: null, newLine: 2 },
      { op: 'same', text: 'end', oldLine: 3, newLine: 3 },
    ]);
  });

  it('rebuilds both texts and keeps as many lines as the longest common subsequence', () => {
    fc.assert(
      fc.property(lines, lines, (a, b) => {
        const result = diffLines(text(a), text(b));
        expect(side(result, 'removed')).toEqual(a);
        expect(side(result, 'added')).toEqual(b);
        expect(result.filter((l) => l.op === 'same')).toHaveLength(lcsLength(a, b));
      }),
    );
  });

  it('numbers the lines of each side consecutively from 1', () => {
    fc.assert(
      fc.property(lines, lines, (a, b) => {
        const result = diffLines(text(a), text(b));
        const olds = result.flatMap((l) => (l.oldLine === null ? [] : [l.oldLine]));
        const news = result.flatMap((l) => (l.newLine === null ? [] : [l.newLine]));
        expect(olds).toEqual(a.map((_, i) => i + 1));
        expect(news).toEqual(b.map((_, i) => i + 1));
      }),
    );
  });

  it('still rebuilds both texts when the table would be too big to align', () => {
    const a = ['h', 'a', 'b', 'c', 't'];
    const b = ['h', 'c', 'b', 'a', 't'];

    const result = diffLines(text(a), text(b), 4);

    expect(side(result, 'removed')).toEqual(a);
    expect(side(result, 'added')).toEqual(b);
    expect(diffStats(result)).toEqual({ added: 3, removed: 3 });
  });

  it('reports no changes for identical texts', () => {
    const result = diffLines('a\nb\n', 'a\nb\n');

    expect(diffStats(result)).toEqual({ added: 0, removed: 0 });
    expect(result).toHaveLength(2);
  });
});

describe('splitLines', () => {
  it('ignores one final newline and accepts CRLF', () => {
    expect(splitLines('a\r\nb\n')).toEqual(['a', 'b']);
    expect(splitLines('')).toEqual([]);
    expect(splitLines('a\n\n')).toEqual(['a', '']);
  });
});
