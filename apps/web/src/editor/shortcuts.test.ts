import { describe, expect, it } from 'vitest';
import { commandFor, isTypingTarget, type KeyLike } from './shortcuts';

describe('shortcuts', () => {
  const key = (k: string, mods: Partial<KeyLike> = {}): KeyLike => ({
    key: k,
    ctrlKey: false,
    metaKey: false,
    shiftKey: false,
    altKey: false,
    ...mods,
  });

  it('maps Ctrl and Cmd combinations alike', () => {
    expect(commandFor(key('z', { ctrlKey: true }))).toBe('undo');
    expect(commandFor(key('z', { metaKey: true }))).toBe('undo');
    expect(commandFor(key('Z', { ctrlKey: true, shiftKey: true }))).toBe('redo');
    expect(commandFor(key('y', { ctrlKey: true }))).toBe('redo');
    expect(commandFor(key('c', { ctrlKey: true }))).toBe('copy');
    expect(commandFor(key('v', { metaKey: true }))).toBe('paste');
    expect(commandFor(key('d', { ctrlKey: true }))).toBe('duplicate');
    expect(commandFor(key('s', { ctrlKey: true }))).toBe('save');
    expect(commandFor(key('a', { ctrlKey: true }))).toBe('selectAll');
  });

  it('maps plain keys: delete, palette, layout, fit', () => {
    expect(commandFor(key('Delete'))).toBe('delete');
    expect(commandFor(key('Backspace'))).toBe('delete');
    expect(commandFor(key('/'))).toBe('palette');
    expect(commandFor(key('a'))).toBe('palette');
    expect(commandFor(key('L', { shiftKey: true }))).toBe('layout');
    expect(commandFor(key('F', { shiftKey: true }))).toBe('fitView');
    expect(commandFor(key('q'))).toBeNull();
    expect(commandFor(key('z', { ctrlKey: true, altKey: true }))).toBeNull();
  });

  it('recognises typing targets', () => {
    expect(isTypingTarget(null)).toBe(false);
    expect(isTypingTarget({ tagName: 'INPUT' } as unknown as EventTarget)).toBe(true);
    expect(isTypingTarget({ tagName: 'DIV', isContentEditable: true } as unknown as EventTarget)).toBe(true);
    expect(isTypingTarget({ tagName: 'DIV', closest: () => null } as unknown as EventTarget)).toBe(false);
  });
});
