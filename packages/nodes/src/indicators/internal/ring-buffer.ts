// A fixed-capacity window of the most recent numbers, backed by one preallocated Float64Array.
import { readNumbers, readRecord, type StoredNumber, storeNumbers } from './state';

export class RingBuffer {
  private readonly data: Float64Array;
  /** Index in `data` of the oldest value. */
  private head = 0;
  private size = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new Error(`RingBuffer: capacity must be a positive integer, got ${capacity}`);
    }
    this.data = new Float64Array(capacity);
  }

  get length(): number {
    return this.size;
  }

  get full(): boolean {
    return this.size === this.capacity;
  }

  /** Appends `x`; returns the value that fell out of the window, or NaN while the window is filling. */
  push(x: number): number {
    if (this.size < this.capacity) {
      this.data[(this.head + this.size) % this.capacity] = x;
      this.size++;
      return Number.NaN;
    }
    const evicted = this.data[this.head] as number;
    this.data[this.head] = x;
    this.head = (this.head + 1) % this.capacity;
    return evicted;
  }

  /** The i-th value, 0 = oldest. */
  get(i: number): number {
    return this.data[(this.head + i) % this.capacity] as number;
  }

  /** The value `back` steps before the newest (0 = newest). */
  fromEnd(back: number): number {
    return this.get(this.size - 1 - back);
  }

  snapshot(): { values: StoredNumber[] } {
    const values = new Array<number>(this.size);
    for (let i = 0; i < this.size; i++) values[i] = this.get(i);
    return { values: storeNumbers(values) };
  }

  restore(state: unknown, where: string): void {
    const values = readNumbers(readRecord(state, where), 'values', where);
    if (values.length > this.capacity) {
      throw new Error(
        `${where}: cannot restore snapshot, it holds ${values.length} values but the window is ${this.capacity}; ` +
          'restore into an evaluator created with the same parameters',
      );
    }
    this.head = 0;
    this.size = values.length;
    for (let i = 0; i < values.length; i++) this.data[i] = values[i] as number;
  }
}
