// Sign-up and login: one form, two modes; the server's answer (wrong password, taken email, weak
// password, too many attempts) is shown beside the field it is about.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { resetRealtime, trpc } from '../api/client';
import { fieldIssues, useServerError } from '../api/errors';
import { ME_KEY } from '../api/hooks';
import { navigate } from './router';
import { ErrorNotice, Field, Link } from './ui';

/** Where to go after signing in: the page that sent the visitor here, if it is one of ours. */
export function nextPath(search: string): string {
  const next = new URLSearchParams(search).get('next');
  // Only same-site paths: "//evil.example" or "https://…" would turn this into an open redirect.
  return next?.startsWith('/') && !next.startsWith('//') ? next : '/';
}

export function AuthPage(props: { mode: 'login' | 'signup' }) {
  const { mode } = props;
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const queryClient = useQueryClient();
  const submit = useMutation({
    mutationFn: (input: { email: string; password: string }) =>
      mode === 'login' ? trpc.auth.login.mutate(input) : trpc.auth.signUp.mutate(input),
    onSuccess: async () => {
      // The socket (if any) was opened before the session cookie existed.
      resetRealtime();
      queryClient.clear();
      await queryClient.invalidateQueries({ queryKey: ME_KEY });
      navigate(nextPath(location.search), { replace: true });
    },
  });
  const error = useServerError(submit.error);
  const prefix = mode;

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    submit.mutate({ email, password });
  };
  const emailErrors = fieldIssues(error, 'email');
  const passwordErrors = fieldIssues(error, 'password');
  // Field-level messages already say it; the banner is for everything else.
  const banner = error && emailErrors.length + passwordErrors.length === 0 ? error : null;

  return (
    <div className="cf-auth">
      <form className="cf-card cf-auth-card" onSubmit={onSubmit} noValidate data-testid={`${prefix}-form`}>
        <h1>{mode === 'login' ? 'Sign in to Candleflow' : 'Create your Candleflow account'}</h1>
        <ErrorNotice error={banner} testId={`${prefix}-error`} />
        <Field label="Email" errors={emailErrors}>
          <input
            type="email"
            autoComplete="email"
            required
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            data-testid={`${prefix}-email`}
          />
        </Field>
        <Field
          label="Password"
          errors={passwordErrors}
          {...(mode === 'signup' ? { hint: 'At least 10 characters; a few words make a good one.' } : {})}
        >
          <input
            type="password"
            autoComplete={mode === 'login' ? 'current-password' : 'new-password'}
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            data-testid={`${prefix}-password`}
          />
        </Field>
        <button
          type="submit"
          className="cf-button cf-button--primary"
          disabled={submit.isPending}
          data-testid={`${prefix}-submit`}
        >
          {submit.isPending ? 'Please wait…' : mode === 'login' ? 'Sign in' : 'Create account'}
        </button>
        <p className="cf-muted">
          {mode === 'login' ? (
            <>
              New here?{' '}
              <Link to="/signup" testId="login-to-signup">
                Create an account
              </Link>
            </>
          ) : (
            <>
              Already have an account?{' '}
              <Link to="/login" testId="signup-to-login">
                Sign in
              </Link>
            </>
          )}
        </p>
      </form>
    </div>
  );
}
