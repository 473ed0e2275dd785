// The auth router: sign-up, login, logout, who am I, password change.
import { router } from '../../trpc';
import { changePasswordProcedure } from './change-password';
import { loginProcedure } from './login';
import { logoutProcedure } from './logout';
import { meProcedure } from './me';
import { signUpProcedure } from './sign-up';

export const authRouter = router({
  signUp: signUpProcedure,
  login: loginProcedure,
  logout: logoutProcedure,
  me: meProcedure,
  changePassword: changePasswordProcedure,
});
