// The frame around every signed-in page: brand, navigation, the user and sign-out, the theme
// toggle; on a phone the navigation folds behind a menu button.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import { resetRealtime, trpc } from '../api/client';
import { type Me, ME_KEY } from '../api/hooks';
import { navigate, type Route } from './router';
import { useTheme } from './theme';
import { Link } from './ui';

const NAV: ReadonlyArray<{ to: string; label: string; id: string; active: ReadonlyArray<Route['name']> }> = [
  { to: '/', label: 'Strategies', id: 'strategies', active: ['strategies', 'editor', 'run', 'compare'] },
  { to: '/datasets', label: 'Datasets', id: 'datasets', active: ['datasets'] },
  { to: '/settings', label: 'Settings', id: 'settings', active: ['settings'] },
];

export function ThemeToggle() {
  const { theme, toggle } = useTheme();
  const next = theme === 'dark' ? 'light' : 'dark';
  return (
    <button
      type="button"
      className="cf-button cf-button--quiet"
      data-testid="theme-toggle"
      aria-label={`Switch to ${next} theme`}
      title={`Switch to ${next} theme`}
      onClick={toggle}
    >
      {theme === 'dark' ? '☀ Light' : '☾ Dark'}
    </button>
  );
}

export function Layout(props: { me: Me | null; route: Route; children: ReactNode }) {
  const [menuOpen, setMenuOpen] = useState(false);
  const queryClient = useQueryClient();
  const logout = useMutation({
    mutationFn: () => trpc.auth.logout.mutate(),
    onSettled: () => {
      resetRealtime();
      // Nothing cached for the previous account may show to the next one.
      queryClient.clear();
      queryClient.setQueryData(ME_KEY, { user: null, via: null, csrfToken: null, sessionExpiresAt: null });
      navigate('/login');
    },
  });
  const fullBleed = props.route.name === 'editor';

  return (
    <div className={`cf-shell${fullBleed ? ' cf-shell--full' : ''}`}>
      <header className="cf-header">
        <Link to="/" className="cf-brand" testId="nav-home">
          <span aria-hidden="true" className="cf-brand-mark">
            ◆
          </span>{' '}
          Candleflow
        </Link>
        {props.me ? (
          <button
            type="button"
            className="cf-button cf-button--quiet cf-menu-button"
            aria-expanded={menuOpen}
            aria-controls="cf-nav"
            data-testid="nav-menu"
            onClick={() => setMenuOpen((open) => !open)}
          >
            ☰ Menu
          </button>
        ) : null}
        <nav id="cf-nav" className={`cf-nav${menuOpen ? ' cf-nav--open' : ''}`} aria-label="Main">
          {props.me
            ? NAV.map((item) => (
                <span key={item.id} onClickCapture={() => setMenuOpen(false)}>
                  <Link
                    to={item.to}
                    testId={`nav-${item.id}`}
                    className={`cf-nav-link${item.active.includes(props.route.name) ? ' cf-nav-link--active' : ''}`}
                  >
                    {item.label}
                  </Link>
                </span>
              ))
            : null}
          <span className="cf-nav-spacer" />
          {props.me ? (
            <span className="cf-user" data-testid="nav-user">
              {props.me.email} <span className={`cf-role cf-role--${props.me.role}`}>{props.me.role}</span>
            </span>
          ) : null}
          <ThemeToggle />
          {props.me ? (
            <button
              type="button"
              className="cf-button cf-button--quiet"
              data-testid="nav-logout"
              disabled={logout.isPending}
              onClick={() => logout.mutate()}
            >
              Sign out
            </button>
          ) : null}
        </nav>
      </header>
      <main className={`cf-main${fullBleed ? ' cf-main--full' : ''}`}>{props.children}</main>
    </div>
  );
}
