// The credentials router: exchange API keys a user stores for live trading, encrypted at rest and
// never returned. Mounted as `credentials` in the app router.
import { router } from '../../trpc';
import { create } from './create';
import { remove } from './delete';
import { list } from './list';
import { update } from './update';

export const credentialsRouter = router({ create, list, update, delete: remove });
