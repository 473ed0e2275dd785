// @vitest-environment happy-dom
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { exampleGraph, exampleNames } from '../code/test-support/examples';
import { TemplateGallery } from './TemplateGallery';
import { bundledTemplatesApi, type TemplatesApi, templatesFromModules } from './templates-source';

function mount(api: TemplatesApi, onCreated = vi.fn(), disabled = false) {
  const queryClient = new QueryClient({
    defaultOptions: { queries: { retry: false }, mutations: { retry: false } },
  });
  render(
    <QueryClientProvider client={queryClient}>
      <TemplateGallery api={api} onCreated={onCreated} disabled={disabled} />
    </QueryClientProvider>,
  );
  return onCreated;
}

const twoTemplates = (create: TemplatesApi['create']): TemplatesApi => ({
  list: async () => [
    { name: 'ema-cross', graph: exampleGraph('ema-cross') },
    { name: 'sma-cross', graph: exampleGraph('sma-cross') },
  ],
  create,
});

afterEach(cleanup);

describe('TemplateGallery', () => {
  it('shows each template with its name, description and a picture of its graph', async () => {
    mount(twoTemplates(async () => 'x'));

    const card = await screen.findByTestId('template-ema-cross');

    const graph = exampleGraph('ema-cross');
    expect(card.textContent).toContain(graph.name);
    expect(card.textContent).toContain(graph.description);
    expect(card.querySelectorAll('svg rect')).toHaveLength(graph.nodes.length);
    expect(card.querySelectorAll('svg line')).toHaveLength(graph.edges.length);
    expect(screen.getByTestId('template-sma-cross')).toBeTruthy();
  });

  it('creates a strategy from the chosen template and hands over its id', async () => {
    const create = vi.fn(async (name: string) => `strategy-from-${name}`);
    const onCreated = mount(twoTemplates(create));

    fireEvent.click(await screen.findByTestId('template-sma-cross'));

    await waitFor(() => expect(onCreated).toHaveBeenCalledWith('strategy-from-sma-cross'));
    expect(create).toHaveBeenCalledWith('sma-cross');
  });

  it('says why a strategy could not be created', async () => {
    const onCreated = mount(twoTemplates(async () => Promise.reject(new Error('quota reached'))));

    fireEvent.click(await screen.findByTestId('template-ema-cross'));

    expect((await screen.findByRole('alert')).textContent).toMatch(/ema-cross.*quota reached/);
    expect(onCreated).not.toHaveBeenCalled();
  });

  it('says when templates cannot be loaded', async () => {
    mount({ list: () => Promise.reject(new Error('offline')), create: async () => 'x' });

    expect((await screen.findByRole('alert')).textContent).toContain('Could not load templates');
  });

  it('lets viewers look but not create', async () => {
    mount(
      twoTemplates(async () => 'x'),
      vi.fn(),
      true,
    );

    expect(((await screen.findByTestId('template-ema-cross')) as HTMLButtonElement).disabled).toBe(true);
  });
});

describe('templates source', () => {
  it('offers every example the server offers, by the server’s template name', async () => {
    const templates = await bundledTemplatesApi.list();

    expect(templates.map((t) => t.name)).toEqual(exampleNames());
    for (const t of templates) expect(t.graph).toEqual(exampleGraph(t.name));
  });

  it('leaves out files that are not graphs or whose names the server would refuse', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const graph = exampleGraph('sma-cross');

    const templates = templatesFromModules({
      '../x/b-good.json': graph,
      '../x/Bad_Name.json': graph,
      '../x/broken.json': { nodes: 3 },
    });

    expect(templates.map((t) => t.name)).toEqual(['b-good']);
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('broken.json'));
    warn.mockRestore();
  });
});
