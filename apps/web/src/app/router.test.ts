// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { matchRoute, navigate, pathFor, type Route } from './router';

describe('matchRoute', () => {
  it.each<[string, Route]>([
    ['/', { name: 'strategies' }],
    ['/login', { name: 'login' }],
    ['/signup/', { name: 'signup' }],
    ['/strategies/abc', { name: 'editor', strategyId: 'abc' }],
    ['/runs/r-9?tab=trades', { name: 'run', runId: 'r-9' }],
    ['/compare/a1/b2', { name: 'compare', a: 'a1', b: 'b2' }],
    ['/optimizations/o-1', { name: 'optimization', optimizationId: 'o-1' }],
    ['/datasets', { name: 'datasets' }],
    ['/settings#tokens', { name: 'settings' }],
  ])('maps %s', (path, route) => {
    expect(matchRoute(path)).toEqual(route);
  });

  it('decodes escaped parameters', () => {
    expect(matchRoute('/strategies/a%20b')).toEqual({ name: 'editor', strategyId: 'a b' });
  });

  it('reports unknown paths, extra segments and bad escapes as not found', () => {
    expect(matchRoute('/nope')).toEqual({ name: 'notFound', path: '/nope' });
    expect(matchRoute('/strategies/a/b')).toMatchObject({ name: 'notFound' });
    expect(matchRoute('/strategies')).toMatchObject({ name: 'notFound' });
    expect(matchRoute('/runs/%E0%A4%A')).toMatchObject({ name: 'notFound' });
  });
});

describe('pathFor', () => {
  it('is the inverse of matchRoute, escaping parameters', () => {
    const routes: Exclude<Route, { name: 'notFound' }>[] = [
      { name: 'strategies' },
      { name: 'settings' },
      { name: 'editor', strategyId: 'x/y' },
      { name: 'compare', a: 'r 1', b: 'r2' },
      { name: 'run', runId: 'z' },
      { name: 'optimization', optimizationId: 'o 1' },
    ];
    for (const route of routes) expect(matchRoute(pathFor(route))).toEqual(route);
    expect(pathFor({ name: 'editor', strategyId: 'x/y' })).toBe('/strategies/x%2Fy');
  });
});

describe('navigate', () => {
  it('pushes history and tells listeners', () => {
    let heard = 0;
    window.addEventListener('candleflow:navigate', () => heard++);
    const before = history.length;

    navigate('/datasets');
    navigate('/datasets');

    expect(location.pathname).toBe('/datasets');
    expect(history.length).toBe(before + 1);
    expect(heard).toBe(1);
  });

  it('replaces the entry when asked', () => {
    navigate('/settings');
    const before = history.length;
    navigate('/login', { replace: true });
    expect(location.pathname).toBe('/login');
    expect(history.length).toBe(before);
  });
});
