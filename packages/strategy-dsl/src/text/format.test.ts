// formatText: any readable way of writing a strategy becomes the one canonical text.
import { describe, expect, it } from 'vitest';
import { formatText } from './format';
import { EMA_CROSS } from './test-support/ema-cross';

describe('formatText', () => {
  it('normalises spacing, order of sections and arguments, explicit @1 and drops comments', () => {
    const messy = [
      '# nodes first, header last',
      'b=ema@1(period:$fast,source:a.close)   # trailing',
      '',
      '',
      'a = candles( symbol : "BTC/USDT" )',
      'risk dedupeSignals = true, maxPositionPct = 2.50e1',
      'constraint   fast < 10   ',
      'param fast : int = 5 "period" range 1..9',
      'strategy   "s"',
    ].join('\n');

    const formatted = formatText(messy);

    expect(formatted).toStrictEqual({
      ok: true,
      text:
        'strategy "s"\n\n' +
        'param fast: int = 5 range 1..9 "period"\n' +
        'constraint fast < 10\n\n' +
        'risk maxPositionPct = 25, dedupeSignals = true\n\n' +
        'b = ema(source: a.close, period: $fast)\n' +
        'a = candles(symbol: "BTC/USDT")\n',
    });
  });

  it('is idempotent on the EMA-cross text', () => {
    const once = formatText(EMA_CROSS);
    if (!once.ok) throw new Error('the EMA-cross text should format');

    expect(formatText(once.text)).toStrictEqual(once);
  });

  it('returns the diagnostics of text that does not parse', () => {
    const formatted = formatText('strategy "s"\nx = f(a: [])\n');

    expect(formatted).toMatchObject({
      ok: false,
      diagnostics: [{ code: 'SYNTAX_ERROR', line: 2, column: 10 }],
    });
  });
});
