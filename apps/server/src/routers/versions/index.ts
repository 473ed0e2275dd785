// The versions router: immutable versions of a strategy. Saving compiles first and writes only what compiles.
import { router } from '../../trpc';
import { get } from './get';
import { list } from './list';
import { save } from './save';

export const versionsRouter = router({ save, list, get });
