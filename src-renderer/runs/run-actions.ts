/**
 * What the Runs view does to the rest of the window: shows a kept run on the
 * dashboard (its curves, as the Train view draws them), reopens its graph,
 * names it; and, when another project is opened or made, drops the last
 * run's dashboard unless that run is still training.
 */
import { parseProject } from '../../src-shared/project/project-file';
import type { RunSummary } from '../../src-shared/protocol/studio-api';
import { defaultRunName } from '../../src-shared/run/run-record';
import type { RunLabels } from '../../src-shared/run/run-record';
import { useDocument } from '../state/document-store';
import { newDocument } from '../state/project-actions';
import { useTraining } from '../state/training-store';
import { useUi } from '../state/ui-store';
import { studio } from '../studio/studio';

/** A start time as the run list shows it: "30 Nov, 07:12" in this window's locale and zone. */
export function shortTime(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString(undefined, { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });
}

/** The name a run goes by: the one given, else project · dataset · start. */
export function runTitle(r: Pick<RunSummary, 'title' | 'name' | 'dataset' | 'startedAt' | 'finishedAt'>): string {
  return r.title || defaultRunName(r.name, r.dataset, r.startedAt ?? r.finishedAt, shortTime);
}

const busy = (status: string) => status === 'running' || status === 'starting' || status === 'paused';

/** Shows a kept run on the dashboard: its epochs' curves, its status and error; refused while another run trains. */
export function showRun(r: RunSummary): boolean {
  if (busy(useTraining.getState().status) && useTraining.getState().runId !== r.runId) {
    useUi.getState().notify('info', 'A run is training; its dashboard stays until it ends. The run’s curves are shown in the Runs view.');
    return false;
  }
  if (r.status === 'running') return true; // the dashboard already follows it
  useTraining.setState({
    runId: r.runId,
    status: r.status,
    started: null,
    progress: null,
    epochs: r.epochs,
    pretrain: [],
    batchLoss: [],
    reconstructions: null,
    latent: null,
    error: r.error ? { message: r.error, hint: '' } : null,
    graphVersion: -1, // not this window's graph: the dashboard says "of another graph"
  });
  return true;
}

/** Reopens a run's graph as a new project and shows the run's curves with it. */
export async function openRun(r: RunSummary): Promise<void> {
  const loaded = parseProject(await studio().runs.project(r.runId), 'the run\'s project');
  if (!loaded.ok) {
    useUi.getState().notify('error', loaded.error);
    return;
  }
  const before = useDocument.getState().documentVersion;
  await newDocument(loaded.project);
  if (useDocument.getState().documentVersion !== before) showRun(r); // not when the person kept their unsaved changes
}

/** Saves a run's name or notes in its record; says why not when it cannot. */
export async function annotateRun(runId: string, labels: RunLabels): Promise<boolean> {
  try {
    await studio().runs.annotate(runId, labels);
    return true;
  } catch (e) {
    useUi.getState().notify('error', (e as Error).message);
    return false;
  }
}

let following = false;

/** From now on, a new or opened project starts with an empty dashboard unless a run is training. Idempotent. */
export function followProjectRuns(): void {
  if (following) return;
  following = true;
  useDocument.subscribe((s, prev) => {
    if (s.documentVersion === prev.documentVersion || busy(useTraining.getState().status)) return;
    useTraining.setState({ runId: null, status: 'idle', started: null, progress: null, epochs: [], pretrain: [], batchLoss: [], reconstructions: null, latent: null, error: null });
  });
}
