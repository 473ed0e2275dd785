// @vitest-environment happy-dom
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AuthPage, nextPath } from './AuthPage';
import { renderAs, serverError } from './test-support/render';

const api = vi.hoisted(() => ({
  login: vi.fn(),
  signUp: vi.fn(),
  resetRealtime: vi.fn(),
}));
vi.mock('../api/client', () => ({
  trpc: {
    auth: { login: { mutate: api.login }, signUp: { mutate: api.signUp }, me: { query: vi.fn() } },
  },
  resetRealtime: api.resetRealtime,
}));

function fill(prefix: string, email: string, password: string) {
  fireEvent.change(screen.getByTestId(`${prefix}-email`), { target: { value: email } });
  fireEvent.change(screen.getByTestId(`${prefix}-password`), { target: { value: password } });
  fireEvent.click(screen.getByTestId(`${prefix}-submit`));
}

describe('AuthPage', () => {
  beforeEach(() => {
    history.replaceState(null, '', '/login?next=%2Fdatasets');
  });
  afterEach(() => {
    cleanup();
    vi.clearAllMocks();
  });

  it('signs in with what was typed and goes back to the page that asked', async () => {
    api.login.mockResolvedValue({ user: { id: 'u1' } });
    renderAs(null, <AuthPage mode="login" />);

    fill('login', 'ada@example.com', 'correct horse battery');

    await waitFor(() => expect(location.pathname).toBe('/datasets'));
    expect(api.login).toHaveBeenCalledWith({ email: 'ada@example.com', password: 'correct horse battery' });
    expect(api.resetRealtime).toHaveBeenCalled();
  });

  it('shows a wrong password as a banner with the server code', async () => {
    api.login.mockRejectedValue(serverError('UNAUTHORIZED', 'Email or password is wrong.'));
    renderAs(null, <AuthPage mode="login" />);

    fill('login', 'ada@example.com', 'nope');

    const banner = await screen.findByTestId('login-error');
    expect(banner.textContent).toContain('Email or password is wrong.');
    expect(banner.textContent).toContain('UNAUTHORIZED');
  });

  it('puts a weak-password refusal beside the password field', async () => {
    const message = 'Password is too short: use at least 10 characters (a few words make a good one).';
    api.signUp.mockRejectedValue(
      serverError('VALIDATION_FAILED', message, {
        issues: [{ path: 'password', code: 'weak_password', message }],
      }),
    );
    renderAs(null, <AuthPage mode="signup" />);

    fill('signup', 'ada@example.com', 'short');

    await screen.findByText(message);
    expect(screen.queryByTestId('signup-error')).toBeNull();
  });

  it('says when an account already exists', async () => {
    api.signUp.mockRejectedValue(
      serverError('CONFLICT', 'An account with this email already exists; sign in instead.'),
    );
    renderAs(null, <AuthPage mode="signup" />);

    fill('signup', 'ada@example.com', 'a long enough password');

    expect((await screen.findByTestId('signup-error')).dataset.code).toBe('CONFLICT');
  });
});

describe('nextPath', () => {
  it('follows only paths on this site', () => {
    expect(nextPath('?next=%2Fruns%2Fr1')).toBe('/runs/r1');
    expect(nextPath('?next=%2F%2Fevil.example')).toBe('/');
    expect(nextPath('?next=https%3A%2F%2Fevil.example')).toBe('/');
    expect(nextPath('')).toBe('/');
  });
});
