// `candleflow data import|fetch|generate|list`: getting candles in, checked, and seeing what is there.
import { mkdirSync, readdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import {
  fetchCandles,
  generateCandles,
  importCandlesFile,
  readCandleCacheHeader,
  writeCandleCache,
  writeCandlesCsv,
} from '@candleflow/data';
import type { Command } from 'commander';
import { DATASET_EXTENSION, datasetFile, describeImport } from '../data-source';
import { dataDirectory } from '../env';
import { parseDate, parsePositive } from '../options';
import { createProgress } from '../progress';
import { fmtTime } from '../report/format';
import { UsageError } from '../strategy-file';
import type { CommandIo } from './backtest';

export function registerDataCommands(program: Command, io: CommandIo): void {
  const data = program.command('data').description('import, fetch, generate and list candle data');

  data
    .command('import <file>')
    .description('check a candle CSV and store it as a dataset (columnar, fast to reload)')
    .requiredOption('--symbol <symbol>', 'what the candles are, e.g. BTC/USDT')
    .option('--timeframe <tf>', 'expected timeframe (default: inferred)')
    .option('--gaps <mode>', 'keep or fill missing bars', 'keep')
    .option('--name <name>', 'dataset name (default: the file name)')
    .action((file: string, options: { symbol: string; timeframe?: string; gaps: string; name?: string }) => {
      if (options.gaps !== 'keep' && options.gaps !== 'fill')
        throw new UsageError('--gaps: use keep or fill');
      const { series, report } = importCandlesFile(file, {
        symbol: options.symbol,
        gaps: options.gaps,
        ...(options.timeframe !== undefined ? { timeframe: options.timeframe } : {}),
      });
      const name = options.name ?? basename(file).replace(/\.[^.]+$/, '');
      const target = datasetFile(name);
      mkdirSync(dirname(target), { recursive: true });
      writeCandleCache(target, series, { report });
      for (const note of describeImport(report)) io.out(note);
      for (const gap of report.gaps.slice(0, 5)) {
        io.out(`  gap: ${fmtTime(gap.from)} → ${fmtTime(gap.to)} (${gap.missingBars} bars)`);
      }
      io.out(`stored dataset "${name}" (${target}), data hash ${report.hash.slice(0, 16)}`);
    });

  data
    .command('generate')
    .description('generate seeded synthetic candles (trending, ranging and volatile regimes)')
    .option('--symbol <symbol>', 'symbol', 'BTC/USDT')
    .option('--timeframe <tf>', 'timeframe', '1h')
    .option('--bars <n>', 'number of bars', '8760')
    .option('--seed <n>', 'random seed', '1')
    .option('--start <date>', 'first bar (UTC)', '2024-01-01')
    .option('--start-price <price>', 'first price', '30000')
    .requiredOption('--out <file>', 'CSV file to write (or a dataset name with --dataset)')
    .option('--dataset', 'store as a dataset named --out instead of a CSV file')
    .action((options: Record<string, string | boolean>) => {
      const bars = Math.floor(parsePositive(String(options.bars), '--bars'));
      const series = generateCandles({
        symbol: String(options.symbol),
        timeframe: String(options.timeframe),
        bars,
        seed: Number(options.seed),
        start: parseDate(String(options.start), '--start'),
        startPrice: parsePositive(String(options.startPrice), '--start-price'),
      });
      const out = String(options.out);
      if (options.dataset) {
        const target = datasetFile(out);
        mkdirSync(dirname(target), { recursive: true });
        writeCandleCache(target, series, { generated: { seed: Number(options.seed) } });
        io.out(`stored dataset "${out}" with ${bars} ${series.timeframe} bars of ${series.symbol}`);
      } else {
        mkdirSync(dirname(out), { recursive: true });
        writeCandlesCsv(series, out);
        io.out(`wrote ${bars} ${series.timeframe} bars of ${series.symbol} to ${out}`);
      }
    });

  data
    .command('fetch')
    .description('download candles from an exchange through ccxt (resumes an existing file)')
    .requiredOption('--exchange <id>', 'ccxt exchange id, e.g. binance')
    .requiredOption('--symbol <symbol>', 'e.g. BTC/USDT')
    .option('--timeframe <tf>', 'timeframe', '1h')
    .requiredOption('--since <date>', 'first bar (UTC)')
    .option('--until <date>', 'stop before this time (default: now)')
    .requiredOption('--out <file>', 'CSV file to write or resume')
    .action(
      async (options: {
        exchange: string;
        symbol: string;
        timeframe: string;
        since: string;
        until?: string;
        out: string;
      }) => {
        const progress = io.isTty ? createProgress('fetch', 'bars') : null;
        const result = await fetchCandles({
          exchange: options.exchange,
          symbol: options.symbol,
          timeframe: options.timeframe,
          since: parseDate(options.since, '--since'),
          ...(options.until !== undefined ? { until: parseDate(options.until, '--until') } : {}),
          out: options.out,
          onProgress: progress ? (done: number, total: number) => progress.update(done, total) : undefined,
        });
        progress?.stop();
        io.out(`${options.out}: ${JSON.stringify(result)}`);
      },
    );

  data
    .command('list')
    .description('list stored datasets')
    .action(() => {
      const dir = dataDirectory();
      let files: string[] = [];
      try {
        files = readdirSync(dir).filter((f) => f.endsWith(DATASET_EXTENSION));
      } catch {
        // No data directory yet: nothing imported.
      }
      if (files.length === 0) {
        io.out(`no datasets in ${dir} (use candleflow data import or data generate --dataset)`);
        return;
      }
      for (const file of files.sort()) {
        const header = readCandleCacheHeader(join(dir, file));
        io.out(
          `${file.slice(0, -DATASET_EXTENSION.length).padEnd(24)} ${header.symbol.padEnd(12)} ${header.timeframe.padEnd(4)} ${String(header.count).padStart(9)} bars  ${header.hash.slice(0, 12)}`,
        );
      }
    });
}
