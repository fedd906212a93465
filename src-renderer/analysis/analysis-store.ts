/** The analysis workspace: which run is open, which panel is shown, and each panel's latest result. */
import { create } from 'zustand';
import type { AnalysisRequest, AnalysisResult, AnalysisResultOf, AnalysisTask } from '../../src-shared/analysis/analysis-messages';
import type { RunSummary } from '../../src-shared/protocol/studio-api';
import { studio } from '../studio/studio';

interface AnalysisState {
  run: RunSummary | null;
  tab: AnalysisTask;
  results: Partial<Record<AnalysisTask, AnalysisResult>>;
  /** The task being computed, if any. */
  busy: AnalysisTask | null;
  error: string | null;
  open(run: RunSummary): void;
  close(): void;
  setTab(tab: AnalysisTask): void;
  /** Runs an analysis of the open run; the result replaces the panel's previous one. */
  analyze(request: AnalysisRequest): Promise<void>;
}

export const useAnalysis = create<AnalysisState>()((set, get) => ({
  run: null,
  tab: 'denoise',
  results: {},
  busy: null,
  error: null,
  open: (run) => set({ run, results: {}, error: null }),
  close: () => set({ run: null, busy: null }),
  setTab: (tab) => set({ tab, error: null }),
  async analyze(request) {
    const run = get().run;
    if (!run) return;
    set({ busy: request.task, error: null });
    try {
      const result = await studio().runs.analyze(run.runId, request);
      if (get().run?.runId === run.runId) set((s) => ({ results: { ...s.results, [result.task]: result } }));
    } catch (e) {
      set({ error: (e as Error).message });
    } finally {
      set({ busy: null });
    }
  },
}));

/** The latest result of one task, typed. */
export function useResult<T extends AnalysisTask>(task: T): AnalysisResultOf<T> | undefined {
  return useAnalysis((s) => s.results[task]) as AnalysisResultOf<T> | undefined;
}
