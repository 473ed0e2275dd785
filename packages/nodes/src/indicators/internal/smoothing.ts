// Exponential smoothing seeded with the simple average of the first `period` values, the convention of
// most references (TA-Lib, technicalindicators). EMA uses alpha = 2/(period+1), Wilder's RMA alpha = 1/period.
import { readNumber, readRecord, storeNumber } from './state';

export class Smoother {
  private readonly alpha: number;
  private seen = 0;
  private sum = 0;
  private current = Number.NaN;

  constructor(
    readonly period: number,
    kind: 'ema' | 'wilder',
  ) {
    this.alpha = kind === 'ema' ? 2 / (period + 1) : 1 / period;
  }

  /** True from the `period`-th value on. */
  get ready(): boolean {
    return this.seen >= this.period;
  }

  /** The smoothed value; NaN until ready. */
  get value(): number {
    return this.current;
  }

  push(x: number): number {
    if (this.seen < this.period) {
      this.sum += x;
      this.seen++;
      if (this.seen === this.period) this.current = this.sum / this.period;
      return this.current;
    }
    this.current += this.alpha * (x - this.current);
    return this.current;
  }

  snapshot(): unknown {
    return { seen: this.seen, sum: this.sum, current: storeNumber(this.current) };
  }

  restore(state: unknown, where: string): void {
    const s = readRecord(state, where);
    this.seen = readNumber(s, 'seen', where);
    this.sum = readNumber(s, 'sum', where);
    this.current = readNumber(s, 'current', where);
  }
}
