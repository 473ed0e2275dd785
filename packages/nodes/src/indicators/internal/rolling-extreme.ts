// Rolling maximum or minimum over a fixed window: a monotonic deque in preallocated ring arrays, O(1) amortised.
import { readNumber, readNumbers, readRecord } from './state';

export class RollingExtreme {
  private readonly values: Float64Array;
  private readonly indices: Float64Array;
  private head = 0;
  private size = 0;
  /** Index of the next value pushed. */
  private count = 0;

  constructor(
    readonly period: number,
    readonly kind: 'max' | 'min',
  ) {
    this.values = new Float64Array(period);
    this.indices = new Float64Array(period);
  }

  /** True once `period` values have been pushed. */
  get full(): boolean {
    return this.count >= this.period;
  }

  /** The extreme of the last `period` values (of all values so far while filling). */
  get value(): number {
    return this.values[this.head] as number;
  }

  push(x: number): void {
    const cap = this.period;
    // Expire the front first: indices in the deque increase, so at most one value leaves per push, and
    // the deque then has room for x even when it held a full window of falling (max) values.
    if (this.size > 0 && (this.indices[this.head] as number) <= this.count - cap) {
      this.head = (this.head + 1) % cap;
      this.size--;
    }
    // Drop values from the back that can never be the extreme again while x is in the window.
    while (this.size > 0) {
      const back = this.values[(this.head + this.size - 1) % cap] as number;
      if (this.kind === 'max' ? back <= x : back >= x) this.size--;
      else break;
    }
    const at = (this.head + this.size) % cap;
    this.values[at] = x;
    this.indices[at] = this.count;
    this.size++;
    this.count++;
  }

  snapshot(): unknown {
    const values: number[] = [];
    const indices: number[] = [];
    for (let i = 0; i < this.size; i++) {
      values.push(this.values[(this.head + i) % this.period] as number);
      indices.push(this.indices[(this.head + i) % this.period] as number);
    }
    return { values, indices, count: this.count };
  }

  restore(state: unknown, where: string): void {
    const s = readRecord(state, where);
    const values = readNumbers(s, 'values', where);
    const indices = readNumbers(s, 'indices', where);
    if (values.length !== indices.length || values.length > this.period) {
      throw new Error(
        `${where}: cannot restore snapshot, its deque does not fit a window of ${this.period}; ` +
          'restore into an evaluator created with the same parameters',
      );
    }
    this.head = 0;
    this.size = values.length;
    for (let i = 0; i < values.length; i++) {
      this.values[i] = values[i] as number;
      this.indices[i] = indices[i] as number;
    }
    this.count = readNumber(s, 'count', where);
  }
}
