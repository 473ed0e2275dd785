// One wording for snapshots that do not fit the node restoring them, so a failed live restart says what to do.

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function isNumberOrNull(value: unknown): value is number | null {
  return value === null || typeof value === 'number';
}

export function restoreError(nodeType: string, expected: string, state: unknown): Error {
  return new Error(
    `${nodeType}: cannot restore from snapshot ${JSON.stringify(state)}; expected ${expected}. ` +
      'The snapshot was probably taken from another node type or version: discard it and let the node warm up again.',
  );
}
