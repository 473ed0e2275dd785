// @vitest-environment happy-dom
// The Optimize button and its form in a DOM with a fake server: the estimate's trial count enables
// Start; a refusal is shown next to the field its issue names and disables Start; a field the form
// itself cannot read is marked without asking the server; Start submits and opens the optimization.
import { type Graph, GraphSchema } from '@candleflow/strategy-dsl';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import emaCrossJson from '../../../../examples/ema-cross.json';
import { createEditorStore, EditorProvider } from '../editor/store';

const server = vi.hoisted(() => ({ estimates: [] as unknown[], submitted: [] as unknown[] }));

vi.mock('../api/client', async (importOriginal) => {
  const original = await importOriginal<typeof import('../api/client')>();
  const refusal = (path: string, message: string) =>
    Object.assign(new Error(message), {
      data: { code: 'VALIDATION_FAILED', message, details: { issues: [{ path, message }] }, httpStatus: 400 },
    });
  const fake = {
    auth: { me: { query: async () => ({ user: { id: 'u1', role: 'trader' } }) } },
    datasets: {
      list: {
        query: async () => [
          {
            id: 'd1',
            name: 'Demo',
            symbol: 'BTC/USDT',
            timeframe: '1h',
            bars: 5000,
            firstTime: 0,
            lastTime: 1e10,
          },
        ],
      },
      generate: { mutate: async () => ({}) },
    },
    optimizations: {
      estimate: {
        query: async (input: { spec: { ranges: Record<string, { min?: number; max?: number }> } }) => {
          server.estimates.push(input);
          const fast = input.spec.ranges.fast;
          if (fast?.min !== undefined && fast.max !== undefined && fast.min > fast.max) {
            throw refusal('spec.ranges.fast.min', `fast: min ${fast.min} is above max ${fast.max}`);
          }
          return { trials: 15, searchTrials: 15, gridSize: 15, folds: 0, warnings: [], bars: 5000 };
        },
      },
      list: { query: async () => [] },
      submit: {
        mutate: async (input: unknown) => {
          server.submitted.push(input);
          return { id: 'opt-7' };
        },
      },
    },
  };
  return { ...original, trpc: fake };
});

const { OptimizeButton } = await import('./OptimizeButton');
const emaCross: Graph = GraphSchema.parse(emaCrossJson);

function mount() {
  const saved = { id: 'v1', number: 4, contentHash: 'h' };
  const store = createEditorStore({
    strategyId: 's1',
    initialGraph: emaCross,
    savedVersion: saved,
    compileDelayMs: 0,
  });
  render(
    <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
      <EditorProvider strategyId="s1" initialGraph={emaCross} savedVersion={saved} store={store}>
        <OptimizeButton strategyId="s1" />
      </EditorProvider>
    </QueryClientProvider>,
  );
}

async function openForm() {
  mount();
  await waitFor(() =>
    expect((screen.getByTestId('optimize-open') as HTMLButtonElement).disabled).toBe(false),
  );
  fireEvent.click(screen.getByTestId('optimize-open'));
  await screen.findByTestId('optimize-form');
}

const start = () => screen.getByTestId('op-start') as HTMLButtonElement;
const type = (testId: string, value: string) =>
  fireEvent.change(screen.getByTestId(testId), { target: { value } });

beforeEach(() => {
  server.estimates = [];
  server.submitted = [];
  history.replaceState(null, '', '/strategies/s1');
});
afterEach(cleanup);

describe('OptimizeButton', () => {
  it('opens the form prefilled from the strategy, shows the estimate and starts the optimization', async () => {
    await openForm();
    expect((screen.getByTestId('op-min-fast') as HTMLInputElement).value).toBe('2');
    expect(screen.getByTestId('op-constraints').textContent).toContain('fast < slow');

    await waitFor(() => expect(screen.getByTestId('op-estimate').dataset.state).toBe('ok'), {
      timeout: 3000,
    });
    expect(screen.getByTestId('op-estimate').textContent).toContain('15 trials');
    expect(start().disabled).toBe(false);

    fireEvent.click(start());
    await waitFor(() => expect(location.pathname).toBe('/optimizations/opt-7'));
    expect(server.submitted[0]).toMatchObject({ strategyVersionId: 'v1', datasetId: 'd1' });
  });

  it('shows the server refusal next to the field it names and disables Start', async () => {
    await openForm();
    type('op-min-fast', '30');
    type('op-max-fast', '20');

    const error = await screen.findByTestId('op-error-ranges.fast', {}, { timeout: 3000 });
    expect(error.textContent).toBe('fast: min 30 is above max 20');
    expect(screen.getByTestId('op-param-fast').contains(error)).toBe(true);
    expect(screen.getByTestId('op-estimate').dataset.state).toBe('refused');
    expect(start().disabled).toBe(true);

    type('op-max-fast', '40');
    await waitFor(() => expect(start().disabled).toBe(false), { timeout: 3000 });
    expect(screen.queryByTestId('op-error-ranges.fast')).toBeNull();
  });

  it('marks a field the form cannot read without asking the server, and keeps Start disabled', async () => {
    await openForm();
    await waitFor(() => expect(screen.getByTestId('op-estimate').dataset.state).toBe('ok'), {
      timeout: 3000,
    });
    const asked = server.estimates.length;
    fireEvent.change(screen.getByTestId('op-walk-forward'), { target: { value: 'rolling' } });
    type('op-folds', 'x');

    expect(screen.getByTestId('op-error-walkForward.folds').textContent).toBe(
      'Folds must be a number, got "x"',
    );
    expect(start().disabled).toBe(true);
    expect(screen.getByTestId('op-estimate').dataset.state).toBe('invalid');
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(server.estimates.length).toBe(asked);
  });
});
