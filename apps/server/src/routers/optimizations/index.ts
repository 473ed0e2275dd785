// The optimizations router: estimate and submit (every check before any job starts), follow progress,
// cancel, read the report, the trials and the heat map, and apply a trial as a new strategy
// version (applyTrial: tRPC reserves the name `apply`).
// The work itself happens in apps/runner (the `optimize` and `trials` jobs).
import { router } from '../../trpc';
import { applyTrial } from './apply';
import { cancel } from './cancel';
import { estimate } from './estimate';
import { get } from './get';
import { heatmap } from './heatmap';
import { list } from './list';
import { progress } from './progress';
import { submit } from './submit';
import { trials } from './trials';

export const optimizationsRouter = router({
  estimate,
  submit,
  get,
  list,
  trials,
  heatmap,
  progress,
  cancel,
  applyTrial,
});
