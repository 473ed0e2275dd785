// The graph compiler: graph JSON + node catalog → diagnostics and a Plan.
export { compile, DEFAULT_MAX_NODES } from './compile';
export { type Constraint, type ConstraintOp, parseConstraint } from './strategy-params';
