// The studio's root: the query cache, who is signed in, and which page the URL names. Signed-out
// visitors are sent to /login (and back afterwards); signed-in ones away from /login and /signup.
import { type QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { Component, type ReactNode, Suspense, useEffect } from 'react';
import { useServerError } from '../api/errors';
import { type Me, useMe } from '../api/hooks';
import { queryClient as appQueryClient } from '../api/query-client';
import { AuthPage } from './AuthPage';
import { DatasetsPage } from './DatasetsPage';
import { Layout } from './Layout';
import { ComparePage, EditorPage, OptimizationPage, RunPage } from './lazy-pages';
import { navigate, PUBLIC_ROUTES, type Route, useLocationPath, useRoute } from './router';
import { SettingsPage } from './SettingsPage';
import { StrategiesPage } from './StrategiesPage';
import { ErrorNotice, Link, Spinner } from './ui';

/** Where the guard sends a visitor, or null to stay: pure so the rules are testable. */
export function redirectFor(route: Route, signedIn: boolean, currentPath: string): string | null {
  if (!signedIn && !PUBLIC_ROUTES.has(route.name)) {
    return currentPath === '/' ? '/login' : `/login?next=${encodeURIComponent(currentPath)}`;
  }
  if (signedIn && PUBLIC_ROUTES.has(route.name)) return '/';
  return null;
}

/** Keeps one broken view (a lazy chunk that failed to load, a render error) from blanking the app. */
class ViewBoundary extends Component<{ children: ReactNode; resetKey: string }, { error: Error | null }> {
  override state: { error: Error | null } = { error: null };
  static getDerivedStateFromError(error: Error) {
    return { error };
  }
  override componentDidUpdate(previous: { resetKey: string }) {
    if (previous.resetKey !== this.props.resetKey && this.state.error) this.setState({ error: null });
  }
  override render() {
    if (!this.state.error) return this.props.children;
    return (
      <div className="cf-page" role="alert" data-testid="view-error">
        <h1>This page failed to load</h1>
        <p>{this.state.error.message}</p>
        <p>
          Reload the page; if this keeps happening the studio may have been updated while it was open.{' '}
          <button type="button" className="cf-button" onClick={() => location.reload()}>
            Reload
          </button>
        </p>
      </div>
    );
  }
}

function Page(props: { route: Route; me: Me }) {
  const { route } = props;
  switch (route.name) {
    case 'strategies':
      return <StrategiesPage />;
    case 'editor':
      return <EditorPage key={route.strategyId} strategyId={route.strategyId} />;
    case 'run':
      return <RunPage key={route.runId} runId={route.runId} />;
    case 'compare':
      return <ComparePage key={`${route.a}/${route.b}`} a={route.a} b={route.b} />;
    case 'optimization':
      return <OptimizationPage key={route.optimizationId} id={route.optimizationId} />;
    case 'datasets':
      return <DatasetsPage />;
    case 'settings':
      return <SettingsPage me={props.me} />;
    default:
      return (
        <div className="cf-page" data-testid="not-found">
          <h1>Nothing here</h1>
          <p>
            There is no page at this address. <Link to="/">Go to your strategies</Link>.
          </p>
        </div>
      );
  }
}

export function Routes() {
  const route = useRoute();
  const path = useLocationPath();
  const me = useMe();
  const user = me.data?.user ?? null;
  const meError = useServerError(me.error);
  const redirect = me.isSuccess ? redirectFor(route, user !== null, path) : null;

  useEffect(() => {
    if (redirect) navigate(redirect, { replace: true });
  }, [redirect]);

  if (me.isPending) return <Spinner label="Starting the studio…" />;
  if (me.isError) {
    return (
      <Layout me={null} route={route}>
        <div className="cf-page">
          <ErrorNotice error={meError} testId="startup-error" />
          <button type="button" className="cf-button" onClick={() => void me.refetch()}>
            Try again
          </button>
        </div>
      </Layout>
    );
  }
  if (redirect) return null;

  return (
    <Layout me={user} route={route}>
      <ViewBoundary resetKey={path}>
        <Suspense fallback={<Spinner />}>
          {route.name === 'login' || route.name === 'signup' ? (
            <AuthPage key={route.name} mode={route.name} />
          ) : user ? (
            <Page route={route} me={user} />
          ) : null}
        </Suspense>
      </ViewBoundary>
    </Layout>
  );
}

export function App(props: { queryClient?: QueryClient }) {
  return (
    <QueryClientProvider client={props.queryClient ?? appQueryClient}>
      <Routes />
    </QueryClientProvider>
  );
}
