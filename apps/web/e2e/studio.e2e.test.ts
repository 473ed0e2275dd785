/// <reference types="node" />
// The studio in a real browser: the built app served by the real platform server on a fresh database,
// driven in Debian's headless Chromium through one trader's journey (sign up, build an EMA cross from an
// empty canvas, fix a compile error, save, backtest, edit in the code view) and a viewer's visit.
// Screens are saved to apps/web/e2e/artifacts/ for a person to look at.
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
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

// A loaded 2-core machine: wait generously for states, never sleep.
const UI_TIMEOUT = 30_000;
const BACKTEST_TIMEOUT = 150_000;
/** Per scenario, so the root config's 60 s default does not cut one short on a busy machine. */
const SCENARIO_TIMEOUT = 240_000;
const ADMIN = { email: 'ada@example.com', password: 'correct horse battery staple' };
const VIEWER = { email: 'vera@example.com', password: 'another long passphrase here' };

let server: RunningServer;
let browser: Browser;
let admin: BrowserContext;
let page: Page;
let api: Api;
/** Set by the build scenario; the later scenarios work on this strategy. */
let strategyId = '';

async function centre(locator: Locator): Promise<{ x: number; y: number }> {
  const box = await locator.boundingBox();
  if (!box) throw new Error(`${locator} has no box on screen: is it hidden or scrolled away?`);
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

/** Drags a palette entry onto the canvas with HTML5 drag and drop, dropping at (x, y) of the pane. */
async function dropNode(type: string, x: number, y: number) {
  const before = await page.locator('.react-flow__node').count();
  await page
    .getByTestId(`palette-${type}`)
    .dragTo(page.locator('.react-flow__pane'), { targetPosition: { x, y } });
  await expect.poll(() => page.locator('.react-flow__node').count()).toBe(before + 1);
}

/** Draws a wire with the mouse: press on the output handle, move, release on the input handle. */
async function connect(from: string, to: string) {
  const edgesBefore = await page.locator('.react-flow__edge').count();
  const start = await centre(page.getByTestId(`handle-${from.replace('.', '-')}`));
  const end = await centre(page.getByTestId(`handle-${to.replace('.', '-')}`));
  await page.mouse.move(start.x, start.y);
  await page.mouse.down();
  await page.mouse.move((start.x + end.x) / 2, (start.y + end.y) / 2, { steps: 5 });
  await page.mouse.move(end.x, end.y, { steps: 5 });
  await page.mouse.up();
  await expect.poll(() => page.locator('.react-flow__edge').count()).toBe(edgesBefore + 1);
}

async function errorCodes(): Promise<string[]> {
  return page
    .locator('[data-testid^="diagnostic-"].error')
    .evaluateAll((els) => els.map((el) => el.getAttribute('data-code') ?? ''));
}

beforeAll(async () => {
  buildStudio();
  server = await startServer();
  browser = await launchChromium();
  admin = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  admin.setDefaultTimeout(UI_TIMEOUT);
  page = await admin.newPage();
  api = apiFor(admin, server.url);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
}, 60_000);

describe('the studio in Chromium', () => {
  it(
    'signs up the first account as administrator and shows an empty strategy list',
    async () => {
      await signUp(page, server.url, ADMIN);

      await page.getByTestId('strategy-empty').waitFor();
      await expect(page.getByTestId('nav-user').textContent()).resolves.toMatch(/admin/i);
      const me = await api.query<{ user: { email: string; role: string } }>('auth.me');
      expect(me.user).toMatchObject({ email: ADMIN.email, role: 'admin' });
    },
    SCENARIO_TIMEOUT,
  );

  it(
    'builds an EMA cross from an empty canvas by dragging nodes and wiring handles, shows the missing input, and saves once fixed',
    async () => {
      await page.getByTestId('new-strategy').click();
      await page.getByTestId('new-strategy-name').fill('EMA cross by hand');
      await page.getByTestId('new-blank').click();
      await page.waitForURL(/\/strategies\/[^/]+$/);
      strategyId = decodeURIComponent(new URL(page.url()).pathname.split('/').at(-1) ?? '');
      await page.locator('.react-flow__node').first().waitFor();

      // Empty the canvas: the starter nodes all go.
      await page.locator('.react-flow__pane').click({ position: { x: 60, y: 60 } });
      await page.keyboard.press('Control+a');
      await page.keyboard.press('Delete');
      await expect.poll(() => page.locator('.react-flow__node').count()).toBe(0);
      await expect.poll(errorCodes).toContain('NO_ORDERS');

      // Placed in the pane clear of the legend (top right), the minimap (bottom right) and the controls.
      await dropNode('candles', 30, 180);
      await dropNode('ema', 190, 150);
      await dropNode('ema', 190, 260);
      await dropNode('crosses_above', 320, 150);
      await dropNode('crosses_below', 320, 260);
      await dropNode('enter_long', 450, 150);
      await dropNode('exit_long', 450, 260);
      await dropNode('market_order', 580, 150);
      await dropNode('market_order', 580, 260);
      const ids = await page
        .locator('.react-flow__node')
        .evaluateAll((els) => els.map((el) => el.getAttribute('data-id')).sort());
      expect(ids).toEqual(
        [
          'candles',
          'crosses_above',
          'crosses_below',
          'ema',
          'ema_2',
          'enter_long',
          'exit_long',
          'market_order',
          'market_order_2',
        ].sort(),
      );

      await connect('candles.close', 'ema.source');
      await connect('candles.close', 'ema_2.source');
      await connect('ema.value', 'crosses_above.a');
      await connect('ema.value', 'crosses_below.a');
      await connect('ema_2.value', 'crosses_below.b');
      await connect('crosses_above.value', 'enter_long.when');
      await connect('crosses_below.value', 'exit_long.when');
      await connect('enter_long.signal', 'market_order.signal');
      await connect('exit_long.signal', 'market_order_2.signal');

      // crosses_above.b is still open: the compiler says so in the list and on the node.
      await expect.poll(errorCodes).toEqual(['MISSING_INPUT']);
      const problem = page.locator('[data-testid^="diagnostic-"][data-code="MISSING_INPUT"]');
      await expect(problem.textContent()).resolves.toContain('crosses_above.b');
      await expect(page.getByTestId('node-crosses_above').getAttribute('data-severity')).resolves.toBe(
        'error',
      );
      await expect(page.getByTestId('handle-crosses_above-b').getAttribute('class')).resolves.toContain(
        'ring-error',
      );
      await screenshot(page, '03-editor-missing-input');

      await connect('ema_2.value', 'crosses_above.b');
      await page.getByTestId('diagnostics-empty').waitFor();
      expect(await page.getByTestId('node-crosses_above').getAttribute('data-severity')).toBe('none');

      // Fast and slow periods through the inspector.
      await page.getByTestId('node-ema').locator('.cf-node-title').click();
      await page.getByTestId('param-period').fill('12');
      await page.getByTestId('node-ema_2').locator('.cf-node-title').click();
      await page.getByTestId('param-period').fill('26');
      await expect.poll(() => page.getByTestId('node-ema_2').textContent()).toContain('period 26');
      await expect.poll(() => page.getByTestId('node-ema').textContent()).toContain('period 12');
      await page.getByTestId('unsaved-indicator').waitFor();
      await screenshot(page, '04-editor-fixed');

      await page.getByTestId('save').click();
      await page.getByTestId('unsaved-indicator').waitFor({ state: 'detached' });
      await expect(page.getByTestId('editor-title').textContent()).resolves.toContain('v2');

      // The server holds what the canvas shows: 9 nodes, 10 wires, the periods set.
      const saved = await api.query<{
        latest: {
          number: number;
          graph: { nodes: { id: string; params: Record<string, unknown> }[]; edges: unknown[] };
        };
      }>('strategies.get', { id: strategyId });
      expect(saved.latest.number).toBe(2);
      expect(saved.latest.graph.nodes).toHaveLength(9);
      expect(saved.latest.graph.edges).toHaveLength(10);
      expect(saved.latest.graph.nodes.find((n) => n.id === 'ema_2')?.params.period).toBe(26);
    },
    SCENARIO_TIMEOUT,
  );

  it(
    'runs a backtest with one click and shows metrics, charts and trades',
    async () => {
      expect(strategyId, 'the build scenario must have created the strategy').not.toBe('');
      await page.getByTestId('backtest-run').click();
      await page.getByTestId('run-page').waitFor({ timeout: BACKTEST_TIMEOUT });
      const runId = decodeURIComponent(new URL(page.url()).pathname.split('/').at(-1) ?? '');

      await page.getByTestId('metric-totalReturnPct').waitFor();
      const cards = await page.locator('.bt-card[data-testid^="metric-"]').count();
      expect(cards).toBeGreaterThanOrEqual(6);
      for (const chart of ['chart-equity', 'chart-drawdown', 'chart-price']) {
        await page.getByTestId(chart).locator('canvas').first().waitFor();
      }
      const rows = page.locator('tr[data-testid^="trade-"]');
      await rows.first().waitFor();

      // The table and the trade-count card agree with the server's own result.
      const result = await api.query<{ trades: unknown[]; metrics: { tradeCount: number } }>(
        'backtests.result',
        { id: runId },
      );
      expect(result.trades.length).toBeGreaterThan(0);
      expect(await rows.count()).toBe(result.trades.length);
      const countText = (await page.getByTestId('metric-tradeCount').textContent()) ?? '';
      expect(countText.replace(/[^\d]/g, '')).toContain(String(result.metrics.tradeCount));
      // Let the lazily drawn charts settle before the picture.
      await page.waitForFunction(() => document.querySelectorAll('.bt-page canvas').length >= 3);
      // No realism warnings with the default costs, so the section is not dressed as a warning.
      await expect(page.getByTestId('run-warnings').getAttribute('class')).resolves.not.toContain(
        'bt-warnings',
      );
      await screenshot(page, '05-backtest-result', { fullPage: true });
    },
    SCENARIO_TIMEOUT,
  );

  it(
    'follows a parameter edited in the code view on the canvas',
    async () => {
      await page.goto(`${server.url}/strategies/${encodeURIComponent(strategyId)}`);
      await page.getByTestId('node-ema_2').waitFor();
      await page.getByTestId('view-split').click();
      const line = page.locator('.cm-line', { hasText: /^ema_2 = ema\(/ });
      await line.waitFor();

      // Double-click the number to select it, then type over it.
      const box = await line.evaluate((el) => {
        const text = el.textContent ?? '';
        const at = text.indexOf('26');
        const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
        let offset = 0;
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          const length = node.textContent?.length ?? 0;
          if (at >= offset && at < offset + length) {
            const range = document.createRange();
            range.setStart(node, at - offset);
            range.setEnd(node, at - offset + 2);
            const r = range.getBoundingClientRect();
            return { x: r.x + r.width / 2, y: r.y + r.height / 2 };
          }
          offset += length;
        }
        return null;
      });
      expect(box, 'the slow EMA line should show period 26').not.toBeNull();
      await page.mouse.dblclick(box!.x, box!.y);
      await page.keyboard.type('40');

      await expect
        .poll(() => page.getByTestId('code-status').textContent())
        .toContain('Applied to the canvas');
      await expect.poll(() => page.getByTestId('node-ema_2').textContent()).toContain('period 40');
      await page.getByTestId('unsaved-indicator').waitFor();
      await screenshot(page, '06-code-view');

      // A syntax error leaves the canvas alone.
      await page.keyboard.type(' (');
      await expect.poll(() => page.getByTestId('code-status').textContent()).toMatch(/Syntax errors/);
      expect(await page.getByTestId('node-ema_2').textContent()).toContain('period 40');
    },
    SCENARIO_TIMEOUT,
  );

  it(
    'shows the strategy list, datasets and settings screens',
    async () => {
      await page.getByTestId('view-canvas').click();
      await page.goto(`${server.url}/`);
      await page.locator(`[data-testid="strategy-row-${strategyId}"]`).waitFor();
      await screenshot(page, '01-strategy-list');
      await page.getByTestId('nav-datasets').click();
      await page.locator('[data-testid^="dataset-row-"]').first().waitFor();
      await screenshot(page, '07-datasets');
      await page.getByTestId('nav-settings').click();
      await page.getByTestId('password-form').waitFor();
      await screenshot(page, '08-settings');
    },
    SCENARIO_TIMEOUT,
  );

  it(
    'reads on a phone: the editor shows one pane at a time',
    async () => {
      const phone = await browser.newContext({
        viewport: { width: 390, height: 844 },
        deviceScaleFactor: 2,
        isMobile: true,
        hasTouch: true,
        storageState: await admin.storageState(),
      });
      try {
        const p = await phone.newPage();
        p.setDefaultTimeout(UI_TIMEOUT);
        await p.goto(`${server.url}/`);
        await p.locator(`[data-testid="strategy-row-${strategyId}"]`).waitFor();
        await screenshot(p, '09-phone-strategy-list');
        await p.goto(`${server.url}/strategies/${encodeURIComponent(strategyId)}`);
        await p.getByTestId('node-ema').waitFor();
        expect(await p.getByTestId('pane-canvas').isVisible()).toBe(true);
        expect(await p.getByTestId('palette').isVisible()).toBe(false);
        // Nothing wider than the phone: no sideways scrolling.
        const overflow = await p.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        expect(overflow).toBeLessThanOrEqual(0);
        await screenshot(p, '10-phone-editor');
        await p.getByTestId('pane-palette').click();
        await p.getByTestId('palette').waitFor();
        expect(await p.getByTestId('canvas').isVisible()).toBe(false);
      } finally {
        await phone.close();
      }
    },
    SCENARIO_TIMEOUT,
  );

  it('lets a viewer open a shared strategy but not change or run it', async () => {
    await api.mutate('strategies.setVisibility', { id: strategyId, visibility: 'PUBLIC' });
    const visitor = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    try {
      visitor.setDefaultTimeout(UI_TIMEOUT);
      const p = await visitor.newPage();
      await signUp(p, server.url, VIEWER);
      const users = await api.query<{ users: { id: string; email: string }[] }>('users.list', {});
      const vera = users.users.find((u) => u.email === VIEWER.email);
      expect(vera, 'the second account should be listed for the administrator').toBeDefined();
      await api.mutate('users.setRole', { userId: vera!.id, role: 'viewer' });

      await p.goto(`${server.url}/`);
      await p.getByTestId('viewer-notice').waitFor();
      expect(await p.getByTestId('new-strategy').count()).toBe(0);

      await p.goto(`${server.url}/strategies/${encodeURIComponent(strategyId)}`);
      await p.getByTestId('node-ema').waitFor();
      await p.getByText('Read-only').waitFor();
      expect(await p.getByTestId('save').isDisabled()).toBe(true);
      await p.getByTestId('backtest-run').waitFor();
      expect(await p.getByTestId('backtest-run').isDisabled()).toBe(true);
      expect(await p.getByTestId('palette-ema').isDisabled()).toBe(true);
      // …and looks it.
      const opacity = await p
        .getByTestId('palette-ema')
        .evaluate((el) => Number(getComputedStyle(el).opacity));
      expect(opacity).toBeLessThan(1);
      expect(await p.getByTestId('auto-layout').isDisabled()).toBe(true);
      const connectable = await p
        .locator('.react-flow__handle')
        .evaluateAll((els) => els.filter((el) => el.classList.contains('connectable')).length);
      expect(connectable).toBe(0);

      // Selecting a node shows its form, disabled; Delete removes nothing.
      await p.getByTestId('node-ema').locator('.cf-node-title').click();
      expect(await p.getByTestId('param-period').isDisabled()).toBe(true);
      const nodes = await p.locator('.react-flow__node').count();
      await p.keyboard.press('Delete');
      expect(await p.locator('.react-flow__node').count()).toBe(nodes);
      expect(await p.getByTestId('unsaved-indicator').count()).toBe(0);

      // The code view is read-only text.
      await p.getByTestId('view-split').click();
      await p.locator('.cm-content').waitFor();
      expect(await p.locator('.cm-content').getAttribute('contenteditable')).toBe('false');
      await screenshot(p, '11-viewer-editor');

      // And the server refuses a viewer's save whatever the page shows.
      const { latest } = await api.query<{ latest: { graph: unknown } }>('strategies.get', {
        id: strategyId,
      });
      await expect(
        apiFor(visitor, server.url).mutate('versions.save', { strategyId, graph: latest.graph }),
      ).rejects.toThrow(/answered 403/);
    } finally {
      await visitor.close();
    }
  });
});
