// Panels from other studio folders (code view, version history, backtest and optimize buttons), code-split
// so the canvas route loads without CodeMirror or the backtest and optimize forms until they are shown.
import { lazy, type ReactNode, Suspense } from 'react';

export const CodeView = lazy(() => import('../code/CodeView').then((m) => ({ default: m.CodeView })));
const VersionHistory = lazy(() =>
  import('../versions/VersionHistory').then((m) => ({ default: m.VersionHistory })),
);
const BacktestButton = lazy(() =>
  import('../backtest/BacktestButton').then((m) => ({ default: m.BacktestButton })),
);
const OptimizeButton = lazy(() =>
  import('../optimize/OptimizeButton').then((m) => ({ default: m.OptimizeButton })),
);

export function Deferred({ children, what }: { readonly children: ReactNode; readonly what?: string }) {
  return (
    <Suspense
      fallback={
        <span className="cf-muted" data-testid={what ? `loading-${what}` : undefined}>
          Loading…
        </span>
      }
    >
      {children}
    </Suspense>
  );
}

export function VersionHistoryPanel(props: { readonly readOnly: boolean }) {
  return (
    <Deferred what="versions">
      <VersionHistory readOnly={props.readOnly} />
    </Deferred>
  );
}

export function BacktestButtonSlot(props: { readonly strategyId: string; readonly readOnly: boolean }) {
  return (
    <Deferred what="backtest">
      <BacktestButton strategyId={props.strategyId} disabled={props.readOnly} />
    </Deferred>
  );
}

export function OptimizeButtonSlot(props: { readonly strategyId: string; readonly readOnly: boolean }) {
  return (
    <Deferred what="optimize">
      <OptimizeButton strategyId={props.strategyId} disabled={props.readOnly} />
    </Deferred>
  );
}
