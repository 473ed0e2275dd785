// What the strategy and version procedures accept and return: ids, names, graph JSON, and the views
// a client sees (never more than the owner chose to share).
import { z } from 'zod';

export const id = z.string().trim().min(1, 'must not be empty').max(64);
export const strategyName = z.string().trim().min(1, 'name the strategy').max(200);
export const strategyDescription = z.string().trim().max(5000);

/**
 * A graph as JSON. Only its outer shape is checked here: the size limit, the graph schema and the
 * compiler run in checkGraph, so a 10,000-node graph is refused as GRAPH_TOO_LARGE before anything
 * walks its nodes, and problems come back with node ids rather than as bare zod paths.
 */
export const graphJson = z
  .record(z.string(), z.unknown())
  .meta({ description: 'A Candleflow strategy graph (schemaVersion 1): nodes, edges, params.' });

export const StrategySummary = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  visibility: z.enum(['PRIVATE', 'PUBLIC']),
  ownerId: z.string(),
  mine: z.boolean(),
  latestVersion: z.number().int().nullable(),
  forkedFromVersionId: z.string().nullable(),
  createdAt: z.date(),
  updatedAt: z.date(),
});
export type StrategySummary = z.infer<typeof StrategySummary>;

export const VersionView = z.object({
  id: z.string(),
  strategyId: z.string(),
  number: z.number().int(),
  graph: z.unknown(),
  dslText: z.string(),
  contentHash: z.string(),
  params: z.unknown(),
  createdAt: z.date(),
  createdById: z.string().nullable(),
});
export type VersionView = z.infer<typeof VersionView>;

type StrategyRow = {
  id: string;
  ownerId: string;
  name: string;
  description: string;
  visibility: 'PRIVATE' | 'PUBLIC';
  forkedFromVersionId: string | null;
  createdAt: Date;
  updatedAt: Date;
};

export function strategySummary(
  row: StrategyRow,
  userId: string,
  latestVersion: number | null,
): StrategySummary {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    visibility: row.visibility,
    ownerId: row.ownerId,
    mine: row.ownerId === userId,
    latestVersion,
    forkedFromVersionId: row.forkedFromVersionId,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

export function versionView(row: VersionView): VersionView {
  return {
    id: row.id,
    strategyId: row.strategyId,
    number: row.number,
    graph: row.graph,
    dslText: row.dslText,
    contentHash: row.contentHash,
    params: row.params,
    createdAt: row.createdAt,
    createdById: row.createdById,
  };
}
