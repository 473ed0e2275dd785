// Rolling mean and population variance over a fixed window in O(1) per value (sliding Welford update).
import { RingBuffer } from './ring-buffer';
import { readNested, readNumber, readRecord } from './state';

export class RollingMoments {
  private readonly window: RingBuffer;
  private mean = 0;
  /** Sum of squared deviations from the mean. */
  private m2 = 0;
  /** Slides since the last exact recomputation. */
  private slides = 0;

  constructor(readonly period: number) {
    this.window = new RingBuffer(period);
  }

  get full(): boolean {
    return this.window.full;
  }

  get average(): number {
    return this.mean;
  }

  /** Population variance (divides by the window length), never negative. */
  get variance(): number {
    return this.window.length === 0 ? 0 : Math.max(0, this.m2 / this.window.length);
  }

  push(x: number): void {
    if (!this.window.full) {
      this.window.push(x);
      const n = this.window.length;
      const delta = x - this.mean;
      this.mean += delta / n;
      this.m2 += delta * (x - this.mean);
      return;
    }
    const y = this.window.push(x);
    const oldMean = this.mean;
    this.mean += (x - y) / this.period;
    this.m2 += (x - y) * (x - this.mean + y - oldMean);
    // Sliding updates accumulate rounding error over millions of bars; an exact two-pass recomputation once
    // per window length keeps the error bounded at O(1) amortised cost.
    if (++this.slides >= this.period) this.recompute();
  }

  private recompute(): void {
    const n = this.window.length;
    let sum = 0;
    for (let i = 0; i < n; i++) sum += this.window.get(i);
    const mean = sum / n;
    let m2 = 0;
    for (let i = 0; i < n; i++) {
      const d = this.window.get(i) - mean;
      m2 += d * d;
    }
    this.mean = mean;
    this.m2 = m2;
    this.slides = 0;
  }

  snapshot(): unknown {
    return { window: this.window.snapshot(), mean: this.mean, m2: this.m2, slides: this.slides };
  }

  restore(state: unknown, where: string): void {
    const s = readRecord(state, where);
    this.window.restore(readNested(s, 'window', where), where);
    this.mean = readNumber(s, 'mean', where);
    this.m2 = readNumber(s, 'm2', where);
    this.slides = readNumber(s, 'slides', where);
  }
}
