import { beforeEach, describe, expect, it, vi } from 'vitest';

/** A localStorage for the node test environment: the store reads it when it is created. */
function memoryStorage(seed: Record<string, string> = {}): Storage {
  const data = new Map(Object.entries(seed));
  return { getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v), removeItem: (k) => void data.delete(k), clear: () => data.clear(), key: (i) => [...data.keys()][i] ?? null, get length() { return data.size; } };
}

describe('views and pane sizes', () => {
  beforeEach(() => vi.resetModules());

  it('maps Alt+1 … Alt+5 (by key or by physical digit) to the views, and nothing else', async () => {
    const { viewForKey } = await import('./view-store');
    const key = (k: string, code: string, mods: Partial<KeyboardEvent> = {}) => viewForKey({ key: k, code, altKey: true, ctrlKey: false, metaKey: false, shiftKey: false, ...mods });
    expect(key('1', 'Digit1')).toBe('design');
    expect(key('¡', 'Digit1')).toBe('design'); // macOS: Alt+1 types a symbol
    expect(key('5', 'Digit5')).toBe('analyse');
    expect(key('6', 'Digit6')).toBeNull();
    expect(key('!', 'Digit1', { shiftKey: true })).toBeNull(); // Alt+Shift+digit is the analysis panels'
    expect(key('1', 'Digit1', { altKey: false })).toBeNull();
  });

  it('clamps sizes to their pane\'s bounds, remembers them, and reads them back in a new window', async () => {
    vi.stubGlobal('localStorage', memoryStorage());
    const first = await import('./view-store');
    first.useView.getState().resize('inspector', 10_000);
    expect(first.useView.getState().sizes.inspector).toBe(first.PANES.inspector.max);
    first.useView.getState().resize('palette', 180.4);
    vi.resetModules();
    const second = await import('./view-store');
    expect(second.useView.getState().sizes).toMatchObject({ inspector: second.PANES.inspector.max, palette: 180 });
    vi.unstubAllGlobals();
  });

  it('falls back to the defaults when the stored sizes are unreadable', async () => {
    vi.stubGlobal('localStorage', memoryStorage({ 'aestudio.panes.v1': '{not json' }));
    const { PANES, useView } = await import('./view-store');
    expect(useView.getState().sizes.problems).toBe(PANES.problems.initial);
    vi.unstubAllGlobals();
  });
});
