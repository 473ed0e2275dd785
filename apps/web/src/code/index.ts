// The code view, its text analysis and the DSL colouring, for the editor page and tests.
export { analyzeText, minimalChange, type TextAnalysis, type TextProblem, type TextStatus } from './analyze';
export { type CodeStatus, CodeSync, type CodeSyncOptions } from './code-sync';
export { CodeView, type CodeViewProps } from './CodeView';
export { type DslToken, type DslTokenClass, tokenizeLine } from './highlight';
