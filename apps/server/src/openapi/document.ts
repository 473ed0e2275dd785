// The OpenAPI 3.1 document of the public HTTP API, generated from the same zod schemas the tRPC
// procedures validate with, so the documentation cannot drift from what the server accepts.
import { z } from 'zod';
import { OptimizeSpecSchema } from '@candleflow/optimize';
import { submitInput } from '../routers/backtests/submit';
import { importCsvInput } from '../routers/datasets/import-csv';
import { DatasetView } from '../routers/datasets/schemas';
import { optimizationRequestInput } from '../routers/optimizations/request';
import { trialsInput } from '../routers/optimizations/trials';
import { TRIAL_PHASES } from '../routers/optimizations/views';
import { listInput as strategiesListInput } from '../routers/strategies/list';
import { StrategySummary, VersionView } from '../routers/strategies/schemas';

type JsonSchema = Record<string, unknown>;

/** JSON Schema (2020-12, as OpenAPI 3.1 uses) of a zod schema; dates are ISO strings on the wire. */
export function jsonSchemaOf(schema: z.ZodType, io: 'input' | 'output' = 'input'): JsonSchema {
  const out = z.toJSONSchema(schema, {
    io,
    unrepresentable: 'any',
    override: (ctx) => {
      const def = (ctx.zodSchema as unknown as { _zod: { def: { type: string } } })._zod.def;
      if (def.type === 'date') {
        ctx.jsonSchema.type = 'string';
        ctx.jsonSchema.format = 'date-time';
      }
    },
  }) as JsonSchema;
  delete out.$schema;
  return out;
}

const ErrorBody = z.object({
  error: z.object({
    code: z.string().meta({ description: 'Stable code: UNAUTHORIZED, NOT_FOUND, VALIDATION_FAILED, …' }),
    message: z.string(),
    details: z.unknown().optional(),
    requestId: z.string().optional(),
  }),
});

const RunStatus = z.object({
  id: z.string(),
  status: z.enum(['QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELED']),
  progress: z.number().min(0).max(1),
  error: z.string().nullable(),
  strategyVersionId: z.string(),
  datasetId: z.string(),
  engineVersion: z.string(),
  queuedAt: z.date(),
  startedAt: z.date().nullable(),
  finishedAt: z.date().nullable(),
  servedFromCache: z.boolean(),
});

const RunResult = RunStatus.extend({
  resultOfRunId: z.string().nullable(),
  settings: z.unknown(),
  metrics: z.record(z.string(), z.unknown()),
  equity: z.array(z.unknown()),
  trades: z.array(z.unknown()),
  warnings: z.array(z.string()),
  provenance: z.unknown(),
  bars: z.number().int().nullable(),
  cpuMs: z.number().int().nullable(),
});

const ParamSet = z.record(z.string(), z.union([z.number(), z.string(), z.boolean()]));
const TrialMetrics = z.record(z.string(), z.number().nullable()).meta({
  description:
    'sharpe, sortino, calmar, totalReturnPct, annualReturnPct, profitFactor, maxDrawdownPct, trades, winRatePct, finalEquity',
});
const BestTrial = z.object({
  index: z.number().int(),
  params: ParamSet,
  objective: z.number(),
  metrics: TrialMetrics,
});

const Optimization = z.object({
  id: z.string(),
  status: z.enum(['QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELED']),
  progress: z.number().min(0).max(1),
  stage: z
    .string()
    .meta({ description: 'What the job is doing: search, walk-forward fold k, final run, statistics.' }),
  totalTrials: z.number().int(),
  doneTrials: z.number().int(),
  cachedTrials: z
    .number()
    .int()
    .meta({ description: 'Trials answered from stored results without running.' }),
  best: BestTrial.nullable(),
  error: z.string().nullable(),
  report: z.unknown().meta({
    description:
      'Once SUCCEEDED: best trial, trial counts, parameter importance, walk-forward folds and efficiency, Monte Carlo distributions, deflated Sharpe ratio and probability of backtest overfitting, finalRunId.',
  }),
  spec: OptimizeSpecSchema,
  objectiveLabel: z.string(),
  strategyId: z.string(),
  strategyVersionId: z.string(),
  versionNumber: z.number().int(),
  datasetId: z.string(),
  datasetName: z.string(),
  params: z.array(z.unknown()).meta({ description: "The strategy version's parameter declarations." }),
  queuedAt: z.date(),
  startedAt: z.date().nullable(),
  finishedAt: z.date().nullable(),
  finalRunId: z
    .string()
    .nullable()
    .meta({ description: 'The backtest of the best parameters on the whole dataset.' }),
});

const TrialsPage = z.object({
  total: z.number().int(),
  rows: z.array(
    z.object({
      index: z.number().int(),
      phase: z.enum(TRIAL_PHASES),
      fold: z.number().int().nullable(),
      params: ParamSet,
      objective: z.number().nullable(),
      feasible: z.boolean(),
      note: z.string().nullable(),
      metrics: TrialMetrics.nullable(),
      cached: z.boolean(),
    }),
  ),
});

/** The schemas each documented operation is generated from (tests compare against these). */
export const PUBLIC_API_SCHEMAS = {
  strategiesQuery: strategiesListInput.unwrap(),
  datasetUpload: importCsvInput,
  backtestSubmit: submitInput,
  StrategySummary,
  StrategyDetail: StrategySummary.extend({ latest: VersionView.nullable() }),
  Dataset: DatasetView,
  RunStatus,
  RunResult,
  optimizationSubmit: optimizationRequestInput,
  trialsQuery: trialsInput.omit({ id: true }),
  Optimization,
  TrialsPage,
  Error: ErrorBody,
} as const;

const json = (schemaRef: string) => ({
  'application/json': { schema: { $ref: `#/components/schemas/${schemaRef}` } },
});

function errors(...codes: number[]) {
  const text: Record<number, string> = {
    400: 'Invalid input (VALIDATION_FAILED, MALFORMED_JSON).',
    401: 'No valid API token (UNAUTHORIZED).',
    403: 'The token lacks the write scope, or the role is read-only (FORBIDDEN).',
    404: 'Missing, deleted or not yours (NOT_FOUND).',
    409: 'Not in a state that allows this (CONFLICT).',
    413: 'Body larger than the limit (PAYLOAD_TOO_LARGE).',
    415: 'Unsupported content type.',
    422: 'The strategy does not compile (COMPILE_FAILED) or is too large (GRAPH_TOO_LARGE).',
    429: 'Rate limit or quota (RATE_LIMITED, QUOTA_EXCEEDED).',
    503: 'No runner or queue available (UNAVAILABLE).',
  };
  return Object.fromEntries(
    codes.map((c) => [String(c), { description: text[c] ?? 'Error', content: json('Error') }]),
  );
}

function queryParameters(schema: z.ZodObject): unknown[] {
  const js = jsonSchemaOf(schema) as { properties?: Record<string, JsonSchema>; required?: string[] };
  return Object.entries(js.properties ?? {}).map(([name, s]) => ({
    name,
    in: 'query',
    required: js.required?.includes(name) ?? false,
    schema: s,
  }));
}

const idParam = (what: string) => ({
  name: 'id',
  in: 'path',
  required: true,
  schema: { type: 'string' },
  description: `${what} id`,
});

export function buildOpenApiDocument(options: { serverUrl?: string } = {}) {
  const s = PUBLIC_API_SCHEMAS;
  const upload = jsonSchemaOf(s.datasetUpload) as { properties: Record<string, JsonSchema> };
  const { csv: _csv, ...uploadFields } = upload.properties;
  return {
    openapi: '3.1.0',
    info: {
      title: 'Candleflow public API',
      version: '1.0.0',
      description:
        'For programs: list strategies, upload candle data, run backtests and optimizations and fetch their results. Authenticate with a personal API token (Settings → API tokens) as "Authorization: Bearer <token>". Errors are { error: { code, message, details, requestId } } with stable codes.',
    },
    ...(options.serverUrl ? { servers: [{ url: options.serverUrl }] } : {}),
    security: [{ bearerAuth: [] }],
    paths: {
      '/api/v1/strategies': {
        get: {
          operationId: 'listStrategies',
          summary: 'Your strategies and public ones',
          parameters: queryParameters(s.strategiesQuery),
          responses: {
            '200': {
              description: 'Strategies, newest change first.',
              content: {
                'application/json': {
                  schema: { type: 'array', items: { $ref: '#/components/schemas/StrategySummary' } },
                },
              },
            },
            ...errors(400, 401, 429),
          },
        },
      },
      '/api/v1/strategies/{id}': {
        get: {
          operationId: 'getStrategy',
          summary: 'One strategy with its latest version (graph and DSL text)',
          parameters: [idParam('Strategy')],
          responses: {
            '200': { description: 'The strategy.', content: json('StrategyDetail') },
            ...errors(401, 404, 429),
          },
        },
      },
      '/api/v1/datasets': {
        post: {
          operationId: 'uploadDataset',
          summary: 'Upload candles as CSV',
          description:
            'Send multipart/form-data with a "file" part and the fields below, or text/csv with the fields as query parameters, or application/json with the csv text in "csv". Rows: timestamp,open,high,low,close,volume. A bad row is refused with its line number.',
          parameters: Object.entries(uploadFields).map(([name, schema]) => ({
            name,
            in: 'query',
            required: (upload as { required?: string[] }).required?.includes(name) ?? false,
            schema,
            description: 'For text/csv uploads.',
          })),
          requestBody: {
            required: true,
            content: {
              'application/json': { schema: { $ref: '#/components/schemas/DatasetUpload' } },
              'multipart/form-data': {
                schema: {
                  type: 'object',
                  required: ['file', 'name', 'symbol'],
                  properties: { file: { type: 'string', contentMediaType: 'text/csv' }, ...uploadFields },
                },
              },
              'text/csv': { schema: { type: 'string' } },
            },
          },
          responses: {
            '201': { description: 'The stored dataset.', content: json('Dataset') },
            ...errors(400, 401, 403, 413, 415, 429),
          },
        },
      },
      '/api/v1/backtests': {
        post: {
          operationId: 'submitBacktest',
          summary: 'Run a strategy version on a dataset',
          description:
            'Returns 202 with the queued run, or 200 when the same backtest was computed before (servedFromCache). Poll GET /api/v1/backtests/{id} until SUCCEEDED, then fetch the result.',
          requestBody: { required: true, content: json('BacktestSubmit') },
          responses: {
            '200': { description: 'Served from the result cache.', content: json('RunStatus') },
            '202': { description: 'Queued.', content: json('RunStatus') },
            ...errors(400, 401, 403, 404, 422, 429, 503),
          },
        },
      },
      '/api/v1/backtests/{id}': {
        get: {
          operationId: 'getBacktest',
          summary: "A run's status and progress",
          parameters: [idParam('Backtest run')],
          responses: {
            '200': { description: 'Status.', content: json('RunStatus') },
            ...errors(401, 404, 429),
          },
        },
      },
      '/api/v1/backtests/{id}/result': {
        get: {
          operationId: 'getBacktestResult',
          summary: 'Metrics, equity, trades, warnings and provenance of a finished run',
          parameters: [idParam('Backtest run')],
          responses: {
            '200': { description: 'The result.', content: json('RunResult') },
            ...errors(401, 404, 409, 429),
          },
        },
      },
      '/api/v1/optimizations': {
        post: {
          operationId: 'submitOptimization',
          summary: "Optimize a strategy version's parameters on a dataset",
          description:
            'Checks the request before any job starts (ranges, grid size, compile, walk-forward windows against the dataset, quotas); a refusal names the field in error.details.issues. Returns 202 with the queued optimization; poll GET /api/v1/optimizations/{id} until SUCCEEDED for the report.',
          requestBody: { required: true, content: json('OptimizationSubmit') },
          responses: {
            '202': { description: 'Queued.', content: json('Optimization') },
            ...errors(400, 401, 403, 404, 422, 429, 503),
          },
        },
      },
      '/api/v1/optimizations/{id}': {
        get: {
          operationId: 'getOptimization',
          summary: "An optimization's progress, best trial so far and, once finished, its report",
          parameters: [idParam('Optimization')],
          responses: {
            '200': { description: 'The optimization.', content: json('Optimization') },
            ...errors(401, 404, 429),
          },
        },
      },
      '/api/v1/optimizations/{id}/trials': {
        get: {
          operationId: 'listOptimizationTrials',
          summary: 'Evaluated trials, best first (without an objective last), a page at a time',
          parameters: [idParam('Optimization'), ...queryParameters(s.trialsQuery)],
          responses: {
            '200': { description: 'One page of trials.', content: json('TrialsPage') },
            ...errors(400, 401, 404, 429),
          },
        },
      },
    },
    components: {
      securitySchemes: {
        bearerAuth: { type: 'http', scheme: 'bearer', description: 'A personal API token (cfk_…).' },
      },
      schemas: {
        StrategySummary: jsonSchemaOf(s.StrategySummary, 'output'),
        StrategyDetail: jsonSchemaOf(s.StrategyDetail, 'output'),
        Dataset: jsonSchemaOf(s.Dataset, 'output'),
        DatasetUpload: upload,
        BacktestSubmit: jsonSchemaOf(s.backtestSubmit),
        RunStatus: jsonSchemaOf(s.RunStatus, 'output'),
        RunResult: jsonSchemaOf(s.RunResult, 'output'),
        OptimizationSubmit: jsonSchemaOf(s.optimizationSubmit),
        Optimization: jsonSchemaOf(s.Optimization, 'output'),
        TrialsPage: jsonSchemaOf(s.TrialsPage, 'output'),
        Error: jsonSchemaOf(s.Error, 'output'),
      },
    },
  };
}

export type OpenApiDocument = ReturnType<typeof buildOpenApiDocument>;
