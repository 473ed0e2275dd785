// The strategies router: a user's strategies (and public ones, read-only), created, renamed, shared,
// duplicated, imported and exported. Saving new versions lives in the versions router.
import { router } from '../../trpc';
import { create } from './create';
import { remove } from './delete';
import { duplicate } from './duplicate';
import { exportJsonProcedure } from './export-json';
import { get } from './get';
import { importJsonProcedure } from './import-json';
import { list } from './list';
import { rename } from './rename';
import { setVisibilityProcedure } from './set-visibility';
import { templates } from './templates-list';

export const strategiesRouter = router({
  create,
  list,
  templates,
  get,
  rename,
  setVisibility: setVisibilityProcedure,
  delete: remove,
  duplicate,
  importJson: importJsonProcedure,
  exportJson: exportJsonProcedure,
});
