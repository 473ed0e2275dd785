import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { editDistance, formatPath, nearest, paramIssueMessage } from './words';

describe('editDistance', () => {
  it('counts insertions, deletions and substitutions', () => {
    expect(editDistance('sma', 'sma')).toBe(0);
    expect(editDistance('sma', 'smaa')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'ema')).toBe(3);
  });
});

describe('nearest', () => {
  it('suggests a close name, ignoring case, and nothing when all are far off', () => {
    expect(nearest('EMA', ['sma', 'ema', 'rsi'])).toBe('ema');
    expect(nearest('crosses_abov', ['crosses_above', 'crosses_below'])).toBe('crosses_above');
    expect(nearest('bollinger', ['sma', 'ema'])).toBeUndefined();
  });
});

describe('formatPath', () => {
  it('writes indices in brackets and keys with dots', () => {
    expect(formatPath(['nodes', 3, 'params', 'period'])).toBe('nodes[3].params.period');
  });
});

describe('paramIssueMessage', () => {
  const schema = z.object({
    period: z.number().int().min(1).max(10),
    mult: z.number().gt(0).lt(5).multipleOf(0.5),
    timing: z.enum(['run_default', 'this_bar_open']),
    name: z.string().refine((s) => s !== 'bad', 'must not be bad'),
  });
  const good = { period: 2, mult: 1, timing: 'run_default', name: 'ok' };
  const message = (params: Record<string, unknown>) => {
    const result = schema.safeParse(params);
    expect(result.success).toBe(false);
    return paramIssueMessage(result.error!.issues[0]!, params);
  };

  it('words each kind of zod issue with the value it got', () => {
    expect(message({ ...good, period: 0 })).toBe("'period' must be at least 1 (got 0)");
    expect(message({ ...good, period: 11 })).toBe("'period' must be at most 10 (got 11)");
    expect(message({ ...good, period: 2.5 })).toBe("'period' must be a whole number (got 2.5)");
    expect(message({ ...good, period: 'x' })).toBe("'period' must be a number (got 'x')");
    expect(message({ ...good, period: undefined })).toBe("'period' is required");
    expect(message({ ...good, mult: 0 })).toBe("'mult' must be more than 0 (got 0)");
    expect(message({ ...good, mult: 5 })).toBe("'mult' must be less than 5 (got 5)");
    expect(message({ ...good, mult: 0.7 })).toBe("'mult' must be a multiple of 0.5 (got 0.7)");
    expect(message({ ...good, timing: 'now' })).toBe(
      "'timing' must be one of 'run_default', 'this_bar_open' (got 'now')",
    );
    expect(message({ ...good, name: 'bad' })).toBe("'name': must not be bad (got 'bad')");
  });
});
