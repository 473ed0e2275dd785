// The example strategies shipped in examples/*.json, offered as templates by name (e.g. "ema-cross").
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ApiError } from '../../errors';

export const EXAMPLES_DIR = fileURLToPath(new URL('../../../../../examples/', import.meta.url));

export const templateName = /^[a-z0-9][a-z0-9-]{0,63}$/;

/** Template names: the example files' names without .json. */
export function listTemplates(dir: string = EXAMPLES_DIR): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -'.json'.length))
    .filter((name) => templateName.test(name))
    .sort();
}

/** The graph JSON of a template; NOT_FOUND lists the ones that exist. */
export function loadTemplate(name: string, dir: string = EXAMPLES_DIR): unknown {
  const names = listTemplates(dir);
  if (!names.includes(name)) {
    throw new ApiError('NOT_FOUND', `No template "${name}"; choose one of: ${names.join(', ')}.`, {
      templates: names,
    });
  }
  return JSON.parse(readFileSync(`${dir}/${name}.json`, 'utf8')) as unknown;
}
