// datasets.importCsv: candles from CSV text. A corrupt file is refused with the line and column at
// fault (VALIDATION_FAILED); nothing is stored unless every row is good.
import { CsvImportError, parseCandlesCsv, timeframeStep } from '@candleflow/data';
import { z } from 'zod';
import { ApiError } from '../../errors';
import { type ProtectedContext, traderProcedure } from '../../trpc';
import { datasetName, symbol, timeframe } from './schemas';
import { storeDataset } from './storage';

// Transport limits (BODY_LIMIT_BYTES for tRPC, UPLOAD_LIMIT_BYTES for uploads) apply first.
const MAX_CSV_CHARS = 512 * 1024 * 1024;

export const importCsvInput = z.strictObject({
  name: datasetName,
  symbol,
  /** Inferred from the bar spacing when absent. */
  timeframe: timeframe.optional(),
  csv: z.string().min(1, 'the file is empty').max(MAX_CSV_CHARS),
  /** keep (default): report gaps; fill: insert flat bars for missing ones. */
  gaps: z.enum(['keep', 'fill']).default('keep'),
  /** The uploaded file's name, used in error messages. */
  fileName: z.string().trim().min(1).max(255).optional(),
});

export async function importCsv(ctx: ProtectedContext, parsedInput: z.infer<typeof importCsvInput>) {
  if (Buffer.byteLength(parsedInput.csv) > ctx.env.UPLOAD_LIMIT_BYTES) {
    throw new ApiError(
      'PAYLOAD_TOO_LARGE',
      `The file is larger than the upload limit of ${ctx.env.UPLOAD_LIMIT_BYTES} bytes; split it or use a higher timeframe.`,
    );
  }
  if (parsedInput.timeframe !== undefined && timeframeStep(parsedInput.timeframe) === null) {
    throw new ApiError(
      'VALIDATION_FAILED',
      `"${parsedInput.timeframe}" is not a timeframe; use e.g. 1m, 1h, 1d or 1M.`,
      {
        issues: [{ path: 'timeframe', code: 'invalid_timeframe', message: 'not a timeframe' }],
      },
    );
  }
  const file = parsedInput.fileName ?? `${parsedInput.name}.csv`;
  let parsed: ReturnType<typeof parseCandlesCsv>;
  try {
    parsed = parseCandlesCsv(parsedInput.csv, {
      file,
      symbol: parsedInput.symbol,
      gaps: parsedInput.gaps,
      ...(parsedInput.timeframe !== undefined ? { timeframe: parsedInput.timeframe } : {}),
    });
  } catch (error) {
    if (error instanceof CsvImportError) {
      throw new ApiError('VALIDATION_FAILED', `The CSV file is invalid: ${error.message}`, {
        file: error.file,
        line: error.line,
        ...(error.column !== undefined ? { column: error.column } : {}),
        issues: [{ path: 'csv', code: 'invalid_csv', message: error.message, line: error.line }],
      });
    }
    throw error;
  }
  if (parsed.series.time.length === 0) {
    throw new ApiError('VALIDATION_FAILED', 'The CSV file has a header but no rows of candles.', {
      issues: [{ path: 'csv', code: 'empty', message: 'no rows' }],
    });
  }
  return storeDataset(
    ctx,
    { name: parsedInput.name, source: 'UPLOAD', importReport: parsed.report },
    parsed.series,
    'dataset.import',
  );
}

export const importCsvProcedure = traderProcedure
  .input(importCsvInput)
  .mutation(({ ctx, input }) => importCsv(ctx, input));
