// The heavy views other folders own (canvas editor, run results, comparison, template gallery),
// loaded on demand so the strategy list and sign-in stay small. import.meta.glob finds the modules
// that exist, so the shell builds and runs while a view is still being written.
import { type ComponentType, lazy } from 'react';

type Module = Record<string, unknown>;

const modules = import.meta.glob<Module>([
  '../editor/EditorPage.tsx',
  '../editor/index.ts',
  '../backtest/RunPage.tsx',
  '../backtest/ComparePage.tsx',
  '../backtest/index.ts',
  '../templates/TemplateGallery.tsx',
  '../templates/index.ts',
]);

/** Where each view may live, most specific first (the folder's index may pull in more). */
const CANDIDATES: Record<string, readonly string[]> = {
  EditorPage: ['../editor/EditorPage.tsx', '../editor/index.ts'],
  RunPage: ['../backtest/RunPage.tsx', '../backtest/index.ts'],
  ComparePage: ['../backtest/ComparePage.tsx', '../backtest/index.ts'],
  TemplateGallery: ['../templates/TemplateGallery.tsx', '../templates/index.ts'],
};

/** Stands in for a view whose module is not in this build (yet). */
function Unavailable() {
  return (
    <div className="cf-notice" role="status" data-testid="missing-view">
      This view is not part of this build yet.
    </div>
  );
}

/** Finds a named export among the candidate modules; exported for tests with their own table. */
export async function loadNamed<P extends object>(
  name: string,
  table: Record<string, () => Promise<Module>> = modules,
  candidates: readonly string[] = CANDIDATES[name] ?? [],
): Promise<{ default: ComponentType<P> }> {
  for (const path of candidates) {
    const load = table[path];
    if (!load) continue;
    const component = (await load())[name];
    if (typeof component === 'function' || (typeof component === 'object' && component !== null)) {
      return { default: component as ComponentType<P> };
    }
  }
  return { default: Unavailable as ComponentType<P> };
}

export const EditorPage = lazy(() => loadNamed<{ strategyId: string; id: string }>('EditorPage'));
export const RunPage = lazy(() => loadNamed<{ runId: string; id: string }>('RunPage'));
export const ComparePage = lazy(() => loadNamed<{ a: string; b: string }>('ComparePage'));
export const TemplateGallery = lazy(() =>
  loadNamed<{ onCreated: (strategyId: string) => void }>('TemplateGallery'),
);
