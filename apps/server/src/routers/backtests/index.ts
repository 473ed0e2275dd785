// The backtests router: submit (with quota checks and the result cache), follow progress, cancel,
// read results, list and compare runs. The work itself happens in apps/runner.
import { router } from '../../trpc';
import { cancel } from './cancel';
import { chart } from './chart';
import { compare } from './compare';
import { get } from './get';
import { list } from './list';
import { progress } from './progress';
import { result } from './result';
import { submit } from './submit';

export const backtestsRouter = router({ submit, get, progress, cancel, result, chart, list, compare });
