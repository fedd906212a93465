/**
 * The run folder's one owner on disk: reads, writes and checks metrics.json
 * (the run record, schema in src-shared/run/run-record.ts), knows where the
 * checkpoint lives, checks an output folder before a run writes into it, and
 * reads what a resume needs. Node built-ins only, so the trainer, the
 * services and the CLI all use it without loading TF.js.
 */
import { mkdir, open, rm, statfs } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { ModelSpecSchema } from '../../src-shared/compiler/model-spec';
import type { ModelSpec } from '../../src-shared/compiler/model-spec';
import { CHECKPOINT_DIR, RUN_RECORD_FILE, RunRecordSchema, canContinue, canResume, parseRunRecord, settledRecord } from '../../src-shared/run/run-record';
import type { RunRecord } from '../../src-shared/run/run-record';
import { z } from 'zod';
import { WriteError, writeFailureReason, writeFileAtomic } from './atomic-write';
import { resolveConfinedPath } from './confined-path';
import { FileRefusal } from './file-refusal';
import { openRegularFile, readRegularFile } from './read-regular-file';

/** metrics.json holds one entry per epoch (≈200 bytes); 10,000 epochs fit many times over. */
const RECORD_MAX_BYTES = 32 * 1024 * 1024;
/** spec.json and project.aestudio: the project loader's own cap. */
const TEXT_MAX_BYTES = 16 * 1024 * 1024;

/** Reading a record: the record, or why not (missing: there is no metrics.json, so the folder is not a run). */
export type RunRecordRead = { ok: true; record: RunRecord; migratedFrom: number | null } | { ok: false; missing: boolean; error: string };

/** The checkpoint folder of a run folder. */
export function checkpointDir(runDir: string): string {
  return join(runDir, CHECKPOINT_DIR);
}

/**
 * Reads a small file of a run folder as UTF-8 text through the one reader of
 * untrusted files: FIFOs, devices and oversized files are refused (a
 * `FileRefusal` naming the file as `what`) before reading.
 */
export async function readRunFileText(path: string, what: string, maxBytes = TEXT_MAX_BYTES): Promise<string> {
  return (await readRegularFile(path, { maxBytes, what })).toString('utf8');
}

/** Reads and validates (migrating older versions) a run folder's record; the error names the file and the field, never its content. */
export async function readRunRecord(runDir: string): Promise<RunRecordRead> {
  const file = join(runDir, RUN_RECORD_FILE);
  let text: string;
  try {
    text = await readRunFileText(file, 'a run record', RECORD_MAX_BYTES);
  } catch (e) {
    if (e instanceof FileRefusal && e.reason === 'missing') return { ok: false, missing: true, error: `${file} is missing` };
    return { ok: false, missing: false, error: (e as Error).message };
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    // JSON.parse's own message quotes the text; a record may be a file someone sent, so it is not repeated.
    return { ok: false, missing: false, error: `${file} is not valid JSON (it was edited by hand or cut short)` };
  }
  const parsed = parseRunRecord(raw);
  return parsed.ok ? parsed : { ok: false, missing: false, error: `${file} is not a run record: ${parsed.error}` };
}

/** Writes a record atomically, after checking it against the schema (a record this app cannot read back is never written). */
export async function writeRunRecord(runDir: string, record: RunRecord): Promise<void> {
  const checked = RunRecordSchema.parse(record);
  await writeFileAtomic(join(runDir, RUN_RECORD_FILE), `${JSON.stringify(checked, null, 2)}\n`);
}

/** Whether a process with this id exists (EPERM: it exists but belongs to someone else). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The output folder cannot take the run: not writable, or too little space. */
export class OutputFolderError extends WriteError {
  constructor(path: string, reason: string, cause?: unknown) {
    super(path, reason, cause);
    this.message = `Cannot write the run to ${path}: ${reason}. Nothing was trained.`;
    this.name = 'OutputFolderError';
  }
}

/**
 * Before the first epoch: the folder exists (created if needed), a file can
 * be created in it, and its free space holds `expectedBytes`. A read-only or
 * full disk is found here, not after hours of training.
 */
export async function checkOutputFolder(dir: string, expectedBytes = 0): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
  } catch (e) {
    throw new OutputFolderError(dir, writeFailureReason(e), e);
  }
  const probe = join(dir, `.write-check-${randomBytes(6).toString('hex')}`);
  try {
    await (await open(probe, 'wx')).close();
  } catch (e) {
    throw new OutputFolderError(dir, writeFailureReason(e), e);
  }
  await rm(probe, { force: true });
  const fs = await statfs(dir);
  const free = fs.bavail * fs.bsize;
  if (free < expectedBytes) {
    const mb = (n: number) => `${(n / 1e6).toFixed(1)} MB`;
    throw new OutputFolderError(dir, `the disk has ${mb(free)} free and the run needs about ${mb(expectedBytes)} (weights, checkpoint, images)`);
  }
}

const CheckpointSchema = z.object({
  epoch: z.number().int().positive(),
  optimizer: z
    .object({
      path: z.string().min(1).max(200),
      specs: z.array(z.object({ name: z.string().max(1000), shape: z.array(z.number().int().nonnegative()).max(8), dtype: z.enum(['float32', 'int32']) })).max(100_000),
    })
    .nullable(),
});

/** A checkpoint's epoch and optimizer slots (raw TF.js weight data and its specs), as the checkpoint's model.json names them. */
export interface CheckpointInfo {
  epoch: number;
  optimizer: { data: ArrayBuffer; specs: NonNullable<z.infer<typeof CheckpointSchema>['optimizer']>['specs'] } | null;
}

/** Reads which epoch a checkpoint folder holds, and its optimizer slots (their file confined to the folder, its size checked against the specs). */
export async function readCheckpoint(dir: string): Promise<CheckpointInfo> {
  const file = join(dir, 'model.json');
  let meta: z.infer<typeof CheckpointSchema>;
  try {
    const parsed = CheckpointSchema.safeParse((JSON.parse(await readRunFileText(file, "a checkpoint's model.json", RECORD_MAX_BYTES)) as { checkpoint?: unknown }).checkpoint);
    if (!parsed.success) throw new Error(`checkpoint.${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message}`);
    meta = parsed.data;
  } catch (e) {
    const missing = e instanceof FileRefusal && e.reason === 'missing';
    throw new Error(`${file} ${missing ? 'is missing' : `is not a checkpoint (${e instanceof SyntaxError ? 'not valid JSON' : (e as Error).message})`}; the run cannot be resumed from it`, { cause: e });
  }
  if (!meta.optimizer) return { epoch: meta.epoch, optimizer: null };
  const bytes = meta.optimizer.specs.reduce((n, s) => n + 4 * s.shape.reduce((a, b) => a * b, 1), 0);
  // No cap of its own: the size must equal what the specs need, checked from fstat before a byte is read.
  const opened = await openRegularFile(await resolveConfinedPath(meta.optimizer.path, { file, field: 'checkpoint.optimizer.path' }), { maxBytes: Number.MAX_SAFE_INTEGER, what: 'an optimizer file' });
  if (opened.size !== bytes) {
    await opened.close();
    throw new Error(`${join(dir, meta.optimizer.path)} holds ${opened.size} bytes, not the ${bytes} its specs need; the run cannot be resumed from it`);
  }
  const data = await opened.read();
  return { epoch: meta.epoch, optimizer: { data: data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) as ArrayBuffer, specs: meta.optimizer.specs } };
}

/** What resuming a run needs from its folder. */
export interface ResumePlan {
  record: RunRecord;
  spec: ModelSpec;
  projectText: string | undefined;
}

/**
 * Reads a run folder's spec.json through the regular-file reader and checks it
 * against ModelSpecSchema: the one reader of a run's spec (resume, export and
 * the run list). Throws a `FileRefusal` when the file is missing or refused,
 * and an Error naming the file (and the field) when it is not JSON or not a spec.
 */
export async function readRunSpec(runDir: string): Promise<ModelSpec> {
  const specFile = join(runDir, 'spec.json');
  const text = await readRunFileText(specFile, 'a model spec');
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new Error(`${specFile} is not valid JSON (${(e as Error).message})`, { cause: e });
  }
  const parsed = ModelSpecSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${specFile} is not a model spec (${issue?.path.join('.') || 'top level'}: ${issue?.message})`);
  }
  return parsed.data;
}

/**
 * Reads a run folder for `--resume` / the Resume button: its record (a
 * "running" one whose trainer is gone reads as interrupted), its spec and
 * project. With `extend` (more epochs: `--more-epochs`, Continue), a run that
 * finished (or stopped early) continues too. Throws with what is wrong and what to do.
 */
export async function readResumePlan(runDir: string, trainerAlive: (record: RunRecord) => boolean, { extend = false }: { extend?: boolean } = {}): Promise<ResumePlan> {
  const read = await readRunRecord(runDir);
  if (!read.ok) throw new Error(read.missing ? `${runDir} is not a run folder (${read.error})` : read.error);
  const record = settledRecord(read.record, trainerAlive(read.record));
  if (record.status === 'running') throw new Error(`The run in ${runDir} is still training (trainer process ${record.pid}); stop it before resuming.`);
  if (extend) {
    if (!canContinue(record)) throw new Error(`The run in ${runDir} kept no checkpoint to continue from (it ended before an epoch finished, or was written by a version that removed it when the run finished); train it again.`);
  } else {
    if (record.status === 'finished') throw new Error(`The run in ${runDir} has ${record.stopReason === 'earlyStopping' ? 'stopped early' : 'finished all its epochs'}; there is nothing to resume. Continue it for more epochs instead (aestudio train --resume RUN_DIR --more-epochs N, or Continue in the Runs panel).`);
    if (!canResume(record)) throw new Error(`The run in ${runDir} kept no checkpoint to resume from (it ended before an epoch finished, or was written by an earlier version); train it again.`);
  }
  let spec: ModelSpec;
  try {
    spec = await readRunSpec(runDir);
  } catch (e) {
    throw new Error(`${(e as Error).message}; the run cannot be resumed.`, { cause: e });
  }
  const projectText = await readRunFileText(join(runDir, 'project.aestudio'), 'a project file').catch(() => undefined);
  return { record, spec, projectText };
}
