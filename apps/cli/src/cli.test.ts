// The `candleflow` bin end to end, as a user runs it: real processes, real files, exit codes and output.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..', '..');
const bin = join(root, 'apps', 'cli', 'bin', 'candleflow.js');
const goog = join(root, '..', 'shared', 'data', 'GOOG.csv');
const work = mkdtempSync(join(tmpdir(), 'candleflow-cli-'));
const env = { ...process.env, CANDLEFLOW_DATA_DIR: join(work, 'data') };

function run(args: readonly string[]) {
  const result = spawnSync(process.execPath, [bin, ...args], { cwd: root, env, encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('candleflow backtest', () => {
  it('prints one JSON object with the required metrics for the bundled example and demo data', () => {
    const { code, stdout, stderr } = run([
      'backtest',
      'examples/ema-cross.json',
      '--data',
      'examples/data/demo-btc-1h.csv',
      '--json',
    ]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    for (const key of [
      'tradeCount',
      'finalEquity',
      'totalReturnPct',
      'maxDrawdownPct',
      'sharpe',
      'winRatePct',
      'profitFactor',
    ]) {
      expect(report.metrics).toHaveProperty(key);
    }
    expect(report.metrics.tradeCount).toBeGreaterThan(10);
    expect(report.trades).toHaveLength(report.metrics.tradeCount);
    expect(report.metrics.feesPaid).toBeGreaterThan(0);
    expect(report.provenance.paramValues).toEqual({
      fast: 12,
      slow: 26,
      rsiPeriod: 14,
      rsiMax: 70,
      atrMult: 2,
    });
    expect(report.provenance.dataHashes['BTC/USDT']).toMatch(/^[0-9a-f]{64}$/);
  });

  it('prints the metrics table and writes an HTML report with equity, drawdown and trades', () => {
    const out = join(work, 'report.html');
    const { code, stdout } = run([
      'backtest',
      'examples/ema-cross.json',
      '--data',
      'examples/data/demo-btc-1h.csv',
      '--param',
      'fast=8',
      '--report',
      out,
    ]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/Total return\s+-?[\d,.]+ %/);
    expect(stdout).toMatch(/Sharpe\s+/);
    expect(stdout).toContain('"fast":8');
    const html = readFileSync(out, 'utf8');
    expect(html).toContain('<h2>Equity</h2><svg');
    expect(html).toContain('<h2>Drawdown (%)</h2><svg');
    expect(html).toMatch(/<h2>Trades \(\d+\)<\/h2>/);
  });

  it('refuses an unknown --param with the strategy error and exit code 1', () => {
    const { code, stderr } = run([
      'backtest',
      'examples/sma-cross.json',
      '--data',
      'examples/data/demo-btc-1h.csv',
      '--param',
      'fats=3',
    ]);
    expect(code).toBe(1);
    expect(stderr).toContain('UNKNOWN_STRATEGY_PARAM');
    expect(stderr).toContain('fast');
  });

  it('reports a violated constraint instead of running', () => {
    const { code, stderr } = run([
      'backtest',
      'examples/sma-cross.json',
      '--data',
      'examples/data/demo-btc-1h.csv',
      '--param',
      'fast=40',
    ]);
    expect(code).toBe(1);
    expect(stderr).toContain('CONSTRAINT_VIOLATED');
  });

  it('rejects a corrupt CSV naming the file and the line', () => {
    const bad = join(work, 'bad.csv');
    writeFileSync(
      bad,
      'timestamp,open,high,low,close,volume\n1700000000000,10,11,9,10,5\n1700003600000,10,9,11,10,5\n',
    );
    const { code, stderr } = run(['backtest', 'examples/sma-cross.json', '--data', bad]);
    expect(code).toBe(1);
    expect(stderr).toContain(`${bad}:3`);
    expect(stderr).not.toContain('    at ');
  });

  it.skipIf(!existsSync(goog))('reproduces backtesting.py on GOOG through the compatibility options', () => {
    const { code, stdout } = run([
      'backtest',
      'examples/sma-cross.json',
      '--data',
      goog,
      '--symbol',
      'GOOG/USD',
      '--param',
      'slow=30',
      '--fee',
      '0',
      '--slippage',
      '0',
      '--volume-share',
      '1',
      '--funding',
      '0',
      '--sizing',
      'all-in-units',
      '--exclusive',
      '--annualisation',
      'backtesting.py',
      '--json',
    ]);
    expect(code).toBe(0);
    const { metrics } = JSON.parse(stdout);
    expect(metrics.tradeCount).toBe(65);
    expect(metrics.finalEquity).toBeCloseTo(51959.95, 2);
    expect(metrics.sharpe).toBeCloseTo(0.5837177650097084, 4);
  });
});

describe('candleflow compile and fmt', () => {
  it('prints the DSL text of a graph', () => {
    const { code, stdout } = run(['compile', 'examples/ema-cross.json']);
    expect(code).toBe(0);
    expect(`${stdout.trimEnd()}\n`).toBe(readFileSync(join(root, 'examples', 'ema-cross.cf'), 'utf8'));
  });

  it('prints compile errors with the node and the port', () => {
    const graph = JSON.parse(readFileSync(join(root, 'examples', 'sma-cross.json'), 'utf8'));
    graph.edges = graph.edges.filter(
      (e: { target: string; targetPort: string }) => !(e.target === 'fast_sma' && e.targetPort === 'source'),
    );
    const file = join(work, 'broken.json');
    writeFileSync(file, JSON.stringify(graph));
    const { code, stderr } = run(['compile', file]);
    expect(code).toBe(1);
    expect(stderr).toMatch(/MISSING_INPUT \(node fast_sma, port source\)/);
  });

  it('fmt --check fails on untidy text and fmt --write makes it canonical', () => {
    const file = join(work, 'untidy.cf');
    writeFileSync(
      file,
      readFileSync(join(root, 'examples', 'sma-cross.cf'), 'utf8')
        .replaceAll('(', '(  ')
        .replaceAll(' = ', '   =  '),
    );
    expect(run(['fmt', '--check', file]).code).toBe(1);
    expect(run(['fmt', '--write', file]).code).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(readFileSync(join(root, 'examples', 'sma-cross.cf'), 'utf8'));
  });

  it('reports a syntax error with line and column', () => {
    const file = join(work, 'syntax.cf');
    writeFileSync(file, 'strategy "x"\n\ncandles = candles(symbol: "BTC/USDT" timeframe: "1h")\n');
    const { code, stderr } = run(['fmt', file]);
    expect(code).toBe(1);
    expect(stderr).toMatch(/line 3:\d+/);
  });
});

describe('candleflow data', () => {
  it('generates, imports, lists and backtests a stored dataset', () => {
    const csv = join(work, 'gen.csv');
    expect(
      run(['data', 'generate', '--timeframe', '1h', '--bars', '3000', '--seed', '7', '--out', csv]).code,
    ).toBe(0);
    const imported = run(['data', 'import', csv, '--symbol', 'BTC/USDT', '--name', 'gen']);
    expect(imported.code).toBe(0);
    expect(imported.stdout).toContain('3000 1h bars of BTC/USDT');
    const listed = run(['data', 'list']);
    expect(listed.stdout).toMatch(/gen\s+BTC\/USDT\s+1h\s+3000 bars/);
    const backtest = run(['backtest', 'examples/sma-cross.json', '--data', 'gen', '--json']);
    expect(backtest.code).toBe(0);
    expect(JSON.parse(backtest.stdout).bars).toBe(3000);
  });

  it('the shipped demo data is what the seeded generator produces', () => {
    const csv = join(work, 'demo.csv');
    execFileSync(
      process.execPath,
      [
        bin,
        'data',
        'generate',
        '--symbol',
        'BTC/USDT',
        '--timeframe',
        '1h',
        '--bars',
        '17520',
        '--seed',
        '42',
        '--start',
        '2024-01-01',
        '--start-price',
        '30000',
        '--out',
        csv,
      ],
      { env },
    );
    expect(readFileSync(csv, 'utf8')).toBe(
      readFileSync(join(root, 'examples', 'data', 'demo-btc-1h.csv'), 'utf8'),
    );
  });
});
