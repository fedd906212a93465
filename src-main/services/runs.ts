/** The kept runs on disk: one folder per run under the runs folder, each with its metrics.json record (read through common/run-folder.ts). */
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { failureText } from '../../src-shared/protocol/failure-text';
import { RunLabelsSchema, canContinue, canResume, continuedSettings, settledRecord, withLabels } from '../../src-shared/run/run-record';
import type { RunLabels } from '../../src-shared/run/run-record';
import { stopReasonText } from '../../src-shared/run/training-schedule';
import { FileRefusal } from '../common/file-refusal';
import { readRegularFile } from '../common/read-regular-file';
import { isProcessAlive, readResumePlan, readRunFileText, readRunRecord, readRunSpec, writeRunRecord } from '../common/run-folder';
import type { ResumePlan } from '../common/run-folder';
import type { DatasetRef } from '../../src-shared/datasets/dataset-ref';
import type { TrainingSettings } from '../../src-shared/project/training-settings';
import { RunSummarySchema } from '../../src-shared/protocol/studio-api';
import type { RunSummary } from '../../src-shared/protocol/studio-api';

/** A run id as this app makes them: refuses anything that could name another folder. */
export function checkRunId(runId: string): string {
  if (!/^[\w-]{1,100}$/.test(runId)) throw new Error(`"${runId}" is not a run id.`);
  return runId;
}

/** Whether the trainer of a "running" record is still at work: the service's own active run, with its process alive. */
function trainerAlive(runId: string, pid: number | null, activeRunId: string | null): boolean {
  return runId === activeRunId && pid !== null && isProcessAlive(pid);
}

async function summary(runsDir: string, runId: string, activeRunId: string | null): Promise<RunSummary | null> {
  const dir = join(runsDir, runId);
  const read = await readRunRecord(dir);
  if (!read.ok && read.missing) return null; // a folder without a record is not a run
  const projectText = await readRunFileText(join(dir, 'project.aestudio'), 'a project file').catch(() => null);
  let name = runId;
  try {
    const named = projectText ? (JSON.parse(projectText) as { name?: unknown }).name : undefined;
    if (typeof named === 'string') name = named;
  } catch {
    // An unreadable kept project only costs the run its name.
  }
  if (!read.ok) {
    // A record that was edited by hand or cut short is shown, with which file and what is wrong, rather than dropped.
    return { runId, name, status: 'failed', finishedAt: null, epochs: [], settings: {}, dataset: 'unknown', error: read.error, hasProject: projectText !== null, resumable: false };
  }
  const record = settledRecord(read.record, trainerAlive(runId, read.record.pid, activeRunId));
  const spec = await readRunSpec(dir).catch(() => null); // no spec yet, or unreadable: the analyses say what is wrong when asked
  const ref = record.dataset.ref;
  return RunSummarySchema.parse({
    runId,
    name,
    status: record.status,
    finishedAt: record.finishedAt ?? record.startedAt,
    epochs: record.epochs,
    settings: record.settings ?? {},
    dataset: record.dataset.name ?? (ref ? (ref.kind === 'builtin' ? ref.id : ref.path) : 'unknown'),
    error: record.error ? (record.error.hint ? failureText(record.error) : record.error.message) : null,
    hasProject: projectText !== null,
    resumable: canResume(record),
    decoderAbsent: spec?.decoderAbsent ?? null,
    title: record.name ?? null,
    notes: record.notes ?? '',
    startedAt: record.startedAt,
    paramCount: record.paramCount,
    codeShape: spec?.codeShape ?? null,
    continuable: canContinue(record),
    stopText: record.stopReason && record.status !== 'running' ? stopReasonText(record.stopReason, record.epochs.length, record.settings, record) : null,
  });
}

/**
 * Names a run or keeps notes on it, in its record (through the run folder's
 * one writer). Refused while its trainer writes the record: the trainer
 * rewrites the whole record each epoch and would undo the edit.
 */
export async function annotateRun(runsDir: string, runId: string, labels: RunLabels, activeRunId: string | null): Promise<void> {
  const dir = join(runsDir, checkRunId(runId));
  const read = await readRunRecord(dir);
  if (!read.ok) throw new Error(read.missing ? `There is no run ${runId} (${read.error}); refresh the run list.` : `${read.error}; the run cannot be renamed until its record is fixed or the run is deleted.`);
  if (settledRecord(read.record, trainerAlive(runId, read.record.pid, activeRunId)).status === 'running') {
    throw new Error('This run is still training, and the trainer rewrites its record every epoch; rename it or add notes once it has ended.');
  }
  await writeRunRecord(dir, withLabels(read.record, RunLabelsSchema.parse(labels))); // parsed here too: the CLI and tests call it directly
}

/**
 * Every kept run, newest first. `activeRunId` is the run the service is
 * training now: any other record still saying "running" was left by a
 * trainer that is gone, and reads as failed (interrupted).
 */
export async function listRuns(runsDir: string, activeRunId: string | null = null): Promise<RunSummary[]> {
  const entries = await readdir(runsDir, { withFileTypes: true }).catch(() => []);
  const runs = (await Promise.all(entries.filter((e) => e.isDirectory() && /^[\w-]+$/.test(e.name)).map((e) => summary(runsDir, e.name, activeRunId)))).filter((r): r is RunSummary => r !== null);
  return runs.sort((a, b) => (b.finishedAt ?? '').localeCompare(a.finishedAt ?? ''));
}

/** What the service needs to continue a kept run: the start request of its remaining epochs (or of `moreEpochs` after its checkpoint), in its own folder. */
export async function resumeRequest(runsDir: string, runId: string, activeRunId: string | null, moreEpochs?: number): Promise<{ dir: string; plan: ResumePlan; dataset: DatasetRef; settings: TrainingSettings }> {
  const dir = join(runsDir, checkRunId(runId));
  const plan = await readResumePlan(dir, (r) => trainerAlive(runId, r.pid, activeRunId), { extend: moreEpochs !== undefined });
  const { settings, dataset, checkpointEpoch } = plan.record;
  if (!settings || !dataset.ref) throw new Error(`${join(dir, 'metrics.json')} does not keep the run's settings and dataset; it cannot be resumed.`);
  return { dir, plan, dataset: dataset.ref, settings: moreEpochs !== undefined ? continuedSettings(settings, checkpointEpoch ?? 0, moreEpochs) : settings };
}

/** The reconstructions PNG a run writes when it ends: at most this large (16 samples of 128×128×3, three rows, ×2, as PNG, is far less). */
const RECONSTRUCTIONS_MAX_BYTES = 16 * 1024 * 1024;

/** The bytes of a run's reconstructions.png, read through the one reader of untrusted files. */
export async function runReconstructions(runsDir: string, runId: string): Promise<Uint8Array<ArrayBuffer>> {
  const file = join(runsDir, checkRunId(runId), 'reconstructions.png');
  try {
    const bytes = await readRegularFile(file, { maxBytes: RECONSTRUCTIONS_MAX_BYTES, what: 'a reconstructions image' });
    return Uint8Array.from(bytes); // a plain copy: a Buffer may share Node's pool, which must not travel
  } catch (e) {
    if (e instanceof FileRefusal && e.reason === 'missing') throw new Error('This run kept no reconstructions: it failed, or ended before its first epoch did.', { cause: e });
    throw e;
  }
}

/** Deletes a run folder. */
export async function deleteRun(runsDir: string, runId: string): Promise<void> {
  await rm(join(runsDir, checkRunId(runId)), { recursive: true, force: true });
}

/** The project text kept with a run. */
export async function runProject(runsDir: string, runId: string): Promise<string> {
  const file = join(runsDir, checkRunId(runId), 'project.aestudio');
  try {
    return await readRunFileText(file, 'a project file');
  } catch {
    throw new Error('This run did not keep its project, so its graph cannot be reopened.');
  }
}
