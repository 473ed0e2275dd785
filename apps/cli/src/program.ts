// The `candleflow` command line: backtest, compile, fmt and data tools over the strategy core.
import { Command, Option } from 'commander';
import { type BacktestOptions, backtestCommand, type CommandIo } from './commands/backtest';
import { compileCommand, fmtCommand } from './commands/compile';
import { registerDataCommands } from './commands/data';
import { debugEnabled } from './env';
import { UsageError } from './strategy-file';

const io: CommandIo = {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
  isTty: Boolean(process.stderr.isTTY),
};

const collect = (value: string, previous: string[] = []) => [...previous, value];

export function buildProgram(): Command {
  const program = new Command('candleflow')
    .description('Candleflow: compile, backtest and manage data for visual trading strategies')
    .showHelpAfterError();

  program
    .command('backtest <strategy>')
    .description('backtest a strategy (graph .json or DSL text .cf) on candle data')
    .option('--data <file|dataset|SYMBOL=file>', 'candle data (repeat for several symbols)', collect, [])
    .option('--symbol <symbol>', "the data's symbol, e.g. BTC/USDT (default: the strategy's)")
    .option('--timeframe <tf>', "the data's timeframe (default: inferred from the data)")
    .option('--from <date>', 'first bar to test (UTC)')
    .option('--to <date>', 'test bars before this time (UTC)')
    .option('--cash <amount>', 'starting equity in the quote currency', '10000')
    .option('--fee <rate>', 'maker and taker fee per fill: 0.001, 0.1% or 10bps')
    .option('--maker-fee <rate>', 'maker fee per fill')
    .option('--taker-fee <rate>', 'taker fee per fill')
    .option('--slippage <rate>', 'proportional slippage on taker fills: 0.0002, 0.02% or 2bps')
    .addOption(new Option('--fill <when>', 'when market orders fill').choices(['next-open', 'close']))
    .addOption(new Option('--market <kind>', 'account type').choices(['perp', 'spot']))
    .option('--leverage <x>', 'perpetual futures leverage', undefined)
    .option('--funding <rate>', 'perpetual funding rate per 8 hours (0 = none; default 0.01%)')
    .option('--volume-share <share>', 'max share of a bar volume one order may fill (1 = no cap)')
    .option('--param <name=value>', 'override a strategy parameter (repeatable)', collect, [])
    .addOption(new Option('--sizing <mode>', 'position sizing').choices(['strategy', 'all-in-units']))
    .option('--exclusive', 'an opposite entry closes the open position first, then opens the new one')
    .option('--close-at-end', 'close open trades at the last bar')
    .addOption(new Option('--gaps <mode>', 'missing bars in the data').choices(['keep', 'fill']))
    .addOption(
      new Option('--annualisation <convention>', 'ratio annualisation').choices(['crypto', 'backtesting.py']),
    )
    .addOption(new Option('--kernel <mode>', 'strategy kernel').choices(['fast', 'evaluator']))
    .option('--json', 'print one JSON object instead of the table')
    .option('--report <file.html>', 'write an HTML report')
    .action(async (strategy: string, options: BacktestOptions) => {
      process.exitCode = await backtestCommand(strategy, options, io);
    });

  program
    .command('compile <graph>')
    .description('print the DSL text of a strategy, or its compile errors')
    .option('--json', 'print the validated graph JSON instead')
    .action((graph: string, options: { json?: boolean }) => {
      process.exitCode = compileCommand(graph, options, io);
    });

  program
    .command('fmt <file>')
    .description('rewrite DSL text in canonical form')
    .option('--write', 'rewrite the file in place')
    .option('--check', 'exit 1 if the file is not in canonical form')
    .action((file: string, options: { write?: boolean; check?: boolean }) => {
      process.exitCode = fmtCommand(file, options, io);
    });

  registerDataCommands(program, io);
  return program;
}

export async function main(argv: readonly string[]): Promise<void> {
  try {
    await buildProgram().parseAsync(argv as string[]);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`candleflow: ${error.message}`);
      process.exitCode = 2;
      return;
    }
    // Data errors (CsvImportError and friends) carry file and line; print them without a stack trace.
    const e = error as Error;
    io.err(`candleflow: ${e.message}`);
    if (debugEnabled()) io.err(e.stack ?? '');
    process.exitCode = 1;
  }
}
