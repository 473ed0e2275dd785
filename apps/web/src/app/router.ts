// The studio's router: a table of path patterns, a pure matcher, and history-API navigation
// (the server answers every client route with index.html, so deep links and reloads work).
import { type MouseEvent, useSyncExternalStore } from 'react';

export type Route =
  | { readonly name: 'login' }
  | { readonly name: 'signup' }
  | { readonly name: 'strategies' }
  | { readonly name: 'editor'; readonly strategyId: string }
  | { readonly name: 'run'; readonly runId: string }
  | { readonly name: 'compare'; readonly a: string; readonly b: string }
  | { readonly name: 'optimization'; readonly optimizationId: string }
  | { readonly name: 'datasets' }
  | { readonly name: 'settings' }
  | { readonly name: 'notFound'; readonly path: string };

type RouteName = Exclude<Route['name'], 'notFound'>;

/** Patterns in match order; `:name` captures one non-empty path segment. */
export const ROUTES: ReadonlyArray<readonly [string, RouteName]> = [
  ['/', 'strategies'],
  ['/login', 'login'],
  ['/signup', 'signup'],
  ['/strategies/:strategyId', 'editor'],
  ['/runs/:runId', 'run'],
  ['/compare/:a/:b', 'compare'],
  ['/optimizations/:optimizationId', 'optimization'],
  ['/datasets', 'datasets'],
  ['/settings', 'settings'],
];

/** Routes anyone may open; every other route sends a signed-out visitor to /login. */
export const PUBLIC_ROUTES: ReadonlySet<Route['name']> = new Set(['login', 'signup']);

function matchPattern(pattern: string, segments: readonly string[]): Record<string, string> | null {
  const parts = pattern.split('/').filter(Boolean);
  if (parts.length !== segments.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i] as string;
    const segment = segments[i] as string;
    if (part.startsWith(':')) {
      try {
        params[part.slice(1)] = decodeURIComponent(segment);
      } catch {
        return null;
      }
    } else if (part !== segment) {
      return null;
    }
  }
  return params;
}

/** The route for a pathname (query and hash ignored; a trailing slash is tolerated). */
export function matchRoute(pathname: string): Route {
  const path = pathname.split(/[?#]/)[0] ?? '/';
  const segments = path.split('/').filter(Boolean);
  for (const [pattern, name] of ROUTES) {
    const params = matchPattern(pattern, segments);
    if (params) return { name, ...params } as Route;
  }
  return { name: 'notFound', path };
}

/** The path of a route, with its parameters escaped: the inverse of matchRoute. */
export function pathFor(route: Exclude<Route, { name: 'notFound' }>): string {
  const e = encodeURIComponent;
  switch (route.name) {
    case 'strategies':
      return '/';
    case 'editor':
      return `/strategies/${e(route.strategyId)}`;
    case 'run':
      return `/runs/${e(route.runId)}`;
    case 'compare':
      return `/compare/${e(route.a)}/${e(route.b)}`;
    case 'optimization':
      return `/optimizations/${e(route.optimizationId)}`;
    default:
      return `/${route.name}`;
  }
}

const NAVIGATED = 'candleflow:navigate';

function currentPath(): string {
  return typeof location === 'undefined' ? '/' : location.pathname + location.search;
}

/** Goes to a path inside the studio without reloading the page. */
export function navigate(to: string, options: { replace?: boolean } = {}): void {
  if (to === currentPath()) return;
  if (options.replace) history.replaceState(null, '', to);
  else history.pushState(null, '', to);
  window.dispatchEvent(new Event(NAVIGATED));
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener('popstate', onChange);
  window.addEventListener(NAVIGATED, onChange);
  return () => {
    window.removeEventListener('popstate', onChange);
    window.removeEventListener(NAVIGATED, onChange);
  };
}

/** The current path and query; re-renders on navigate() and the browser's back/forward. */
export function useLocationPath(): string {
  return useSyncExternalStore(subscribe, currentPath, () => '/');
}

/** The current route. */
export function useRoute(): Route {
  return matchRoute(useLocationPath());
}

/**
 * Click handler for links: plain left clicks navigate in place; modified clicks (new tab, new
 * window) are left to the browser so they still work like ordinary links.
 */
export function linkClick(to: string) {
  return (event: MouseEvent<HTMLAnchorElement>) => {
    if (event.defaultPrevented || event.button !== 0) return;
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    navigate(to);
  };
}
