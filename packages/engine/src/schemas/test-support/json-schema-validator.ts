// Validates values against the committed JSON Schema files in schemas/ with an independent validator
// (Ajv, draft 2020-12), so the contract tests check what other languages and tools will actually read.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CandleSeries } from '@candleflow/data';
import type { Bar } from '@candleflow/strategy-dsl';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020';

export const REPO_ROOT = join(import.meta.dirname, '..', '..', '..', '..', '..');
export const SCHEMA_DIR = join(REPO_ROOT, 'schemas');

/** The committed schema files, by file name, parsed. */
export function readCommittedSchemas(): Map<string, Record<string, unknown>> {
  const files = readdirSync(SCHEMA_DIR).filter((f) => f.endsWith('.schema.json'));
  return new Map(files.map((f) => [f, JSON.parse(readFileSync(join(SCHEMA_DIR, f), 'utf8'))]));
}

/** One line per problem, `<path>: <message>`, with the JSON pointer of the offending value. */
export function describeErrors(errors: readonly ErrorObject[] | null | undefined): string[] {
  return (errors ?? []).map((e) => {
    const path = e.instancePath === '' ? '(root)' : e.instancePath;
    const extra =
      e.keyword === 'additionalProperties'
        ? ` '${String(e.params.additionalProperty)}'`
        : e.keyword === 'enum'
          ? ` ${JSON.stringify(e.params.allowedValues)}`
          : '';
    return `${path}: ${e.message ?? e.keyword}${extra}`;
  });
}

export interface JsonSchemaValidator {
  /** Problems with `value` under schema `file` (e.g. `bar.schema.json`); empty when it is valid. */
  problems(file: string, value: unknown): string[];
}

/** A validator over the committed schemas, in Ajv's strict mode (bar strictRequired, which rejects the exits' anyOf of required fields) so a malformed schema fails loudly. */
export function committedSchemaValidator(): JsonSchemaValidator {
  const ajv = new Ajv2020({
    allErrors: true,
    strict: true,
    strictRequired: false,
    allowUnionTypes: true,
    discriminator: true,
  });
  const compiled = new Map<string, ValidateFunction>();
  for (const [file, schema] of readCommittedSchemas()) compiled.set(file, ajv.compile(schema));
  return {
    problems(file, value) {
      const validate = compiled.get(file);
      if (!validate) throw new Error(`no committed schema ${file} in ${SCHEMA_DIR}; run the export tool`);
      return validate(value) ? [] : describeErrors(validate.errors);
    },
  };
}

/** The bars a candle series holds, as the engine feeds them to the kernel. */
export function barsOf(series: CandleSeries): Bar[] {
  return Array.from(series.time, (time, i) => ({
    time,
    open: series.open[i]!,
    high: series.high[i]!,
    low: series.low[i]!,
    close: series.close[i]!,
    volume: series.volume[i]!,
  }));
}
