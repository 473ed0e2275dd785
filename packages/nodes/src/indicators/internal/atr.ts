// Wilder's average true range as a building block (atr, keltner, supertrend). The first bar has no previous
// close, so true ranges start at the second bar and the first ATR, the mean of `period` true ranges, is
// available at bar index `period` (the TA-Lib / technicalindicators convention).
import type { Bar } from '@candleflow/strategy-dsl';
import { trueRange } from './candle';
import { Smoother } from './smoothing';
import { readNested, readNumber, readRecord, storeNumber } from './state';

export class AverageTrueRange {
  private readonly smoother: Smoother;
  private previousClose = Number.NaN;

  constructor(readonly period: number) {
    this.smoother = new Smoother(period, 'wilder');
  }

  get ready(): boolean {
    return this.smoother.ready;
  }

  get value(): number {
    return this.smoother.value;
  }

  push(bar: Bar): void {
    if (!Number.isNaN(this.previousClose)) this.smoother.push(trueRange(bar, this.previousClose));
    this.previousClose = bar.close;
  }

  snapshot(): unknown {
    return { previousClose: storeNumber(this.previousClose), smoother: this.smoother.snapshot() };
  }

  restore(state: unknown, where: string): void {
    const s = readRecord(state, where);
    this.previousClose = readNumber(s, 'previousClose', where);
    this.smoother.restore(readNested(s, 'smoother', where), where);
  }
}
