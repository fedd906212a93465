/** The run record's one schema: today's version validates, the unversioned files of earlier versions migrate, broken ones say which field. */
import { describe, expect, it } from 'vitest';
import { RUN_NAME_MAX, RUN_RECORD_VERSION, RunLabelsSchema, canContinue, canResume, continuedSettings, defaultRunName, parseRunRecord, settledRecord, withLabels } from './run-record';
import type { RunRecord } from './run-record';

const settings = { epochs: 5, batchSize: 128, optimizer: 'adam', learningRate: 0.001, momentum: 0.9, validationSplit: 0.1, seed: 42 } as const;
const epoch = (n: number) => ({ epoch: n, trainLoss: 0.1, valLoss: 0.09, penalties: {}, seconds: 1, samplesPerSec: 9000 });

/** metrics.json exactly as writeRunOutputs wrote it before the record had a version (a finished run). */
const LEGACY_FINISHED = {
  runId: 'a1',
  status: 'finished',
  backend: 'wasm',
  backendNotes: ['node: tfjs-node is not installed'],
  threads: 1,
  paramCount: 101200,
  dataset: { ref: { kind: 'builtin', id: 'mnist' }, name: 'MNIST digits', shape: [28, 28, 1], count: 10000, sourceRange: [0, 1], normalization: 'scaled-0-1', labelCount: 10 },
  seed: 42,
  settings,
  maxSamples: null,
  epochs: [epoch(1), epoch(2)],
  finishedAt: '2026-01-02T03:04:05.000Z',
};

/** …and as writeFailedRun wrote a failed one. */
const LEGACY_FAILED = {
  runId: 'b2',
  status: 'failed',
  error: { message: '/data/x.npy does not exist', hint: 'Check the path.' },
  dataset: { ref: { kind: 'npy', path: '/data/x.npy', options: {} } },
  seed: 42,
  settings,
  epochs: [],
  finishedAt: '2026-01-02T03:04:05.000Z',
};

describe('run record', () => {
  it('migrates an unversioned finished record of earlier versions to the current version, keeping every field', () => {
    const r = parseRunRecord(LEGACY_FINISHED);
    expect(r.ok && r.migratedFrom).toBe(1);
    if (!r.ok) return;
    expect(r.record).toMatchObject({ version: RUN_RECORD_VERSION, runId: 'a1', status: 'finished', backend: 'wasm', paramCount: 101200, seed: 42, settings, maxSamples: null, checkpointEpoch: null, resumes: [], pid: null });
    expect(r.record.dataset).toEqual(LEGACY_FINISHED.dataset);
    expect(r.record.epochs).toHaveLength(2);
    expect(canResume(r.record)).toBe(false);
  });

  it('migrates an unversioned failed record with its error and empty epochs', () => {
    const r = parseRunRecord(LEGACY_FAILED);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.record).toMatchObject({ status: 'failed', error: LEGACY_FAILED.error, dataset: { ref: LEGACY_FAILED.dataset.ref }, backend: null, paramCount: null, epochs: [] });
  });

  it('round-trips a current record, and refuses a hand-edited one naming the field without echoing its value', () => {
    const migrated = parseRunRecord(LEGACY_FINISHED);
    if (!migrated.ok) throw new Error('fixture');
    expect(parseRunRecord(JSON.parse(JSON.stringify(migrated.record)))).toEqual({ ok: true, record: migrated.record, migratedFrom: null });
    const edited = { ...migrated.record, status: 'great-SECRET', epochs: [{ ...epoch(1), trainLoss: 'low' }] };
    const r = parseRunRecord(edited);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error).toMatch(/^status: /);
    expect(r.error).not.toContain('SECRET');
    expect(parseRunRecord({ ...migrated.record, version: 9 })).toEqual({ ok: false, error: expect.stringContaining('version 9 is newer') });
    expect(parseRunRecord([1, 2])).toEqual({ ok: false, error: 'it is not a JSON object' });
  });

  it('reads a "running" record whose trainer is gone as failed (interrupted) with the epochs it kept, resumable from its checkpoint', () => {
    const running: RunRecord = { ...(parseRunRecord(LEGACY_FINISHED) as { record: RunRecord }).record, status: 'running', pid: 1234, finishedAt: null, epochs: [epoch(1), epoch(2), epoch(3)], checkpointEpoch: 3 };
    expect(settledRecord(running, true)).toBe(running);
    const settled = settledRecord(running, false);
    expect(settled).toMatchObject({ status: 'failed', pid: null, error: { message: expect.stringMatching(/^Interrupted: .* after 3 epochs$/), hint: 'Resume it: it continues from epoch 3.' } });
    expect(settled.epochs).toHaveLength(3);
    expect(canResume(settled)).toBe(true);
    expect(canResume(settledRecord({ ...running, checkpointEpoch: null, epochs: [] }, false))).toBe(false);
  });

  it('reads a version-2 record written before layer-wise pretraining as one without stages, and keeps stages it has', () => {
    const { pretrain: _omitted, ...older } = (parseRunRecord(LEGACY_FINISHED) as { record: RunRecord }).record;
    const read = parseRunRecord(JSON.parse(JSON.stringify(older)));
    expect(read).toMatchObject({ ok: true, record: { pretrain: [] } });
    const stage = { stage: 1, stages: 1, pair: ['code', 'dec'], layers: ['code', 'dec'], loss: 'bce', epochs: [{ epoch: 1, trainLoss: 0.2, valLoss: null, seconds: 1 }] };
    expect(parseRunRecord({ ...older, pretrain: [stage] })).toMatchObject({ ok: true, record: { pretrain: [stage] } });
    expect(parseRunRecord({ ...older, pretrain: [{ ...stage, pair: ['code'] }] })).toEqual({ ok: false, error: expect.stringContaining('pretrain.0.pair') });
  });

  it('keeps a name and notes a person gave, reads records without them, and refuses what it could not write back', () => {
    const { record } = parseRunRecord(LEGACY_FINISHED) as { record: RunRecord };
    expect(record.name).toBeUndefined();
    const named = withLabels(record, RunLabelsSchema.parse({ name: '  wide code ', notes: 'sharp 1s' }));
    expect(parseRunRecord(JSON.parse(JSON.stringify(named)))).toMatchObject({ ok: true, record: { name: 'wide code', notes: 'sharp 1s', epochs: record.epochs } });
    // Only what is given changes; an empty name (or notes) removes it, back to the default.
    expect(withLabels(named, { notes: 'blurry' })).toMatchObject({ name: 'wide code', notes: 'blurry' });
    expect('name' in withLabels(named, { name: '' })).toBe(false);
    expect(parseRunRecord({ ...JSON.parse(JSON.stringify(named)), name: 'x'.repeat(RUN_NAME_MAX + 1) })).toMatchObject({ ok: false, error: expect.stringMatching(/^name: /) });
    expect(RunLabelsSchema.safeParse({ name: 'x'.repeat(RUN_NAME_MAX + 1) }).success).toBe(false);
  });

  it('names a run by its project, data and start until a person names it', () => {
    expect(defaultRunName('Convolutional AE', 'MNIST digits', '2026-11-30T07:12:00.000Z', (iso) => iso.slice(11, 16))).toBe('Convolutional AE · MNIST digits · 07:12');
    expect(defaultRunName('Sparse', 'rows.csv', null, () => 'never')).toBe('Sparse · rows.csv');
  });
});

describe('run record: training controls', () => {
  it('a version-2 record written before the training controls reads with their defaults (no stop reason, best or kept epoch, patience from 0)', () => {
    const migrated = parseRunRecord(LEGACY_FINISHED);
    if (!migrated.ok) throw new Error(migrated.error);
    const { stopReason: _s, bestEpoch: _b, keptEpoch: _k, patienceFrom: _p, ...older } = migrated.record; // as this app wrote version 2 before
    const r = parseRunRecord(JSON.parse(JSON.stringify(older)));
    expect(r.ok && r.record).toMatchObject({ stopReason: null, bestEpoch: null, keptEpoch: null, patienceFrom: 0 });
    expect(r.ok && r.record.epochs[0].learningRate).toBeUndefined();
  });

  it('a finished run can be continued for more epochs only when it kept its checkpoint', () => {
    const migrated = parseRunRecord(LEGACY_FINISHED);
    if (!migrated.ok) throw new Error(migrated.error);
    const finished = migrated.record;
    expect(canContinue(finished)).toBe(false); // earlier versions removed the checkpoint of a finished run
    expect(canContinue({ ...finished, checkpointEpoch: 2 })).toBe(true);
    expect(canResume({ ...finished, checkpointEpoch: 2 })).toBe(false); // plain resume is for runs that ended early
    expect(canContinue({ ...finished, checkpointEpoch: 2, status: 'running' })).toBe(false);
    expect(continuedSettings(settings, 2, 3)).toEqual({ ...settings, epochs: 5 });
  });
});
