// Through the real compiler and kernel: an entry whose connected size is still warming up is held back,
// while an entry with no size input goes out from the first bar (the run's default sizing applies).
import { type Bar, compile, createKernel, formatDiagnostic, parseText } from '@candleflow/strategy-dsl';
import { describe, expect, it } from 'vitest';
import { catalog } from '../index';

function firstOrderBar(text: string): number {
  const parsed = parseText(text);
  if (!parsed.ok) throw new Error(parsed.diagnostics.map(formatDiagnostic).join('\n'));
  const compiled = compile(parsed.graph, catalog);
  if (!compiled.ok) throw new Error(compiled.diagnostics.map(formatDiagnostic).join('\n'));
  const kernel = createKernel(compiled.plan, { mode: 'evaluator' });
  for (let i = 0; i < 50; i++) {
    const price = 100 + Math.sin(i) * 3;
    const bar: Bar = {
      time: i * 3_600_000,
      open: price,
      high: price + 2,
      low: price - 2,
      close: price + 1,
      volume: 10,
    };
    if (kernel.step(new Map([['BTC/USDT', bar]]), i).length > 0) return i;
  }
  return -1;
}

const HEADER = `strategy "t"
candles = candles(symbol: "BTC/USDT", timeframe: "1h")
zero = constant(value: 0)
always = compare(a: candles.close, b: zero.value, op: ">")
go = enter_long(when: always.value)
`;

describe('order nodes and connected inputs in the kernel', () => {
  it('hold an entry back until its connected ATR sizing has a value', () => {
    const first = firstOrderBar(
      `${HEADER}atr = atr(candles: candles.candles, period: 14)
size = risk_size(atr: atr.value, riskPercent: 2, atrMult: 2)
entry = market_order(signal: go.signal, size: size.sizing)
`,
    );
    expect(first).toBe(14);
  });

  it('send an entry without a size input from the first bar', () => {
    expect(firstOrderBar(`${HEADER}entry = market_order(signal: go.signal)\n`)).toBe(0);
  });
});
