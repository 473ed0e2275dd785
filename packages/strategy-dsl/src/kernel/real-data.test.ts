import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { compile } from '../compiler/index';
import type { Bar } from '../contract';
import { createTestCatalog, graph } from '../test-support/index';
import { createKernel } from './kernel';

const csv = fileURLToPath(new URL('../../../../../shared/data/UNITTEST_BTC-1m.csv', import.meta.url));
const exists = existsSync(csv);
if (!exists) console.warn(`skipping the real-data kernel test: ${csv} is absent`);

const HOUR = 3_600_000;

function readBars(): Bar[] {
  const [header, ...lines] = readFileSync(csv, 'utf8').trim().split('\n');
  expect(header).toBe('timestamp,open,high,low,close,volume');
  return lines.map((line) => {
    const [time, open, high, low, close, volume] = line.split(',').map(Number);
    return { time: time!, open: open!, high: high!, low: low!, close: close!, volume: volume! };
  });
}

describe.skipIf(!exists)('kernel on real 1-minute BTC candles', () => {
  it.each(['evaluator', 'fast'] as const)(
    'resamples to 1h bars that match an independent aggregation, only once each hour has closed (%s)',
    (mode) => {
      const bars = readBars();
      const result = compile(
        graph(
          [
            { id: 'btc', type: 'candles', params: { symbol: 'BTC', timeframe: '1m' } },
            { id: 'hourly', type: 'resample', params: { timeframe: '1h' } },
            { id: 'above', type: 'compare' },
            { id: 'entry', type: 'enter_long' },
            { id: 'buy', type: 'market_order' },
          ],
          [
            'btc.candles -> hourly.candles',
            'btc.close -> above.a',
            'hourly.close -> above.b',
            'above.result -> entry.when',
            'entry.signal -> buy.signal',
          ],
        ),
        createTestCatalog(),
      );
      if (!result.ok) throw new Error(JSON.stringify(result.diagnostics));
      const kernel = createKernel(result.plan, { mode });

      // Independently: the bars of each UTC hour seen so far, and the hour they belong to.
      let bucket: Bar[] = [];
      let lastClosed: Bar | null = null;
      let hoursClosed = 0;
      bars.forEach((bar, i) => {
        kernel.step(new Map([['BTC', bar]]), i);
        const hour = Math.floor(bar.time / HOUR) * HOUR;
        if (bucket.length > 0 && Math.floor(bucket[0]!.time / HOUR) * HOUR !== hour) bucket = [];
        bucket.push(bar);
        const closesHour = (bar.time + 60_000) % HOUR === 0;
        if (closesHour) {
          hoursClosed++;
          lastClosed = {
            time: hour,
            open: bucket[0]!.open,
            high: Math.max(...bucket.map((b) => b.high)),
            low: Math.min(...bucket.map((b) => b.low)),
            close: bar.close,
            volume: bucket.reduce((sum, b) => sum + b.volume, 0),
          };
          bucket = [];
        }
        expect(kernel.value('hourly', 'closed')).toBe(closesHour);
        const held = kernel.value('hourly', 'candles') as Bar | null;
        if (lastClosed === null) expect(held).toBeNull();
        else {
          expect(held).toMatchObject({ ...lastClosed, volume: expect.closeTo(lastClosed.volume, 6) });
        }
      });
      expect(hoursClosed).toBeGreaterThan(100);
    },
  );
});
