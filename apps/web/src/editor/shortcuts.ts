// Keyboard shortcuts of the canvas, as a pure key → command mapping so they can be tested without a DOM.
export type EditorCommand =
  | 'undo'
  | 'redo'
  | 'copy'
  | 'paste'
  | 'duplicate'
  | 'delete'
  | 'palette'
  | 'selectAll'
  | 'layout'
  | 'fitView'
  | 'save';

export interface KeyLike {
  readonly key: string;
  readonly ctrlKey: boolean;
  readonly metaKey: boolean;
  readonly shiftKey: boolean;
  readonly altKey: boolean;
}

/** Ctrl on Linux/Windows and Cmd on macOS both count as the command modifier. */
export function commandFor(e: KeyLike): EditorCommand | null {
  const mod = e.ctrlKey || e.metaKey;
  const key = e.key.length === 1 ? e.key.toLowerCase() : e.key;
  if (e.altKey) return null;
  if (mod) {
    if (key === 'z') return e.shiftKey ? 'redo' : 'undo';
    if (key === 'y') return 'redo';
    if (key === 'c') return 'copy';
    if (key === 'v') return 'paste';
    if (key === 'd') return 'duplicate';
    if (key === 'a') return 'selectAll';
    if (key === 's') return 'save';
    return null;
  }
  if (key === 'Delete' || key === 'Backspace') return 'delete';
  if (key === '/' || key === 'a') return 'palette';
  if (key === 'l' && e.shiftKey) return 'layout';
  if (key === 'f' && e.shiftKey) return 'fitView';
  return null;
}

/** Shortcuts are off while the user types in a field or the code editor. */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!target || typeof (target as HTMLElement).tagName !== 'string') return false;
  const el = target as HTMLElement;
  const tag = el.tagName.toLowerCase();
  return (
    tag === 'input' ||
    tag === 'textarea' ||
    tag === 'select' ||
    el.isContentEditable === true ||
    el.closest?.('.cm-editor') != null
  );
}
