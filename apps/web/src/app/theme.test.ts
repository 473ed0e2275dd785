// @vitest-environment happy-dom
import { beforeEach, describe, expect, it } from 'vitest';
import { applyTheme, storedTheme, THEME_KEY } from './theme';

function memoryStore(initial: Record<string, string> = {}) {
  const values = new Map(Object.entries(initial));
  return {
    getItem: (k: string) => values.get(k) ?? null,
    setItem: (k: string, v: string) => void values.set(k, v),
  };
}

describe('theme', () => {
  beforeEach(() => {
    localStorage.clear();
    delete document.documentElement.dataset.theme;
  });

  it('is dark when nothing was chosen', () => {
    expect(storedTheme(memoryStore())).toBe('dark');
    expect(storedTheme(null)).toBe('dark');
  });

  it('ignores a value it does not know', () => {
    expect(storedTheme(memoryStore({ [THEME_KEY]: 'purple' }))).toBe('dark');
  });

  it('remembers light and sets it on <html>', () => {
    applyTheme('light');
    expect(localStorage.getItem(THEME_KEY)).toBe('light');
    expect(document.documentElement.dataset.theme).toBe('light');
    expect(storedTheme()).toBe('light');
  });

  it('still switches the page when storage refuses to write', () => {
    const broken = {
      getItem: () => null,
      setItem: () => {
        throw new Error('QuotaExceededError');
      },
    };
    applyTheme('light', broken);
    expect(document.documentElement.dataset.theme).toBe('light');
  });
});
