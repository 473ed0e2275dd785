// @vitest-environment happy-dom
import { QueryClient } from '@tanstack/react-query';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { App, Routes, redirectFor } from './App';
import { matchRoute } from './router';
import { makeUser, renderAs, serverError } from './test-support/render';

const api = vi.hoisted(() => ({ me: vi.fn(), logout: vi.fn(), list: vi.fn(), resetRealtime: vi.fn() }));
vi.mock('../api/client', () => ({
  trpc: {
    auth: { me: { query: api.me }, logout: { mutate: api.logout } },
    strategies: { list: { query: api.list } },
  },
  resetRealtime: api.resetRealtime,
}));
vi.mock('./lazy-pages', () => ({
  EditorPage: (props: { strategyId: string }) => <div data-testid="editor-stub">{props.strategyId}</div>,
  RunPage: (props: { runId: string }) => <div data-testid="run-stub">{props.runId}</div>,
  ComparePage: (props: { a: string; b: string }) => (
    <div data-testid="compare-stub">{`${props.a}|${props.b}`}</div>
  ),
  TemplateGallery: () => null,
}));

describe('redirectFor', () => {
  it('sends a signed-out visitor to login, remembering where they were going', () => {
    expect(redirectFor(matchRoute('/runs/r1'), false, '/runs/r1')).toBe('/login?next=%2Fruns%2Fr1');
    expect(redirectFor(matchRoute('/'), false, '/')).toBe('/login');
  });

  it('lets anyone see login and sign-up, and sends signed-in users home from them', () => {
    expect(redirectFor(matchRoute('/signup'), false, '/signup')).toBeNull();
    expect(redirectFor(matchRoute('/login'), true, '/login')).toBe('/');
    expect(redirectFor(matchRoute('/datasets'), true, '/datasets')).toBeNull();
  });
});

describe('Routes', () => {
  beforeEach(() => {
    api.list.mockResolvedValue([]);
    delete document.documentElement.dataset.theme;
    localStorage.clear();
  });
  afterEach(() => {
    cleanup();
    vi.clearAllMocks();
  });

  it('redirects a signed-out visit to /login and shows the form', async () => {
    history.replaceState(null, '', '/settings');
    renderAs(null, <Routes />);
    await screen.findByTestId('login-form');
    expect(location.pathname + location.search).toBe('/login?next=%2Fsettings');
  });

  it.each([
    ['/strategies/s-42', 'editor-stub', 's-42'],
    ['/runs/r-7', 'run-stub', 'r-7'],
    ['/compare/r-1/r-2', 'compare-stub', 'r-1|r-2'],
  ])('routes %s to its view with the ids from the path', async (path, testId, text) => {
    history.replaceState(null, '', path);
    renderAs(makeUser('trader'), <Routes />);
    expect((await screen.findByTestId(testId)).textContent).toBe(text);
  });

  it('follows navigation from the nav links', async () => {
    history.replaceState(null, '', '/');
    renderAs(makeUser('trader'), <Routes />);
    await screen.findByTestId('strategy-empty');
    fireEvent.click(screen.getByTestId('nav-settings'));
    expect(await screen.findByTestId('settings-email')).toBeTruthy();
    expect(location.pathname).toBe('/settings');
  });

  it('says so for an unknown address', async () => {
    history.replaceState(null, '', '/no/such/page');
    renderAs(makeUser('trader'), <Routes />);
    expect(await screen.findByTestId('not-found')).toBeTruthy();
  });

  it('toggles and remembers the theme', async () => {
    history.replaceState(null, '', '/');
    renderAs(makeUser('trader'), <Routes />);
    const toggle = await screen.findByTestId('theme-toggle');
    fireEvent.click(toggle);
    expect(document.documentElement.dataset.theme).toBe('light');
    expect(localStorage.getItem('candleflow.theme')).toBe('light');
    fireEvent.click(screen.getByTestId('theme-toggle'));
    expect(document.documentElement.dataset.theme).toBe('dark');
  });

  it('signs out, forgets cached data and goes to login', async () => {
    api.logout.mockResolvedValue({ ok: true });
    history.replaceState(null, '', '/');
    const { queryClient } = renderAs(makeUser('trader'), <Routes />);
    fireEvent.click(await screen.findByTestId('nav-logout'));
    await screen.findByTestId('login-form');
    expect(location.pathname).toBe('/login');
    expect(api.resetRealtime).toHaveBeenCalled();
    expect(queryClient.getQueryData(['strategies', 'list', 'all'])).toBeUndefined();
  });
});

describe('App', () => {
  afterEach(() => {
    cleanup();
    vi.clearAllMocks();
  });

  it('asks the server who is signed in, and offers a retry when it cannot be reached', async () => {
    api.me.mockRejectedValueOnce(new TypeError('Failed to fetch'));
    api.me.mockResolvedValueOnce({ user: null, via: null, csrfToken: null, sessionExpiresAt: null });
    history.replaceState(null, '', '/login');
    const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
    render(<App queryClient={queryClient} />);

    expect((await screen.findByTestId('startup-error')).dataset.code).toBe('NETWORK');
    fireEvent.click(screen.getByText('Try again'));
    expect(await screen.findByTestId('login-form')).toBeTruthy();
  });

  it('shows the stable code when the server refuses', async () => {
    api.me.mockRejectedValueOnce(serverError('RATE_LIMITED', 'Too many requests'));
    history.replaceState(null, '', '/');
    render(<App queryClient={new QueryClient({ defaultOptions: { queries: { retry: false } } })} />);
    expect((await screen.findByTestId('startup-error')).dataset.code).toBe('RATE_LIMITED');
  });
});
