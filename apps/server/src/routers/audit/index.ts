// The audit router: the log of logins, credential changes, strategy saves and job submissions (admin only).
import { router } from '../../trpc';
import { list } from './list';

export const auditRouter = router({ list });
