// Reading and writing evaluator snapshots: JSON-safe numbers (NaN and ±Infinity survive the round trip)
// and readable errors when a snapshot does not have the shape an evaluator expects.

/** A number as stored in a snapshot: finite numbers as they are, the others as text ('NaN', 'Infinity'). */
export type StoredNumber = number | string;

export function storeNumber(x: number): StoredNumber {
  return Number.isFinite(x) ? x : String(x);
}

export function storeNumbers(values: ArrayLike<number>): StoredNumber[] {
  const out: StoredNumber[] = new Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = storeNumber(values[i] as number);
  return out;
}

function fail(where: string, what: string): never {
  throw new Error(`${where}: cannot restore snapshot, ${what}; pass a value returned by snapshot()`);
}

export function readRecord(state: unknown, where: string): Record<string, unknown> {
  if (typeof state !== 'object' || state === null || Array.isArray(state)) fail(where, 'it is not an object');
  return state as Record<string, unknown>;
}

export function readNumber(state: Record<string, unknown>, key: string, where: string): number {
  const v = state[key];
  if (typeof v === 'number') return v;
  if (v === 'NaN' || v === 'Infinity' || v === '-Infinity') return Number(v);
  return fail(where, `"${key}" is not a number`);
}

export function readBoolean(state: Record<string, unknown>, key: string, where: string): boolean {
  const v = state[key];
  if (typeof v !== 'boolean') fail(where, `"${key}" is not a boolean`);
  return v;
}

export function readNumbers(state: Record<string, unknown>, key: string, where: string): number[] {
  const v = state[key];
  if (!Array.isArray(v)) fail(where, `"${key}" is not an array`);
  return v.map((item, i) => readNumber({ item }, 'item', `${where}.${key}[${i}]`));
}

export function readNested(state: Record<string, unknown>, key: string, where: string): unknown {
  if (!(key in state)) fail(where, `"${key}" is missing`);
  return state[key];
}
