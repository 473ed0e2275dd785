// The saved strategy graph: what the canvas edits and what the compiler reads. Versioned by schemaVersion.
import { z } from 'zod';

export const GRAPH_SCHEMA_VERSION = 1;

/** Node ids double as names in the DSL text, so they are identifiers. */
export const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

const identifier = (what: string) =>
  z
    .string()
    .regex(IDENTIFIER, `${what} must start with a letter or _ and contain only letters, digits and _`)
    .max(64, `${what} must be at most 64 characters`);

/** A node parameter bound to a strategy parameter by name. */
export const ParamRefSchema = z.object({ $param: identifier('a parameter name') }).strict();
export type ParamRef = z.infer<typeof ParamRefSchema>;

export const ParamValueSchema = z.union([z.number(), z.string(), z.boolean(), ParamRefSchema]);
export type ParamValue = z.infer<typeof ParamValueSchema>;

export const PositionSchema = z.object({ x: z.number(), y: z.number() });

export const GraphNodeSchema = z
  .object({
    id: identifier('a node id'),
    type: identifier('a node type'),
    version: z.number().int().min(1),
    params: z.record(z.string(), ParamValueSchema).default({}),
    position: PositionSchema.default({ x: 0, y: 0 }),
  })
  .strict();
export type GraphNode = z.infer<typeof GraphNodeSchema>;

export const GraphEdgeSchema = z
  .object({
    source: identifier('an edge source'),
    sourcePort: identifier('an edge source port'),
    target: identifier('an edge target'),
    targetPort: identifier('an edge target port'),
  })
  .strict();
export type GraphEdge = z.infer<typeof GraphEdgeSchema>;

/** A named strategy parameter: what `--param`, the optimizer and the marketplace speak of. */
export const StrategyParamSchema = z
  .object({
    name: identifier('a parameter name'),
    type: z.enum(['int', 'number', 'boolean', 'string']),
    default: z.union([z.number(), z.boolean(), z.string()]),
    min: z.number().optional(),
    max: z.number().optional(),
    step: z.number().positive().optional(),
    options: z.array(z.string()).optional(),
    description: z.string().optional(),
  })
  .strict();
export type StrategyParam = z.infer<typeof StrategyParamSchema>;

/** Risk settings of the strategy; absent fields mean no cap. Percentages are of equity. */
export const RiskSettingsSchema = z
  .object({
    maxPositionPct: z.number().positive().max(1000).optional(),
    maxExposurePct: z.number().positive().max(10000).optional(),
    riskPerTradePct: z.number().positive().max(100).optional(),
    dailyLossLimitPct: z.number().positive().max(100).optional(),
    maxDrawdownPct: z.number().positive().max(100).optional(),
    /** Bars to wait after a trade closes before the same symbol may enter again. */
    cooldownBars: z.number().int().min(0).optional(),
    /** Ignore an entry signal that repeats while its position is already open. */
    dedupeSignals: z.boolean().optional(),
  })
  .strict();
export type RiskSettings = z.infer<typeof RiskSettingsSchema>;

export const GraphSchema = z
  .object({
    schemaVersion: z.literal(GRAPH_SCHEMA_VERSION),
    name: z.string().min(1).max(200),
    description: z.string().max(5000).optional(),
    params: z.array(StrategyParamSchema).default([]),
    /** Constraints between parameters, e.g. `fast < slow`. */
    constraints: z.array(z.string()).default([]),
    risk: RiskSettingsSchema.optional(),
    nodes: z.array(GraphNodeSchema),
    edges: z.array(GraphEdgeSchema).default([]),
  })
  .strict();
export type Graph = z.infer<typeof GraphSchema>;
/** The graph as written by hand or by older tools: defaults not yet filled in. */
export type GraphInput = z.input<typeof GraphSchema>;

export function isParamRef(value: ParamValue): value is ParamRef {
  return typeof value === 'object' && value !== null && '$param' in value;
}
