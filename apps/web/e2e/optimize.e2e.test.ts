/// <reference types="node" />
// One-click optimize in a real browser: the built studio on the real platform server (embedded runner,
// fresh database) in Debian's headless Chromium. A trader opens the EMA-cross example, optimizes a small
// grid with walk-forward on the demo dataset, watches it finish, reads the results, heat map, importance,
// walk-forward, Monte Carlo and the overfitting explanations, and applies the best parameters as a new
// version. Then a larger Bayesian run is followed from the editor's list of optimizations and cancelled,
// and the finished one is opened again from that list. Screens (dark and light, desktop and phone) go to
// apps/web/e2e/artifacts/ to be looked at.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Api,
  apiFor,
  buildStudio,
  launchChromium,
  type RunningServer,
  screenshot,
  signUp,
  startServer,
} from './harness';

const UI_TIMEOUT = 30_000;
/** 63 backtests of 5,000 bars plus statistics on a busy 2-core machine. */
const OPTIMIZE_TIMEOUT = 240_000;
const SCENARIO_TIMEOUT = 300_000;
const TRADER = { email: 'otto@example.com', password: 'optimize me honestly please' };

let server: RunningServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let api: Api;
let strategyId = '';
let optimizationUrl = '';
/** The version number Apply saved. */
let appliedVersion = 0;

async function fill(testId: string, value: string) {
  const input = page.getByTestId(testId);
  await input.fill(value);
}

/** The editor's list of the strategy's optimizations, opened. */
async function openOptimizationList(p: Page) {
  await p.getByTestId('optimizations-open').click();
  await p.getByTestId('optimization-list').waitFor();
  return p.getByTestId('optimization-item');
}

const optimizationIdOf = (url: string) => decodeURIComponent(new URL(url).pathname.split('/').at(-1) ?? '');

beforeAll(async () => {
  buildStudio();
  server = await startServer();
  browser = await launchChromium();
  context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  context.setDefaultTimeout(UI_TIMEOUT);
  page = await context.newPage();
  api = apiFor(context, server.url);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
}, 60_000);

describe('optimize in the studio', () => {
  it(
    'opens the EMA-cross example and the optimize form, refuses an inverted range at its field, and estimates the small grid',
    async () => {
      await signUp(page, server.url, TRADER);

      await page.getByTestId('new-strategy').click();
      await page.getByTestId('template-ema-cross').click();
      await page.waitForURL(/\/strategies\/[^/]+$/);
      strategyId = decodeURIComponent(new URL(page.url()).pathname.split('/').at(-1) ?? '');
      await page.locator('.react-flow__node').first().waitFor();

      // The user has no dataset yet: opening the form generates the demo one.
      await page.getByTestId('optimize-open').click();
      await page.getByTestId('optimize-form').waitFor({ timeout: 60_000 });
      await expect(page.getByTestId('op-dataset').textContent()).resolves.toContain('5,000 bars');
      await expect(page.getByTestId('op-constraints').textContent()).resolves.toContain('fast < slow');

      await page.getByTestId('op-method').selectOption('grid');
      for (const name of ['rsiPeriod', 'rsiMax', 'atrMult'])
        await page.getByTestId(`op-fixed-${name}`).check();
      await fill('op-min-fast', '30');
      await fill('op-max-fast', '9');
      await fill('op-step-fast', '1');
      // The server's refusal sits in the fast row, and Start stays disabled while it stands.
      const refusal = page.getByTestId('op-error-ranges.fast');
      await refusal.waitFor();
      expect(await refusal.textContent()).toMatch(/fast/);
      await expect.poll(() => page.getByTestId('op-estimate').getAttribute('data-state')).toBe('refused');
      expect(await page.getByTestId('op-start').isDisabled()).toBe(true);
      await screenshot(page, 'opt-01-form-refused');

      await fill('op-min-fast', '5');
      await fill('op-min-slow', '20');
      await fill('op-max-slow', '30');
      await fill('op-step-slow', '5');
      await page.getByTestId('op-walk-forward').selectOption('rolling');
      await fill('op-folds', '3');
      await fill('op-min-trades', '1');
      await expect.poll(() => page.getByTestId('op-estimate').getAttribute('data-state')).toBe('ok');
      // 5 × 3 combinations per search, on the whole dataset and in 3 folds, plus 3 out-of-sample tests.
      await expect(page.getByTestId('op-estimate').textContent()).resolves.toMatch(
        /^63 trials: 15 per search/,
      );
      expect(await page.getByTestId('op-start').isEnabled()).toBe(true);
      await screenshot(page, 'opt-02-form');
    },
    SCENARIO_TIMEOUT,
  );

  it(
    'starts, follows progress to the end and shows every result section with the overfitting explained',
    async () => {
      await page.getByTestId('op-start').click();
      await page.waitForURL(/\/optimizations\/[^/]+$/);
      optimizationUrl = page.url();
      await page.getByTestId('optimization-status').waitFor();
      await screenshot(page, 'opt-03-running');

      await page
        .locator('[data-testid="optimization-page"][data-status="SUCCEEDED"]')
        .waitFor({ timeout: OPTIMIZE_TIMEOUT });
      await page.getByTestId('optimization-best').waitFor();

      // Trials: the 15 search combinations, sorted best first, with the searched parameters as columns.
      await expect.poll(() => page.getByTestId('results-row').count()).toBe(15);
      const header = await page.getByTestId('results-table').locator('thead').textContent();
      expect(header).toContain('fast');
      expect(header).toContain('slow');
      await page.getByTestId('results-phase').selectOption('out_of_sample');
      await expect.poll(() => page.getByTestId('results-row').count()).toBe(3);
      await page.getByTestId('results-phase').selectOption('search');

      // Heat map of fast × slow: 5 × 3 cells.
      await expect.poll(() => page.getByTestId('heatmap-cell').count()).toBe(15);
      await page.getByTestId('heatmap-legend').waitFor();
      await page.getByTestId('heatmap-cell').first().hover();
      await expect(page.getByTestId('heatmap-hover').textContent()).resolves.toMatch(/^fast \d+, slow \d+: /);

      await page.getByTestId('importance-fast').waitFor();
      await page.getByTestId('importance-slow').waitFor();

      await expect.poll(() => page.getByTestId('wf-folds').locator('tbody tr').count()).toBe(3);
      await page.getByTestId('wf-efficiency').waitFor();
      await page.getByTestId('chart-equity').waitFor();

      await page.getByTestId('monte-carlo').waitFor();
      await page.getByTestId('mc-reshuffle').waitFor();
      await page.getByTestId('mc-fan').first().waitFor();

      const overfitting = await page.getByTestId('overfitting').textContent();
      expect(overfitting).toContain('Deflated Sharpe ratio');
      expect(overfitting).toContain('Probability of backtest overfitting');
      expect(overfitting).toContain('What it means');
      expect(overfitting).toContain('Few trading platforms show these two numbers');

      await screenshot(page, 'opt-04-result-dark', { fullPage: true });
      for (const section of ['heatmap', 'monte-carlo']) {
        await page.getByTestId(`section-${section}`).scrollIntoViewIfNeeded();
        await screenshot(page, `opt-04-${section}-dark`);
      }
      await page.getByTestId('theme-toggle').click();
      await expect.poll(() => page.evaluate(() => document.documentElement.dataset.theme)).toBe('light');
      await screenshot(page, 'opt-05-result-light', { fullPage: true });
      await page.getByTestId('theme-toggle').click();
    },
    SCENARIO_TIMEOUT,
  );

  it(
    'applies the best parameters as a new version whose defaults are those values',
    async () => {
      const id = optimizationIdOf(optimizationUrl);
      const optimization = await api.query<{ best: { params: Record<string, number> } }>(
        'optimizations.get',
        { id },
      );
      const before = await api.query<{ number: number }[]>('versions.list', { strategyId });

      await page.getByTestId('apply-best').click();
      const toast = page.getByTestId('op-toast');
      await toast.waitFor();
      expect(await toast.textContent()).toMatch(/Saved as version \d+/);
      await screenshot(page, 'opt-06-applied');

      const after = await api.query<{ id: string; number: number }[]>('versions.list', { strategyId });
      expect(after.length).toBe(before.length + 1);
      const newest = after[0]!;
      appliedVersion = newest.number;
      const version = await api.query<{ graph: { params: { name: string; default: unknown }[] } }>(
        'versions.get',
        {
          id: newest.id,
        },
      );
      const defaults = Object.fromEntries(version.graph.params.map((p) => [p.name, p.default]));
      expect(defaults).toMatchObject(optimization.best.params);

      await page.getByTestId('applied-link').click();
      await page.waitForURL(/\/strategies\/[^/]+$/);
      await page.locator('.react-flow__node').first().waitFor();
      // The editor opens the new version, not the one it had loaded before.
      expect(await page.getByTestId('editor-title').textContent()).toContain(`v${newest.number}`);
    },
    SCENARIO_TIMEOUT,
  );

  it(
    "follows a larger Bayesian run from the editor's list, cancels it, and opens the finished one from the list",
    async () => {
      // In the editor of the applied version: a 5,000-trial Bayesian search, far longer than this test waits.
      await page.getByTestId('optimize-open').click();
      await page.getByTestId('optimize-form').waitFor();
      await page.getByTestId('op-method').selectOption('bayesian');
      await fill('op-trials', '5000');
      await expect.poll(() => page.getByTestId('op-estimate').getAttribute('data-state')).toBe('ok');
      await expect(page.getByTestId('op-estimate').textContent()).resolves.toMatch(/^5,000 trials/);
      await page.getByTestId('op-start').click();
      await page.waitForURL(/\/optimizations\/[^/]+$/);
      const runningId = optimizationIdOf(page.url());
      await page.locator('[data-testid="optimization-page"][data-status="RUNNING"]').waitFor();

      // Back in the editor the list shows it running, with its progress moving, above the finished one.
      await page.getByTestId('back-to-strategy').click();
      await page.waitForURL(/\/strategies\/[^/]+$/);
      await expect.poll(() => page.getByTestId('optimizations-count').textContent()).toBe('1 running');
      const items = await openOptimizationList(page);
      await expect.poll(() => items.count()).toBe(2);
      const running = items.first();
      expect(await running.getAttribute('data-status')).toBe('RUNNING');
      expect(await running.textContent()).toContain(`v${appliedVersion} · bayesian search · Sharpe ratio`);
      const percentOf = async () => Number((await running.locator('progress').getAttribute('value')) ?? 0);
      await expect.poll(percentOf, { timeout: 60_000 }).toBeGreaterThan(0);
      const finished = items.nth(1);
      expect(await finished.getAttribute('data-status')).toBe('SUCCEEDED');
      expect(await finished.textContent()).toContain('v1 · grid search · Sharpe ratio');
      expect(await finished.getByTestId('optimization-item-best').textContent()).toMatch(
        /^Best -?\d+\.\d\d with fast \d+ · slow \d+/,
      );
      await screenshot(page, 'opt-09-list-running-dark');

      // Open the running one from the list and cancel it there.
      await running.locator('a').click();
      await page.waitForURL(new RegExp(`/optimizations/${runningId}$`));
      await page.getByTestId('optimization-cancel').click();
      await page
        .locator('[data-testid="optimization-page"][data-status="CANCELED"]')
        .waitFor({ timeout: 60_000 });
      expect(await page.getByTestId('optimization-status').textContent()).toContain('Cancelled');
      expect(await page.getByTestId('optimization-cancel').count()).toBe(0);
      await screenshot(page, 'opt-10-cancelled');

      // The list says so (seen in the light theme this time), and opens the finished optimization again.
      await page.getByTestId('back-to-strategy').click();
      await page.waitForURL(/\/strategies\/[^/]+$/);
      await page.getByTestId('theme-toggle').click();
      const after = await openOptimizationList(page);
      await expect.poll(() => after.first().getAttribute('data-status')).toBe('CANCELED');
      expect(await page.getByTestId('optimizations-count').textContent()).toBe('2');
      await screenshot(page, 'opt-11-list-light');
      await after.nth(1).locator('a').click();
      await page.waitForURL(optimizationUrl);
      await page.locator('[data-testid="optimization-page"][data-status="SUCCEEDED"]').waitFor();
      await page.getByTestId('theme-toggle').click();
      await page.getByTestId('section-results').waitFor();
    },
    SCENARIO_TIMEOUT,
  );

  it(
    'reads on a phone: the result page fits the screen',
    async () => {
      const phone = await browser.newContext({
        viewport: { width: 390, height: 844 },
        deviceScaleFactor: 2,
        isMobile: true,
        hasTouch: true,
        storageState: await context.storageState(),
      });
      try {
        const p = await phone.newPage();
        p.setDefaultTimeout(UI_TIMEOUT);
        await p.goto(optimizationUrl);
        await p.locator('[data-testid="optimization-page"][data-status="SUCCEEDED"]').waitFor();
        await p.getByTestId('heatmap-legend').waitFor();
        const overflow = await p.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        expect(overflow).toBeLessThanOrEqual(0);
        await screenshot(p, 'opt-07-phone-result');
        for (const section of ['results', 'heatmap', 'walk-forward', 'monte-carlo']) {
          await p.getByTestId(`section-${section}`).scrollIntoViewIfNeeded();
          await screenshot(p, `opt-07-phone-${section}`);
        }

        await p.goto(`${server.url}/strategies/${encodeURIComponent(strategyId)}`);
        await p.getByTestId('optimizations-count').waitFor();
        await screenshot(p, 'opt-08-phone-editor');
        const items = await openOptimizationList(p);
        await expect.poll(() => items.count()).toBe(2);
        expect(
          await p.evaluate(() => document.documentElement.scrollWidth - window.innerWidth),
        ).toBeLessThanOrEqual(0);
        await screenshot(p, 'opt-08-phone-list');
        await p.getByTestId('optimizations-close').click();
        await p.getByTestId('optimize-open').click();
        await p.getByTestId('optimize-form').waitFor();
        await screenshot(p, 'opt-08-phone-form');
      } finally {
        await phone.close();
      }
    },
    SCENARIO_TIMEOUT,
  );
});
