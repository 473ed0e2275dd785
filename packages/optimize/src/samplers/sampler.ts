// What every search method offers the optimization job: ask for candidates, tell their results.
import type { ParamSet } from '../spec';

export interface Sampler {
  /** Up to `count` new, distinct, constraint-satisfying ParamSets; fewer (or none) when the space is exhausted. */
  ask(count: number): ParamSet[];
  /** Results of evaluated sets; value null = infeasible or failed (worst). Higher value is better. */
  tell(results: readonly { readonly params: ParamSet; readonly value: number | null }[]): void;
}
