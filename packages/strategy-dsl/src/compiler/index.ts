// The graph compiler: graph JSON + node catalog → diagnostics and a Plan.
export { compile, DEFAULT_MAX_NODES } from './compile';
export {
  type Constraint,
  type ConstraintOp,
  holds as constraintHolds,
  parseConstraint,
  rangeHint as paramRangeHint,
  valueProblem as paramValueProblem,
} from './strategy-params';
export { didYouMean } from './words';
