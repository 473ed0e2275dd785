// The studio's backtest views: the editor's Backtest button and the routed result and compare pages.
// The pages load their charts lazily, so importing them here keeps lightweight-charts out of this chunk.
export { BacktestButton, type BacktestButtonProps } from './BacktestButton';
export { RunPage, type RunPageProps } from './RunPage';
export { ComparePage, type ComparePageProps } from './ComparePage';
