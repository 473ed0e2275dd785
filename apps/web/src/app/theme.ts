// Dark by default, light on request: the choice lives in localStorage and on <html data-theme>,
// where every folder's CSS reads its variables.
import { useCallback, useSyncExternalStore } from 'react';

export type Theme = 'dark' | 'light';
export const THEME_KEY = 'candleflow.theme';
const CHANGED = 'candleflow:theme';

interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

function safeStorage(): KeyValueStore | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    // Storage can be disabled by the browser's privacy settings; the theme then lasts one visit.
    return null;
  }
}

/** The saved theme, or dark when nothing (or nonsense) was saved. */
export function storedTheme(storage: KeyValueStore | null = safeStorage()): Theme {
  return storage?.getItem(THEME_KEY) === 'light' ? 'light' : 'dark';
}

export function applyTheme(theme: Theme, storage: KeyValueStore | null = safeStorage()): void {
  try {
    storage?.setItem(THEME_KEY, theme);
  } catch {
    // Quota or privacy mode: the page still switches, only the memory of it is lost.
  }
  if (typeof document !== 'undefined') document.documentElement.dataset.theme = theme;
  if (typeof window !== 'undefined') window.dispatchEvent(new Event(CHANGED));
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener(CHANGED, onChange);
  window.addEventListener('storage', onChange);
  return () => {
    window.removeEventListener(CHANGED, onChange);
    window.removeEventListener('storage', onChange);
  };
}

/** The current theme and a toggle; every tab follows a change made in another. */
export function useTheme(): { theme: Theme; toggle: () => void } {
  const theme = useSyncExternalStore(
    subscribe,
    () => storedTheme(),
    () => 'dark' as Theme,
  );
  const toggle = useCallback(() => applyTheme(storedTheme() === 'dark' ? 'light' : 'dark'), []);
  return { theme, toggle };
}
