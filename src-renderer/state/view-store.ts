/**
 * Which full view the window shows (Design, Data, Train, Runs, Analyse) and the
 * sizes of its resizable panes. Pane sizes persist in localStorage: they are the
 * person's layout of this machine's window, not part of any project.
 */
import { create } from 'zustand';

/** The views, in tab order; a view's number is its shortcut (Alt+1 … Alt+5). */
export const VIEWS = ['design', 'data', 'train', 'runs', 'analyse'] as const;
/** One full view. */
export type View = (typeof VIEWS)[number];

/** Each view's tab text and what it holds (the tab's tooltip). */
export const VIEW_INFO: Record<View, { title: string; about: string }> = {
  design: { title: 'Design', about: 'the graph: canvas, inspector and problems' },
  data: { title: 'Data', about: 'the dataset: samples, labels and split' },
  train: { title: 'Train', about: 'settings, controls, loss, reconstructions and latent space' },
  runs: { title: 'Runs', about: 'kept runs: compare, resume, reopen, analyse' },
  analyse: { title: 'Analyse', about: 'what a finished run’s autoencoder can do' },
};

/** The shortcut that shows a view, as the tooltip says it. */
export function viewShortcut(v: View): string {
  return `Alt+${VIEWS.indexOf(v) + 1}`;
}

/** The resizable panes and their bounds in pixels. */
export const PANES = {
  palette: { initial: 124, min: 100, max: 280 },
  inspector: { initial: 260, min: 200, max: 560 },
  problems: { initial: 220, min: 40, max: 700 },
  trainSettings: { initial: 340, min: 260, max: 560 },
} as const;
/** One resizable pane. */
export type Pane = keyof typeof PANES;

const STORAGE_KEY = 'aestudio.panes.v1';

function clampPane(p: Pane, px: number): number {
  return Math.round(Math.min(PANES[p].max, Math.max(PANES[p].min, px)));
}

function loadSizes(): Record<Pane, number> {
  const sizes = Object.fromEntries(Object.entries(PANES).map(([k, v]) => [k, v.initial])) as Record<Pane, number>;
  try {
    const saved = JSON.parse(globalThis.localStorage?.getItem(STORAGE_KEY) ?? '{}') as Record<string, unknown>;
    for (const p of Object.keys(PANES) as Pane[]) if (typeof saved[p] === 'number' && Number.isFinite(saved[p])) sizes[p] = clampPane(p, saved[p]);
  } catch {
    // A corrupt entry (edited by hand, another version) falls back to the defaults rather than stopping the window.
  }
  return sizes;
}

interface ViewState {
  view: View;
  sizes: Record<Pane, number>;
  show(view: View): void;
  /** Sets a pane's size (clamped to its bounds) and remembers it. */
  resize(pane: Pane, px: number): void;
}

export const useView = create<ViewState>()((set, get) => ({
  view: 'design',
  sizes: loadSizes(),
  show: (view) => set({ view }),
  resize(pane, px) {
    const sizes = { ...get().sizes, [pane]: clampPane(pane, px) };
    set({ sizes });
    try {
      globalThis.localStorage?.setItem(STORAGE_KEY, JSON.stringify(sizes));
    } catch {
      // Storage full or blocked: the size still holds for this session.
    }
  },
}));

/** The view an Alt+digit key press means, or null. */
export function viewForKey(e: Pick<KeyboardEvent, 'key' | 'code' | 'ctrlKey' | 'metaKey' | 'shiftKey' | 'altKey'>): View | null {
  if (!e.altKey || e.ctrlKey || e.metaKey || e.shiftKey) return null;
  // e.code: on macOS Alt+digit types a symbol, so the key itself is not the digit.
  const digit = /^Digit([1-9])$/.exec(e.code)?.[1] ?? (/^[1-9]$/.test(e.key) ? e.key : null);
  const n = digit ? Number(digit) : 0;
  return n >= 1 && n <= VIEWS.length ? VIEWS[n - 1] : null;
}
