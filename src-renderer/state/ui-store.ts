/** Modal dialogs and messages: what the window shows on top of the editor. */
import { create } from 'zustand';
import type { Recovery } from '../../src-shared/protocol/studio-api';

/** A request for a file path from the in-app dialog (used where the shell has no native one). */
export interface PathRequest {
  mode: 'open' | 'save';
  defaultPath: string;
  recent: string[];
  resolve(path: string | null): void;
}

/** A question with two answers, asked in the window (never the browser's own confirm(), which a page cannot style, label or test). */
export interface ConfirmRequest {
  title: string;
  message: string;
  /** The button that goes ahead, worded as the action ("Discard changes"). */
  confirm: string;
  resolve(ok: boolean): void;
}

/** A message in the status area. */
export interface Notice {
  id: number;
  kind: 'info' | 'error';
  text: string;
}

interface UiState {
  gallery: boolean;
  pathRequest: PathRequest | null;
  confirmRequest: ConfirmRequest | null;
  notices: Notice[];
  /** Unsaved work of a crashed session, waiting for the person to take it back or not. */
  recovery: Recovery | null;
  offerRecovery(r: Recovery | null): void;
  showGallery(open: boolean): void;
  askPath(request: Omit<PathRequest, 'resolve'>): Promise<string | null>;
  answerPath(path: string | null): void;
  /** Asks in the in-app dialog; resolves to whether the person went ahead. */
  askConfirm(request: Omit<ConfirmRequest, 'resolve'>): Promise<boolean>;
  answerConfirm(ok: boolean): void;
  notify(kind: Notice['kind'], text: string): void;
  dismiss(id: number): void;
}

let nextNotice = 1;

export const useUi = create<UiState>()((set, get) => ({
  gallery: false,
  pathRequest: null,
  confirmRequest: null,
  notices: [],
  recovery: null,
  offerRecovery: (recovery) => set({ recovery }),
  showGallery: (open) => set({ gallery: open }),
  askPath: (request) => new Promise((resolve) => set({ pathRequest: { ...request, resolve } })),
  answerPath(path) {
    get().pathRequest?.resolve(path);
    set({ pathRequest: null });
  },
  askConfirm(request) {
    get().confirmRequest?.resolve(false); // one question at a time: a newer one cancels the older
    return new Promise((resolve) => set({ confirmRequest: { ...request, resolve } }));
  },
  answerConfirm(ok) {
    get().confirmRequest?.resolve(ok);
    set({ confirmRequest: null });
  },
  notify(kind, text) {
    const id = nextNotice++;
    set((s) => ({ notices: [...s.notices.slice(-3), { id, kind, text }] }));
    if (kind === 'info') setTimeout(() => get().dismiss(id), 4000);
  },
  dismiss: (id) => set((s) => ({ notices: s.notices.filter((n) => n.id !== id) })),
}));
