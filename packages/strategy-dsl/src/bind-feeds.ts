// Points a single-symbol strategy at the data it is run on: a strategy drawn for BTC/USDT 1h runs on any
// one data file, its candles nodes reading that file's symbol and timeframe, and the run says so.
import type { NodeCatalog } from './contract';
import type { GraphInput } from './graph';

export interface FeedBinding {
  readonly graph: GraphInput;
  /** One sentence per change, for the report ("the strategy's 1h candles read the data's 1d bars"). */
  readonly notes: readonly string[];
}

/**
 * Rebinds the feed (candles) nodes of a strategy that reads exactly one symbol to `data`'s symbol, and to
 * its timeframe when the strategy reads one timeframe. Strategies reading several symbols are returned
 * unchanged: they bind by name. Nodes with invalid parameters are left for the compiler to report.
 */
export function bindFeedsToData(
  graph: GraphInput,
  catalog: NodeCatalog,
  data: { readonly symbol: string; readonly timeframe: string },
): FeedBinding {
  const feeds: { id: string; symbol: string; timeframe: string }[] = [];
  for (const node of graph.nodes ?? []) {
    const definition = catalog.get(node.type, node.version);
    if (definition?.feed === undefined) continue;
    const parsed = definition.params.safeParse(node.params ?? {});
    if (!parsed.success) continue;
    feeds.push({ id: node.id, ...definition.feed(parsed.data) });
  }
  const symbols = new Set(feeds.map((f) => f.symbol));
  const timeframes = new Set(feeds.map((f) => f.timeframe));
  if (symbols.size !== 1) return { graph, notes: [] };
  const from = [...symbols][0]!;
  const fromTimeframe = timeframes.size === 1 ? [...timeframes][0]! : undefined;
  const notes: string[] = [];
  if (from !== data.symbol) notes.push(`the strategy's ${from} candles read ${data.symbol}`);
  const retime = fromTimeframe !== undefined && fromTimeframe !== data.timeframe;
  if (retime) notes.push(`the strategy's ${fromTimeframe} candles read the data's ${data.timeframe} bars`);
  if (notes.length === 0) return { graph, notes };
  const ids = new Set(feeds.map((f) => f.id));
  return {
    notes,
    graph: {
      ...graph,
      nodes: (graph.nodes ?? []).map((node) =>
        ids.has(node.id)
          ? {
              ...node,
              params: {
                ...node.params,
                symbol: data.symbol,
                ...(retime ? { timeframe: data.timeframe } : {}),
              },
            }
          : node,
      ),
    },
  };
}
