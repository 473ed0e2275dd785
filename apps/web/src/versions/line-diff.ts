// A line diff of two DSL texts (longest common subsequence), for comparing a saved version with the
// working graph. DSL texts are small (one line per node), so the quadratic table is cheap.

export type DiffOp = 'same' | 'added' | 'removed';

export interface DiffLine {
  readonly op: DiffOp;
  readonly text: string;
  /** 1-based line in the old text (null for added lines). */
  readonly oldLine: number | null;
  /** 1-based line in the new text (null for removed lines). */
  readonly newLine: number | null;
}

/** Above this many table cells the middle part is shown as removed-then-added rather than aligned. */
export const MAX_DIFF_CELLS = 16_000_000;

/** The lines of a text; a final newline does not start another (empty) line. */
export function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split(/\r?\n/);
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** Old-text lines as removed, new-text lines as added, and the longest run of shared lines as same. */
export function diffLines(oldText: string, newText: string, maxCells = MAX_DIFF_CELLS): DiffLine[] {
  const a = splitLines(oldText);
  const b = splitLines(newText);
  // Shared head and tail need no table: most version diffs touch a few lines in the middle.
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (
    tail < a.length - head &&
    tail < b.length - head &&
    a[a.length - 1 - tail] === b[b.length - 1 - tail]
  ) {
    tail++;
  }
  const out: DiffLine[] = [];
  for (let i = 0; i < head; i++) out.push({ op: 'same', text: a[i]!, oldLine: i + 1, newLine: i + 1 });
  middle(a, b, head, a.length - tail, head, b.length - tail, maxCells, out);
  for (let k = tail; k > 0; k--) {
    const i = a.length - k;
    const j = b.length - k;
    out.push({ op: 'same', text: a[i]!, oldLine: i + 1, newLine: j + 1 });
  }
  return out;
}

function middle(
  a: readonly string[],
  b: readonly string[],
  a0: number,
  a1: number,
  b0: number,
  b1: number,
  maxCells: number,
  out: DiffLine[],
): void {
  const n = a1 - a0;
  const m = b1 - b0;
  if ((n + 1) * (m + 1) > maxCells) {
    for (let i = a0; i < a1; i++) out.push({ op: 'removed', text: a[i]!, oldLine: i + 1, newLine: null });
    for (let j = b0; j < b1; j++) out.push({ op: 'added', text: b[j]!, oldLine: null, newLine: j + 1 });
    return;
  }
  // lcs[i][j]: length of the LCS of a[a0+i..a1) and b[b0+j..b1), so the walk below goes forwards.
  const width = m + 1;
  const lcs = new Uint32Array((n + 1) * width);
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i * width + j] =
        a[a0 + i] === b[b0 + j]
          ? lcs[(i + 1) * width + j + 1]! + 1
          : Math.max(lcs[(i + 1) * width + j]!, lcs[i * width + j + 1]!);
    }
  }
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[a0 + i] === b[b0 + j]) {
      out.push({ op: 'same', text: a[a0 + i]!, oldLine: a0 + i + 1, newLine: b0 + j + 1 });
      i++;
      j++;
    } else if (j >= m || (i < n && lcs[(i + 1) * width + j]! >= lcs[i * width + j + 1]!)) {
      // Removals before additions on ties, so a changed line reads as "- old" then "+ new".
      out.push({ op: 'removed', text: a[a0 + i]!, oldLine: a0 + i + 1, newLine: null });
      i++;
    } else {
      out.push({ op: 'added', text: b[b0 + j]!, oldLine: null, newLine: b0 + j + 1 });
      j++;
    }
  }
}

export function diffStats(lines: readonly DiffLine[]): { added: number; removed: number } {
  let added = 0;
  let removed = 0;
  for (const line of lines) {
    if (line.op === 'added') added++;
    else if (line.op === 'removed') removed++;
  }
  return { added, removed };
}
