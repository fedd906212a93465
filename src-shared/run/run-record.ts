/**
 * The run record (a run folder's metrics.json): one schema that the trainer
 * writes through, and the run list, export, analysis and resume read through.
 * Versioned: files written before the record had a version (status
 * finished/stopped/failed, written once at the end) are migrated on read.
 */
import { z } from 'zod';
import { DatasetRefSchema, DatasetSummarySchema } from '../datasets/dataset-ref';
import { TrainingSettingsSchema } from '../project/training-settings';
import { BACKENDS, BackendMeasurementSchema, EpochMetricsSchema, PretrainStageMetricsSchema, STOP_REASONS } from '../protocol/trainer-messages';
import type { StopReason } from '../protocol/trainer-messages';

/** The version this app writes. */
export const RUN_RECORD_VERSION = 2;

/** The record's file in a run folder. */
export const RUN_RECORD_FILE = 'metrics.json';

/** Where the latest epoch's weights are kept, inside the run folder (TF.js layers format). */
export const CHECKPOINT_DIR = 'checkpoint';

/** The longest run name and notes a record keeps. */
export const RUN_NAME_MAX = 200;
export const RUN_NOTES_MAX = 20_000;

/** A person's name and notes for a run, as the Runs view edits them: an empty name goes back to the default. */
export const RunLabelsSchema = z.object({
  name: z.string().trim().max(RUN_NAME_MAX).optional(),
  notes: z.string().max(RUN_NOTES_MAX).optional(),
});
/** A run's name and notes, as edited. */
export type RunLabels = z.infer<typeof RunLabelsSchema>;

/** A record with its name and notes replaced where `labels` gives them (an empty name or notes removes them). */
export function withLabels(record: RunRecord, labels: RunLabels): RunRecord {
  const next = { ...record };
  if (labels.name !== undefined) {
    if (labels.name) next.name = labels.name;
    else delete next.name;
  }
  if (labels.notes !== undefined) {
    if (labels.notes.trim()) next.notes = labels.notes;
    else delete next.notes;
  }
  return next;
}

/** A run's name until a person gives one: the project (or template) it came from, its data and when it started, e.g. "Convolutional AE · MNIST digits · 30 Nov, 07:12". */
export function defaultRunName(project: string, dataset: string, startedAt: string | null, formatTime: (iso: string) => string): string {
  return [project, dataset, startedAt ? formatTime(startedAt) : null].filter((p) => p).join(' · ');
}
/** Where the best epoch's weights are kept while a run with `keepBest` trains (TF.js layers format; the final model is them too). */
export const BEST_DIR = 'best';

// Why training ended: the trainer's word (its `done` event), kept in the record.
export { STOP_REASONS };
export type { StopReason };

/** How a run stands: "running" while its trainer writes it, then how it ended. */
export const RUN_STATUSES = ['running', 'finished', 'stopped', 'failed'] as const;

/** Why a run failed, as the person reads it. */
export const RunFailureSchema = z.object({ message: z.string().max(10_000), hint: z.string().max(10_000) });

export const RunRecordSchema = z.object({
  version: z.literal(RUN_RECORD_VERSION),
  runId: z.string().min(1).max(200),
  status: z.enum(RUN_STATUSES),
  /** The trainer process writing the run, while it is "running" (a dead pid means the run was interrupted). */
  pid: z.number().int().positive().nullable(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  error: RunFailureSchema.nullable(),
  backend: z.enum(BACKENDS).nullable(),
  backendNotes: z.array(z.string()),
  /** What the trainer measured to choose the backend (null when it was forced, and in older records). */
  backendMeasurement: BackendMeasurementSchema.nullable().default(null),
  threads: z.number().int().min(1).nullable(),
  paramCount: z.number().int().nonnegative().nullable(),
  /** The data named (null in records that did not keep it) and, once loaded, what loading found. */
  dataset: DatasetSummarySchema.partial().extend({ ref: DatasetRefSchema.nullable() }),
  seed: z.number().int().nullable(),
  settings: TrainingSettingsSchema.nullable(),
  /** Kept so analyses can rebuild the exact train/validation split. */
  maxSamples: z.number().int().positive().nullable(),
  epochs: z.array(EpochMetricsSchema),
  /** Layer-wise pretraining's finished stages, in order, before the epochs of fine-tuning (empty without pretraining, and in older records). */
  pretrain: z.array(PretrainStageMetricsSchema).max(10_000).default([]),
  /** The epoch whose weights are in the checkpoint folder (null before the first epoch ends). */
  checkpointEpoch: z.number().int().positive().nullable(),
  /** When the run was resumed, and from which epoch (the epochs after it were trained again). */
  resumes: z.array(z.object({ at: z.string(), fromEpoch: z.number().int().nonnegative() })),
  /** The name a person gave the run; absent: {@link defaultRunName} (and in older records). */
  name: z.string().max(RUN_NAME_MAX).optional(),
  /** A person's notes on the run; absent: none. */
  notes: z.string().max(RUN_NOTES_MAX).optional(),
  /** Why training ended (null while running, for a failed run, and in older records). */
  stopReason: z.enum(STOP_REASONS).nullable().default(null),
  /** The epoch with the lowest validation loss by the improvement rule (src-shared/run/training-schedule.ts); null without validation, and in older records. */
  bestEpoch: z.number().int().positive().nullable().default(null),
  /** The epoch whose weights the run folder's model (and so every export) holds: the best with `keepBest`, else the last; null until the run ends, and in older records (the last). */
  keptEpoch: z.number().int().positive().nullable().default(null),
  /** Early stopping counts epochs without improvement after this one: 0, or the epoch a run that had stopped early was continued from. */
  patienceFrom: z.number().int().nonnegative().default(0),
});
/** A run record. */
export type RunRecord = z.infer<typeof RunRecordSchema>;

/** The unversioned record of earlier versions, written once at the end of a run (finished, stopped or failed). */
const LegacyRecordSchema = z.object({
  runId: z.string().min(1).max(200),
  status: z.enum(['finished', 'stopped', 'failed']),
  error: RunFailureSchema.optional(),
  backend: z.enum(BACKENDS).optional(),
  backendNotes: z.array(z.string()).optional(),
  threads: z.number().int().min(1).optional(),
  paramCount: z.number().int().nonnegative().optional(),
  dataset: DatasetSummarySchema.partial().extend({ ref: DatasetRefSchema.nullable().optional() }).optional(),
  seed: z.number().int().optional(),
  settings: TrainingSettingsSchema.optional(),
  maxSamples: z.number().int().positive().nullable().optional(),
  epochs: z.array(EpochMetricsSchema),
  finishedAt: z.string().optional(),
});

/** The outcome of reading a record: the record (migrated if it was older), or what is wrong with it. */
export type ParsedRunRecord = { ok: true; record: RunRecord; migratedFrom: number | null } | { ok: false; error: string };

function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  return `${issue?.path.length ? issue.path.join('.') : 'the record'}: ${issue?.message ?? 'invalid'}`;
}

/** Validates a parsed metrics.json, migrating an unversioned one; the error names the field, never echoes values. */
export function parseRunRecord(raw: unknown): ParsedRunRecord {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { ok: false, error: 'it is not a JSON object' };
  const version = (raw as { version?: unknown }).version;
  if (version === undefined) {
    const legacy = LegacyRecordSchema.safeParse(raw);
    if (!legacy.success) return { ok: false, error: `${firstIssue(legacy.error)} (a record of an earlier version)` };
    const l = legacy.data;
    return {
      ok: true,
      migratedFrom: 1,
      record: {
        version: RUN_RECORD_VERSION,
        runId: l.runId,
        status: l.status,
        pid: null,
        startedAt: null,
        finishedAt: l.finishedAt ?? null,
        error: l.error ?? (l.status === 'failed' ? { message: 'The run failed', hint: '' } : null),
        backend: l.backend ?? null,
        backendNotes: l.backendNotes ?? [],
        backendMeasurement: null,
        threads: l.threads ?? null,
        paramCount: l.paramCount ?? null,
        dataset: { ...l.dataset, ref: l.dataset?.ref ?? null },
        seed: l.seed ?? l.settings?.seed ?? null,
        settings: l.settings ?? null,
        maxSamples: l.maxSamples ?? null,
        epochs: l.epochs,
        pretrain: [],
        // Earlier versions kept no checkpoint; a finished run's final weights are its last epoch's.
        checkpointEpoch: null,
        resumes: [],
        stopReason: null,
        bestEpoch: null,
        keptEpoch: null,
        patienceFrom: 0,
      },
    };
  }
  if (version !== RUN_RECORD_VERSION) {
    return { ok: false, error: typeof version === 'number' && version > RUN_RECORD_VERSION ? `version ${version} is newer than this app reads (${RUN_RECORD_VERSION}); update Autoencoder Studio` : 'version: not a version this app wrote' };
  }
  const parsed = RunRecordSchema.safeParse(raw);
  return parsed.success ? { ok: true, record: parsed.data, migratedFrom: null } : { ok: false, error: firstIssue(parsed.error) };
}

/** The message of a run whose trainer went away while it was "running". */
export const INTERRUPTED_MESSAGE = 'Interrupted: the trainer process ended before the run did (killed, crashed, or the app quit)';

/**
 * The record as it stands for a reader: a "running" record whose trainer is
 * not alive reads as failed (interrupted) with the epochs it kept.
 */
export function settledRecord(record: RunRecord, trainerAlive: boolean): RunRecord {
  if (record.status !== 'running' || trainerAlive) return record;
  const kept = record.checkpointEpoch ?? 0;
  return {
    ...record,
    status: 'failed',
    pid: null,
    error: { message: `${INTERRUPTED_MESSAGE}, after ${record.epochs.length} epoch${record.epochs.length === 1 ? '' : 's'}`, hint: kept > 0 ? `Resume it: it continues from epoch ${kept}.` : 'No epoch finished, so there is nothing to resume; train again.' },
  };
}

/** Whether a (settled) run can train for more epochs from its checkpoint: it ended (finished, stopped or failed) and kept one. */
export function canContinue(record: RunRecord): boolean {
  return record.status !== 'running' && record.checkpointEpoch !== null && record.settings !== null;
}

/** The settings of a run continued for `moreEpochs` epochs after its checkpoint (the other settings stay the run's). */
export function continuedSettings<S extends { epochs: number }>(settings: S, checkpointEpoch: number, moreEpochs: number): S {
  return { ...settings, epochs: checkpointEpoch + moreEpochs };
}

/** Whether a (settled) run can continue from its checkpoint: it ended early and kept one. */
export function canResume(record: RunRecord): boolean {
  return (record.status === 'failed' || record.status === 'stopped') && record.checkpointEpoch !== null && record.settings !== null && record.checkpointEpoch < record.settings.epochs;
}
