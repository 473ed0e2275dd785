// User administration (administrators only).
import { router } from '../../trpc';
import { listUsersProcedure } from './list';
import { setRoleProcedure } from './set-role';

export const usersRouter = router({ list: listUsersProcedure, setRole: setRoleProcedure });
