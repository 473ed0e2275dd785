// Input shapes shared by the auth procedures.
import { z } from 'zod';
import { PASSWORD_MAX_LENGTH } from '../../auth/password';

export const email = z
  .string()
  .trim()
  .toLowerCase()
  .max(254, 'email is too long')
  .pipe(z.email('must be an email address such as ada@example.com'));

// The strength rules run in the handler, where the email is known; here only a hard cap so a
// megabyte "password" is refused before hashing.
export const password = z
  .string()
  .min(1, 'password is required')
  .max(PASSWORD_MAX_LENGTH * 4, 'password is too long');

export const credentials = z.object({ email, password }).strict();
