// Writes candles as CSV (ISO UTC times) for demo files that people open in a spreadsheet.
import { closeSync, openSync, writeSync } from 'node:fs';
import type { CandleSeries } from '../types';

const CHUNK = 50_000;

export function writeCandlesCsv(series: CandleSeries, path: string): void {
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, 'timestamp,open,high,low,close,volume\n');
    const n = series.time.length;
    // Chunks keep memory flat for millions of rows while avoiding a syscall per row.
    for (let from = 0; from < n; from += CHUNK) {
      const lines: string[] = [];
      for (let i = from; i < Math.min(n, from + CHUNK); i++) {
        lines.push(
          `${new Date(series.time[i] ?? 0).toISOString()},${series.open[i]},${series.high[i]},${series.low[i]},${series.close[i]},${series.volume[i]}\n`,
        );
      }
      writeSync(fd, lines.join(''));
    }
  } finally {
    closeSync(fd);
  }
}
