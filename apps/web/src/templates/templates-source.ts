// Where the template gallery gets its templates and how it creates a strategy from one. The server creates
// from a template by name (`strategies.create({ template })`) but has no procedure that lists templates, so
// the gallery reads the same examples/*.json files at build time; names are the file names, as on the server.
import { type Graph, GraphSchema } from '@candleflow/strategy-dsl';
import { trpc } from '../api';

export interface Template {
  /** The server's template name: the example file's name without .json (e.g. "ema-cross"). */
  readonly name: string;
  readonly graph: Graph;
}

export interface TemplatesApi {
  list(): Promise<readonly Template[]>;
  /** Creates a strategy from the template; resolves to the new strategy's id. */
  create(name: string): Promise<string>;
}

/** Same rule as the server's templateName, so the gallery never offers a name the server would refuse. */
const TEMPLATE_NAME = /^[a-z0-9][a-z0-9-]{0,63}$/;

/** Templates from `path → JSON` modules; files that are not valid graphs are skipped with a console note. */
export function templatesFromModules(modules: Readonly<Record<string, unknown>>): Template[] {
  const templates: Template[] = [];
  for (const [path, json] of Object.entries(modules)) {
    const name = path.replace(/^.*\//, '').replace(/\.json$/, '');
    if (!TEMPLATE_NAME.test(name)) continue;
    const parsed = GraphSchema.safeParse(json);
    if (!parsed.success) {
      console.warn(`template ${path} is not a valid strategy graph and is left out of the gallery`);
      continue;
    }
    templates.push({ name, graph: parsed.data });
  }
  return templates.sort((a, b) => a.name.localeCompare(b.name));
}

const bundled = import.meta.glob<unknown>('../../../../examples/*.json', { eager: true, import: 'default' });

export const bundledTemplatesApi: TemplatesApi = {
  list: async () => templatesFromModules(bundled),
  create: async (name) => (await trpc.strategies.create.mutate({ template: name })).strategy.id,
};
