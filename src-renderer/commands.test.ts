import { describe, expect, it } from 'vitest';
import { commandForKey } from './commands';

const key = (k: string, mods: Partial<Record<'ctrlKey' | 'metaKey' | 'shiftKey' | 'altKey', boolean>> = {}) => commandForKey({ key: k, ctrlKey: false, metaKey: false, shiftKey: false, altKey: false, ...mods });

describe('keyboard shortcuts', () => {
  it('maps the editing shortcuts, with Ctrl or Cmd', () => {
    expect(key('z', { ctrlKey: true })).toBe('undo');
    expect(key('Z', { metaKey: true, shiftKey: true })).toBe('redo');
    expect(key('y', { ctrlKey: true })).toBe('redo');
    expect(key('c', { ctrlKey: true })).toBe('copy');
    expect(key('v', { metaKey: true })).toBe('paste');
    expect(key('a', { ctrlKey: true })).toBe('selectAll');
    expect(key('s', { ctrlKey: true })).toBe('save');
    expect(key('s', { ctrlKey: true, shiftKey: true })).toBe('saveAs');
    expect(key('Delete')).toBe('delete');
    expect(key('Backspace')).toBe('delete');
    expect(key('f')).toBe('fitView');
    expect(key('L', { shiftKey: true })).toBe('autoLayout');
  });

  it('leaves other keys and combinations alone', () => {
    expect(key('f', { ctrlKey: true })).toBeNull();
    expect(key('x')).toBeNull();
    expect(key('z')).toBeNull();
    expect(key('Delete', { altKey: true })).toBeNull();
  });
});
