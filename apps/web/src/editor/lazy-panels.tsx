// Panels from other studio folders (code view, version history, backtest button), code-split. The
// version and backtest modules are looked up with import.meta.glob so the editor builds and renders a
// placeholder while those folders have not shipped yet.
import { type ComponentType, lazy, Suspense } from 'react';

// biome-ignore lint/suspicious/noExplicitAny: the other folders own their props; the editor passes what it knows.
type AnyComponent = ComponentType<any>;
type Loader = () => Promise<unknown>;

const versionModules = import.meta.glob(['../versions/index.ts', '../versions/VersionHistory.tsx']);
const backtestModules = import.meta.glob(['../backtest/BacktestButton.tsx', '../backtest/index.ts']);

function lazyExport(modules: Record<string, Loader>, name: string): AnyComponent | null {
  const loaders = Object.values(modules);
  if (loaders.length === 0) return null;
  return lazy(async () => {
    for (const load of loaders) {
      const mod = (await load()) as Record<string, unknown>;
      if (typeof mod[name] === 'function' || typeof mod[name] === 'object')
        return { default: mod[name] as AnyComponent };
    }
    return { default: () => <Placeholder what={name} /> };
  });
}

export const CodeView = lazy(() => import('../code/CodeView').then((m) => ({ default: m.CodeView })));
const VersionHistoryLazy = lazyExport(versionModules, 'VersionHistory');
const BacktestButtonLazy = lazyExport(backtestModules, 'BacktestButton');

function Placeholder({ what }: { readonly what: string }) {
  return (
    <div className="cf-placeholder" data-testid={`placeholder-${what}`}>
      {what} is not available in this build yet.
    </div>
  );
}

export function Deferred({ children }: { readonly children: React.ReactNode }) {
  return <Suspense fallback={<div className="cf-muted">Loading…</div>}>{children}</Suspense>;
}

export function VersionHistoryPanel(props: { readonly strategyId: string; readonly readOnly: boolean }) {
  if (!VersionHistoryLazy) return <Placeholder what="VersionHistory" />;
  return (
    <Deferred>
      <VersionHistoryLazy {...props} />
    </Deferred>
  );
}

export function BacktestButtonSlot(props: { readonly strategyId: string; readonly disabled: boolean }) {
  if (!BacktestButtonLazy) return <Placeholder what="BacktestButton" />;
  return (
    <Deferred>
      <BacktestButtonLazy {...props} />
    </Deferred>
  );
}
