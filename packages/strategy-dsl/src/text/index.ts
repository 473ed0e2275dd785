// The DSL text: canonical printer, parser with positioned diagnostics, formatter, and position merging.
export { type FormatTextResult, formatText } from './format';
export { type ParseTextResult, parseText } from './parser';
export { mergePositions, NEW_NODE_OFFSET } from './positions';
export { canonicalEdgeOrder, MAX_LINE_LENGTH, printGraph } from './printer';
