// @vitest-environment happy-dom
// The editor's list of a strategy's optimizations, with the list served by the test: each entry's status,
// version, method, objective, best value and parameters and link; the count in the toolbar button; a
// running entry followed until it finishes (and no asking after that); an empty or failing list explained.
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { ListOptimizations, OptimizationSummary } from './api';
import { PastOptimizations } from './PastOptimizations';

const metrics = {
  sharpe: 2.58,
  sortino: 3.1,
  calmar: 1.2,
  totalReturnPct: 101.2,
  annualReturnPct: 60,
  profitFactor: 1.5,
  maxDrawdownPct: 31.2,
  trades: 105,
  winRatePct: 25.7,
  finalEquity: 20_120,
};

function summary(overrides: Partial<OptimizationSummary> & { id: string }): OptimizationSummary {
  return {
    status: 'SUCCEEDED',
    progress: 1,
    doneTrials: 1200,
    totalTrials: 1200,
    method: 'grid',
    objectiveLabel: 'Sharpe ratio',
    best: { index: 5, params: { fast: 6, slow: 30 }, objective: 2.58, metrics },
    error: null,
    datasetName: 'BTC 1h',
    queuedAt: '2030-03-04T05:06:00.000Z',
    finishedAt: '2030-03-04T05:09:00.000Z',
    versionNumber: 1,
    ...overrides,
  };
}

/** A list that answers with the next of `answers` each time (the last one from then on), and records the calls. */
function serve(...answers: (readonly OptimizationSummary[] | Error)[]) {
  const calls: { strategyId: string; limit: number }[] = [];
  const list: ListOptimizations = async (strategyId, limit) => {
    calls.push({ strategyId, limit });
    const answer = answers[Math.min(calls.length, answers.length) - 1]!;
    if (answer instanceof Error) throw answer;
    return answer;
  };
  return { list, calls };
}

function mount(list: ListOptimizations, pollMs = 20) {
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <QueryClientProvider client={queryClient}>
      <PastOptimizations strategyId="s1" list={list} pollMs={pollMs} />
    </QueryClientProvider>,
  );
}

const items = () => screen.getAllByTestId('optimization-item');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

afterEach(cleanup);

describe('PastOptimizations', () => {
  it("lists the strategy's optimizations with what was searched, the best found and a link to each", async () => {
    const server = serve([
      summary({
        id: 'o2',
        method: 'bayesian',
        objectiveLabel: 'Calmar ratio',
        versionNumber: 3,
        best: null,
        status: 'CANCELED',
      }),
      summary({ id: 'o1' }),
    ]);
    mount(server.list);

    fireEvent.click(await screen.findByTestId('optimizations-open'));
    await screen.findByTestId('optimization-list');

    expect(server.calls[0]).toEqual({ strategyId: 's1', limit: 20 });
    const [cancelled, finished] = items();
    expect(cancelled!.dataset.status).toBe('CANCELED');
    expect(cancelled!.textContent).toContain('Cancelled');
    expect(cancelled!.textContent).toContain('v3 · bayesian search · Calmar ratio');
    expect(cancelled!.textContent).toContain('No result');
    expect(finished!.textContent).toContain('Finished');
    expect(finished!.textContent).toContain('v1 · grid search · Sharpe ratio');
    expect(finished!.querySelector('[data-testid="optimization-item-best"]')!.textContent).toBe(
      'Best 2.58 with fast 6 · slow 30',
    );
    expect(finished!.querySelector('a')!.getAttribute('href')).toBe('/optimizations/o1');
    expect(finished!.querySelector('progress')).toBeNull();
  });

  it('shows how many trials ran on which dataset, and why a failed optimization failed', async () => {
    mount(
      serve([
        summary({
          id: 'o2',
          status: 'FAILED',
          doneTrials: 40,
          totalTrials: 120,
          best: null,
          datasetName: 'ETH 15m',
          error: 'trial 40: the dataset is no longer available',
          finishedAt: null,
        }),
        summary({ id: 'o1' }),
      ]).list,
    );
    fireEvent.click(await screen.findByTestId('optimizations-open'));
    await screen.findByTestId('optimization-list');

    const [failed, finished] = items();
    const text = (item: HTMLElement, id: string) => item.querySelector(`[data-testid="${id}"]`)?.textContent;
    expect(text(failed!, 'optimization-item-trials')).toBe('40 of 120 trials on ETH 15m');
    expect(text(failed!, 'optimization-item-error')).toBe('trial 40: the dataset is no longer available');
    expect(text(finished!, 'optimization-item-trials')).toBe('1,200 of 1,200 trials on BTC 1h');
    expect(text(finished!, 'optimization-item-error')).toBeUndefined();
  });

  it('counts the optimizations on the button, or says how many are running', async () => {
    mount(serve([summary({ id: 'o1' }), summary({ id: 'o2' })]).list);
    await waitFor(() => expect(screen.getByTestId('optimizations-count').textContent).toBe('2'));
    cleanup();

    mount(serve([summary({ id: 'o3', status: 'RUNNING', progress: 0.4 }), summary({ id: 'o1' })]).list);
    await waitFor(() => expect(screen.getByTestId('optimizations-count').textContent).toBe('1 running'));
  });

  it('follows a running optimization until it finishes, then stops asking', async () => {
    const running = summary({ id: 'o1', status: 'RUNNING', progress: 0.4, best: null });
    const better = summary({ id: 'o1', status: 'RUNNING', progress: 0.7 });
    const server = serve([running], [better], [summary({ id: 'o1' })]);
    mount(server.list);
    fireEvent.click(await screen.findByTestId('optimizations-open'));

    await waitFor(() => expect(items()[0]!.textContent).toContain('Running 40%'));
    expect(items()[0]!.textContent).toContain('No trial has finished yet');
    expect(items()[0]!.querySelector('progress')!.value).toBe(40);
    await waitFor(() => expect(items()[0]!.textContent).toContain('Best so far 2.58 with fast 6 · slow 30'));
    await waitFor(() => expect(items()[0]!.dataset.status).toBe('SUCCEEDED'));
    expect(items()[0]!.textContent).toContain('Best 2.58');

    const asked = server.calls.length;
    await sleep(200); // ten poll intervals
    expect(server.calls.length).toBe(asked);
  });

  it('says when the strategy has no optimization yet', async () => {
    mount(serve([]).list);
    fireEvent.click(screen.getByTestId('optimizations-open'));

    expect((await screen.findByTestId('optimizations-empty')).textContent).toContain('None yet');
    expect(screen.queryByTestId('optimizations-count')).toBeNull();
  });

  it('reports a list that cannot be fetched', async () => {
    mount(serve(new Error('socket closed')).list);
    fireEvent.click(screen.getByTestId('optimizations-open'));

    expect((await screen.findByRole('alert')).textContent).toContain(
      'Could not list the optimizations: socket closed',
    );
  });

  it('closes on Escape, on its close button and on a click elsewhere', async () => {
    mount(serve([summary({ id: 'o1' })]).list);
    const toggle = screen.getByTestId('optimizations-open');

    fireEvent.click(toggle);
    await screen.findByTestId('optimizations-menu');
    expect(toggle.getAttribute('aria-expanded')).toBe('true');
    fireEvent.keyDown(window, { key: 'Escape' });
    expect(screen.queryByTestId('optimizations-menu')).toBeNull();

    fireEvent.click(toggle);
    fireEvent.click(screen.getByTestId('optimizations-close'));
    expect(screen.queryByTestId('optimizations-menu')).toBeNull();

    fireEvent.click(toggle);
    fireEvent.pointerDown(screen.getByTestId('optimization-list'));
    expect(screen.getByTestId('optimizations-menu')).toBeTruthy();
    fireEvent.pointerDown(document.body);
    expect(screen.queryByTestId('optimizations-menu')).toBeNull();
  });
});
