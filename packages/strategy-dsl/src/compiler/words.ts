// How the compiler speaks to traders: names of port kinds, node labels, "did you mean" hints and
// zod issues turned into sentences about a parameter.
import type { z } from 'zod';
import type { NodeDefinition, PortKind } from '../contract';

const KIND_WORDS: Record<PortKind, string> = {
  number: 'a number series',
  boolean: 'a true/false series',
  scalar: 'a constant number',
  candles: 'candles',
  signal: 'a trade signal',
  sizing: 'a position size',
  exit: 'an exit rule',
  order: 'an order',
};

export function kindWords(kind: PortKind): string {
  return KIND_WORDS[kind];
}

/** `SMA 'fast'`: the node's title and id, as the trader sees it on the canvas. */
export function nodeLabel(id: string, definition: NodeDefinition | undefined): string {
  return definition ? `${definition.title} '${id}'` : `node '${id}'`;
}

/** Levenshtein distance with one reused row: O(a·b) time, O(b) memory. */
export function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j]!;
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row[j] = Math.min(above + 1, row[j - 1]! + 1, diagonal + cost);
      diagonal = above;
    }
  }
  return row[b.length]!;
}

/** The candidate closest to `name`, if it is close enough to be a plausible typo. */
export function nearest(name: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  const lower = name.toLowerCase();
  for (const candidate of candidates) {
    const distance = editDistance(lower, candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(name.length / 2)) ? best : undefined;
}

export function didYouMean(name: string, candidates: Iterable<string>): string | undefined {
  const match = nearest(name, candidates);
  return match === undefined ? undefined : `did you mean '${match}'?`;
}

export function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'string') return `'${value}'`;
  if (typeof value === 'object' && value !== null) return JSON.stringify(value);
  return String(value);
}

/** A zod issue path as `nodes[3].id`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let text = '';
  for (const part of path) {
    if (typeof part === 'number') text += `[${part}]`;
    else text += text === '' ? String(part) : `.${String(part)}`;
  }
  return text;
}

type Issue = z.core.$ZodIssue;

/** One zod issue about a node's parameters as a sentence: "'period' must be at least 1 (got 0)". */
export function paramIssueMessage(issue: Issue, params: Readonly<Record<string, unknown>>): string {
  const name = issue.path.length > 0 ? formatPath(issue.path) : 'the parameters';
  const got = issue.path.length > 0 ? params[String(issue.path[0])] : undefined;
  const gotText = ` (got ${show(got)})`;
  switch (issue.code) {
    case 'too_small':
      return `'${name}' must be ${issue.inclusive ? 'at least' : 'more than'} ${String(issue.minimum)}${gotText}`;
    case 'too_big':
      return `'${name}' must be ${issue.inclusive ? 'at most' : 'less than'} ${String(issue.maximum)}${gotText}`;
    case 'invalid_type':
      if (got === undefined) return `'${name}' is required`;
      return `'${name}' must be ${issue.expected === 'int' ? 'a whole number' : `a ${issue.expected}`}${gotText}`;
    case 'invalid_value':
      return `'${name}' must be one of ${issue.values.map(show).join(', ')}${gotText}`;
    case 'not_multiple_of':
      return `'${name}' must be a multiple of ${String(issue.divisor)}${gotText}`;
    default:
      return `'${name}': ${issue.message}${gotText}`;
  }
}
