// The inspector's form, derived from a node's zod parameter schema through z.toJSONSchema, and the
// as-you-type validation of a node's params with zod's own messages (strategy-parameter refs resolved).
import type { NodeDefinition, ParamValue, StrategyParam } from '@candleflow/strategy-dsl';
import { isParamRef } from '@candleflow/strategy-dsl';
import { z } from 'zod';

export type FieldKind = 'integer' | 'number' | 'enum' | 'string' | 'boolean';

export interface FieldSpec {
  readonly name: string;
  readonly label: string;
  readonly kind: FieldKind;
  readonly description?: string;
  readonly default?: number | string | boolean;
  readonly min?: number;
  readonly max?: number;
  /** Strict bounds (zod `.positive()`, `.gt()`): the value must differ from them. */
  readonly exclusiveMin?: number;
  readonly exclusiveMax?: number;
  readonly step?: number;
  readonly options?: readonly string[];
  readonly minLength?: number;
  readonly maxLength?: number;
}

interface JsonSchemaProperty {
  type?: string | string[];
  enum?: unknown[];
  default?: unknown;
  description?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  step?: number;
  minLength?: number;
  maxLength?: number;
  anyOf?: JsonSchemaProperty[];
}

const fieldCache = new WeakMap<NodeDefinition, readonly FieldSpec[]>();

/** `stdDev` → `Std dev`, `riskPercent` → `Risk percent`. */
export function humanize(name: string): string {
  const words = name
    .replace(/_/g, ' ')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function fieldFrom(name: string, prop: JsonSchemaProperty): FieldSpec {
  // A schema with a union (e.g. optional) shows its first concrete branch.
  const p = prop.anyOf?.find((b) => b.type !== 'null') ?? prop;
  const type = Array.isArray(p.type) ? p.type.find((t) => t !== 'null') : p.type;
  const base = {
    name,
    label: humanize(name),
    ...((prop.description ?? p.description) ? { description: prop.description ?? p.description } : {}),
    ...(isScalar(prop.default ?? p.default) ? { default: (prop.default ?? p.default) as never } : {}),
  };
  if (Array.isArray(p.enum) && p.enum.every((v) => typeof v === 'string')) {
    return { ...base, kind: 'enum', options: p.enum as string[] };
  }
  if (type === 'integer' || type === 'number') {
    return {
      ...base,
      kind: type,
      ...(p.minimum !== undefined ? { min: p.minimum } : {}),
      ...(p.maximum !== undefined ? { max: p.maximum } : {}),
      ...(p.exclusiveMinimum !== undefined ? { exclusiveMin: p.exclusiveMinimum } : {}),
      ...(p.exclusiveMaximum !== undefined ? { exclusiveMax: p.exclusiveMaximum } : {}),
      ...(p.step !== undefined ? { step: p.step } : type === 'integer' ? { step: 1 } : {}),
    };
  }
  if (type === 'boolean') return { ...base, kind: 'boolean' };
  return {
    ...base,
    kind: 'string',
    ...(p.minLength !== undefined ? { minLength: p.minLength } : {}),
    ...(p.maxLength !== undefined ? { maxLength: p.maxLength } : {}),
  };
}

function isScalar(v: unknown): v is number | string | boolean {
  return typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean';
}

/** The form fields of a node type, in schema order. Cached per definition. */
export function deriveFields(definition: NodeDefinition): readonly FieldSpec[] {
  const cached = fieldCache.get(definition);
  if (cached) return cached;
  const schema = z.toJSONSchema(definition.params, { unrepresentable: 'any' }) as {
    properties?: Record<string, JsonSchemaProperty>;
  };
  const fields = Object.entries(schema.properties ?? {}).map(([name, prop]) => fieldFrom(name, prop));
  fieldCache.set(definition, fields);
  return fields;
}

/** Params with every field present: missing ones take the schema default (a new node starts so). */
export function defaultParams(definition: NodeDefinition): Record<string, ParamValue> {
  const out: Record<string, ParamValue> = {};
  for (const f of deriveFields(definition)) if (f.default !== undefined) out[f.name] = f.default;
  return out;
}

/**
 * Turns what the user typed into a param value. Numbers that do not parse stay text (the caller keeps
 * them as a draft and shows the message); everything else is passed through.
 */
export function parseFieldInput(
  field: FieldSpec,
  raw: string | boolean,
): { ok: true; value: ParamValue } | { ok: false; message: string } {
  if (field.kind === 'boolean') return { ok: true, value: raw === true || raw === 'true' };
  const text = String(raw);
  if (field.kind === 'integer' || field.kind === 'number') {
    if (text.trim() === '') return { ok: false, message: `Enter a number for ${field.label.toLowerCase()}.` };
    const n = Number(text);
    if (!Number.isFinite(n)) return { ok: false, message: `“${text}” is not a number.` };
    return { ok: true, value: n };
  }
  return { ok: true, value: text };
}

/**
 * Zod's message for each invalid field, by field name. A `$param` reference is checked by the value
 * the strategy parameter defaults to; one naming an undeclared parameter is an error of its own.
 */
export function validateParams(
  definition: NodeDefinition,
  params: Readonly<Record<string, ParamValue>>,
  strategyParams: readonly StrategyParam[],
): Record<string, string> {
  const errors: Record<string, string> = {};
  const resolved: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(params)) {
    if (isParamRef(value)) {
      const declared = strategyParams.find((p) => p.name === value.$param);
      if (!declared) {
        errors[name] = `Strategy parameter “${value.$param}” is not declared; add it in the strategy panel.`;
        continue;
      }
      resolved[name] = declared.default;
    } else {
      resolved[name] = value;
    }
  }
  const result = definition.params.safeParse(resolved);
  if (!result.success) {
    for (const issue of result.error.issues) {
      const key = typeof issue.path[0] === 'string' ? issue.path[0] : '';
      if (key && errors[key] === undefined) errors[key] = issue.message;
      else if (!key && errors[''] === undefined) errors[''] = issue.message;
    }
  }
  return errors;
}

/** Strategy params a field may bind to: the numeric ones for number fields, and so on. */
export function bindableParams(field: FieldSpec, strategyParams: readonly StrategyParam[]): StrategyParam[] {
  return strategyParams.filter((p) => {
    switch (field.kind) {
      case 'integer':
        return p.type === 'int';
      case 'number':
        return p.type === 'int' || p.type === 'number';
      case 'boolean':
        return p.type === 'boolean';
      default:
        return p.type === 'string';
    }
  });
}
