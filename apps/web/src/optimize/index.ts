// The studio's optimize views: the editor's Optimize button and the routed optimization page.
export { OptimizeButton, type OptimizeButtonProps } from './OptimizeButton';
export { OptimizationPage, type OptimizationPageProps } from './OptimizationPage';
