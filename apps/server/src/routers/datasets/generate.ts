// datasets.generate: seeded synthetic candles (regime-switching trends, ranges and shocks) for
// trying strategies without real data; the same seed always gives the same bars.
import { generateCandles, timeframeStep } from '@candleflow/data';
import { z } from 'zod';
import { ApiError } from '../../errors';
import { type ProtectedContext, traderProcedure } from '../../trpc';
import { datasetName, symbol, timeframe } from './schemas';
import { storeDataset } from './storage';

export const MAX_GENERATED_BARS = 1_000_000;

export const generateInput = z.strictObject({
  name: datasetName.optional(),
  symbol: symbol.default('BTC/USDT'),
  timeframe: timeframe.default('1h'),
  bars: z.number().int().min(10).max(MAX_GENERATED_BARS).default(5000),
  seed: z
    .number()
    .int()
    .min(0)
    .max(2 ** 31 - 1)
    .default(1),
  /** Open time of the first bar (ISO date or UTC ms); must fall on a timeframe boundary. */
  start: z
    .union([z.iso.datetime({ offset: true }), z.iso.date(), z.number().int().min(0)])
    .default('2024-01-01T00:00:00Z'),
  startPrice: z.number().positive().max(1e9).default(30_000),
});

export async function generateDataset(ctx: ProtectedContext, input: z.infer<typeof generateInput>) {
  if (timeframeStep(input.timeframe) === null || input.timeframe === '1M') {
    throw new ApiError(
      'VALIDATION_FAILED',
      `Cannot generate ${input.timeframe} bars; use s, m, h, d or w timeframes.`,
      {
        issues: [{ path: 'timeframe', code: 'invalid_timeframe', message: 'not a fixed-length timeframe' }],
      },
    );
  }
  let series: ReturnType<typeof generateCandles>;
  try {
    series = generateCandles({
      symbol: input.symbol,
      timeframe: input.timeframe,
      start: input.start,
      bars: input.bars,
      seed: input.seed,
      startPrice: input.startPrice,
    });
  } catch (error) {
    // The generator's only refusals are about its options (e.g. a start off the timeframe grid).
    throw new ApiError('VALIDATION_FAILED', `Cannot generate these candles: ${(error as Error).message}.`, {
      issues: [{ path: 'start', code: 'invalid_option', message: (error as Error).message }],
    });
  }
  const name = input.name ?? `Generated ${input.symbol} ${input.timeframe} (seed ${input.seed})`;
  return storeDataset(
    ctx,
    {
      name,
      source: 'GENERATED',
      importReport: {
        generated: { seed: input.seed, start: input.start, bars: input.bars, startPrice: input.startPrice },
      },
    },
    series,
    'dataset.generate',
  );
}

export const generate = traderProcedure
  .input(generateInput)
  .mutation(({ ctx, input }) => generateDataset(ctx, input));
