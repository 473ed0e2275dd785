// The palette's contents: node types grouped by the categories and filtered by a search query.
import type { AnyNodeDefinition, NodeCategory } from '@candleflow/strategy-dsl';

export interface PaletteGroup {
  readonly key: string;
  readonly title: string;
  readonly definitions: readonly AnyNodeDefinition[];
}

/** The palette's sections, in the order a strategy reads: data → indicators → logic → signals → risk → orders. */
const GROUPS: readonly { key: string; title: string; categories: readonly NodeCategory[] }[] = [
  { key: 'data', title: 'Data', categories: ['data'] },
  { key: 'indicators', title: 'Indicators', categories: ['indicators'] },
  { key: 'math', title: 'Math & logic', categories: ['math', 'logic'] },
  { key: 'signals', title: 'Signals', categories: ['signals'] },
  { key: 'sizing', title: 'Sizing & exits', categories: ['sizing', 'exits'] },
  { key: 'orders', title: 'Orders', categories: ['orders'] },
];

/** Only the newest version of each type is offered for new nodes; old versions keep running in saved graphs. */
export function latestDefinitions(definitions: readonly AnyNodeDefinition[]): AnyNodeDefinition[] {
  const latest = new Map<string, AnyNodeDefinition>();
  for (const d of definitions) {
    const seen = latest.get(d.type);
    if (!seen || seen.version < d.version) latest.set(d.type, d);
  }
  return [...latest.values()];
}

function matches(d: AnyNodeDefinition, words: readonly string[]): boolean {
  const text = `${d.type} ${d.title} ${d.description} ${d.category}`.toLowerCase();
  return words.every((w) => text.includes(w));
}

/** Lower is better: the type or title itself before a mention in the description. */
export function matchRank(d: AnyNodeDefinition, words: readonly string[]): number {
  const type = d.type.toLowerCase();
  const title = d.title.toLowerCase();
  const query = words.join(' ');
  if (type === query || title === query) return 0;
  if (type.startsWith(query) || title.startsWith(query)) return 1;
  if (words.every((w) => type.includes(w) || title.includes(w))) return 2;
  return 3;
}

/**
 * Groups (empty ones dropped) whose entries contain every word of the query. With a query, the best
 * matches come first (groups ordered by their best entry), so Enter adds what the user most likely meant.
 */
export function paletteGroups(definitions: readonly AnyNodeDefinition[], query = ''): PaletteGroup[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  const latest = latestDefinitions(definitions);
  const groups = GROUPS.map((g) => ({
    key: g.key,
    title: g.title,
    definitions: latest.filter((d) => g.categories.includes(d.category) && matches(d, words)),
  })).filter((g) => g.definitions.length > 0);
  if (words.length === 0) return groups;
  const ranked = groups.map((g, order) => {
    const scored = g.definitions
      .map((d, i) => ({ d, i, rank: matchRank(d, words) }))
      .sort((a, b) => a.rank - b.rank || a.i - b.i);
    return { group: { ...g, definitions: scored.map((x) => x.d) }, best: scored[0]?.rank ?? 3, order };
  });
  return ranked.sort((a, b) => a.best - b.best || a.order - b.order).map((x) => x.group);
}

/** The flat list the keyboard moves through (arrow keys, Enter). */
export function paletteEntries(groups: readonly PaletteGroup[]): AnyNodeDefinition[] {
  return groups.flatMap((g) => g.definitions);
}
