// strategies.templates: the example strategies a new strategy can start from, with their graphs (the studio
// draws a thumbnail of each).
import { protectedProcedure } from '../../trpc';
import { listTemplates, loadTemplate } from './templates';

export const templates = protectedProcedure.query(() =>
  listTemplates().map((name) => ({ name, graph: loadTemplate(name) })),
);
