// The OpenAPI document: valid 3.1 shape, every operation documented from the procedures' own zod
// schemas, and those schemas accept and refuse the same inputs as the procedures (checked with ajv).
import Ajv2020 from 'ajv/dist/2020';
import { describe, expect, it } from 'vitest';
import { submitInput } from '../routers/backtests/submit';
import { importCsvInput } from '../routers/datasets/import-csv';
import { optimizationRequestInput } from '../routers/optimizations/request';
import { buildOpenApiDocument } from './document';

const doc = buildOpenApiDocument({ serverUrl: 'http://127.0.0.1:3000' });
const ajv = new Ajv2020({ strict: false });
const validate = (name: keyof typeof doc.components.schemas) => ajv.compile(doc.components.schemas[name]);

describe('OpenAPI document', () => {
  it('is OpenAPI 3.1 with bearer-token security and an operation id on every operation', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.servers).toEqual([{ url: 'http://127.0.0.1:3000' }]);
    expect(doc.components.securitySchemes.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer' });
    const operations = Object.values(doc.paths).flatMap((item) => Object.values(item));
    expect(operations).toHaveLength(9);
    expect(new Set(operations.map((o) => o.operationId)).size).toBe(9);
  });

  it('accepts and refuses backtest submissions exactly as the procedure schema does', () => {
    const check = validate('BacktestSubmit');
    const samples: unknown[] = [
      { strategyVersionId: 'v', datasetId: 'd' },
      { strategyVersionId: 'v', datasetId: 'd', settings: { initialCash: 500, slippage: { kind: 'none' } } },
      { strategyVersionId: 'v', datasetId: 'd', settings: { turbo: true } },
      { strategyVersionId: 'v', datasetId: 'd', extra: 1 },
      { strategyVersionId: 42, datasetId: 'd' },
      { strategyVersionId: 'v', datasetId: 'd', settings: { makerFee: 0.5 } },
    ];
    for (const sample of samples) {
      expect(check(sample), JSON.stringify(sample)).toBe(submitInput.safeParse(sample).success);
    }
  });

  it('accepts and refuses optimization submissions exactly as the procedure schema does', () => {
    const check = validate('OptimizationSubmit');
    const base = { strategyVersionId: 'v', datasetId: 'd' };
    const samples: unknown[] = [
      base,
      { ...base, spec: { method: 'random', trials: 50, ranges: { fast: { min: 5, max: 20 } } } },
      {
        ...base,
        spec: { ranges: { fast: { values: [5, 10] }, slow: { fixed: 30 } }, walkForward: { folds: 4 } },
      },
      { ...base, spec: { method: 'annealing' } },
      { ...base, spec: { trials: 0 } },
      { ...base, spec: { ranges: { fast: { min: 5, step: -1 } } } },
      { ...base, spec: { walkForward: { folds: 1 } } },
      { ...base, spec: { turbo: true } },
      { ...base, settings: { makerFee: 0.5 } },
    ];
    for (const sample of samples) {
      expect(check(sample), JSON.stringify(sample)).toBe(optimizationRequestInput.safeParse(sample).success);
    }
  });

  it('documents the CSV upload fields the import procedure takes', () => {
    const check = validate('DatasetUpload');
    const good = { name: 'btc', symbol: 'BTC/USDT', csv: 'timestamp,open\n' };
    expect([check(good), importCsvInput.safeParse(good).success]).toEqual([true, true]);
    expect([
      check({ ...good, symbol: 'not a symbol!' }),
      importCsvInput.safeParse({ ...good, symbol: 'not a symbol!' }).success,
    ]).toEqual([false, false]);
    const upload = doc.paths['/api/v1/datasets'].post;
    expect(upload.parameters.map((p) => p.name).sort()).toEqual([
      'fileName',
      'gaps',
      'name',
      'symbol',
      'timeframe',
    ]);
  });

  it('writes dates as ISO date-time strings', () => {
    expect(doc.components.schemas.RunStatus).toMatchObject({
      properties: { queuedAt: { type: 'string', format: 'date-time' } },
    });
  });
});
