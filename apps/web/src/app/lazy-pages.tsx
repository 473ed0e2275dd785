// The heavy views other folders own (canvas editor, run results, comparison, optimization, template gallery),
// each loaded on first use so sign-in and the strategy list stay small.
import { lazy } from 'react';

export const EditorPage = lazy(() => import('../editor/EditorPage').then((m) => ({ default: m.EditorPage })));
export const RunPage = lazy(() => import('../backtest/RunPage').then((m) => ({ default: m.RunPage })));
export const ComparePage = lazy(() =>
  import('../backtest/ComparePage').then((m) => ({ default: m.ComparePage })),
);
export const OptimizationPage = lazy(() =>
  import('../optimize/OptimizationPage').then((m) => ({ default: m.OptimizationPage })),
);
export const TemplateGallery = lazy(() =>
  import('../templates/TemplateGallery').then((m) => ({ default: m.TemplateGallery })),
);
