/**
 * Choosing a run's backend by measurement: every backend that loads runs real
 * training steps of the run's own model, the fastest is taken and the choice
 * is remembered per model and machine; a corrupt cache only costs a new
 * measurement. (Which backend wins is this machine's business: the tests
 * check that the fastest measured one is taken, never which one that is.)
 */
import * as tf from '@tensorflow/tfjs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compile } from '../../../src-shared/compiler/compile';
import { DEFAULT_TRAINING_SETTINGS } from '../../../src-shared/project/training-settings';
import type { BackendTrial } from '../../../src-shared/protocol/trainer-messages';
import { chainGraph } from '../../../tests/helpers/graphs';
import { HAS_TFJS_NODE } from '../../../tests/helpers/tfjs-node';
import { CHOICE_CACHE_FILE } from './choice-cache';
import { TF_NAME } from './choose-backend';
import { chooseMeasuredBackend, fastestTrial } from './measure-backends';

const r = compile(chainGraph([['in', 'input'], ['enc', 'encoder', { units: 32 }], ['code', 'bottleneck', { size: 8 }], ['dec', 'decoder', { units: 784 }], ['out', 'output']]));
if (!r.ok) throw new Error(r.diagnostics.map((d) => d.message).join('; '));
const spec = r.spec;
const settings = { ...DEFAULT_TRAINING_SETTINGS, batchSize: 32 };

describe('fastestTrial', () => {
  const trial = (backend: BackendTrial['backend'], msPerStep: number | null): BackendTrial => ({ backend, threads: 1, msPerStep, error: msPerStep === null ? 'failed' : null });
  it('takes the fewest milliseconds a step, skips failed trials, and the first listed on a tie', () => {
    expect(fastestTrial([trial('node', 12), trial('wasm', 4)])?.backend).toBe('wasm');
    expect(fastestTrial([trial('node', 3), trial('wasm', 4)])?.backend).toBe('node');
    expect(fastestTrial([trial('node', null), trial('wasm', 40)])?.backend).toBe('wasm');
    expect(fastestTrial([trial('node', 5), trial('wasm', 5)])?.backend).toBe('node');
    expect(fastestTrial([trial('node', null)])).toBeNull();
  });
});

describe.runIf(HAS_TFJS_NODE)('with tfjs-node and wasm both loading', () => {
  it('times both on the model, trains on the faster, remembers it, and measures again when the cache is corrupt', async () => {
    const cacheDir = await mkdtemp(join(tmpdir(), 'aes-choice-'));
    const first = await chooseMeasuredBackend(spec, settings, { cacheDir });
    const m = first.measurement!;
    expect(m.cached).toBe(false);
    // node once; wasm on one thread and, with more than one core, on one per core (this dense model can split its batches).
    expect(m.trials.filter((t) => t.backend === 'node').map((t) => t.threads)).toEqual([1]);
    expect(m.trials.filter((t) => t.backend === 'wasm').map((t) => t.threads)).toEqual(availableParallelism() > 1 ? [1, Math.min(availableParallelism(), 4)] : [1]);
    for (const t of m.trials) expect(t.msPerStep, t.backend).toBeGreaterThan(0);
    expect(first.name).toBe(fastestTrial(m.trials)!.backend);
    expect(first.threads).toBe(fastestTrial(m.trials)!.threads);
    expect(tf.getBackend()).toBe(TF_NAME[first.name]);
    expect(m.reason).toMatch(new RegExp(`ms a training step: ${first.name}( on \\d threads)?, the fastest$`));
    // tfjs-node was timed in a process of its own: unless it won, this process never loaded it.
    if (first.name !== 'node') expect(tf.findBackend(TF_NAME.node)).toBeNull();

    const again = await chooseMeasuredBackend(spec, settings, { cacheDir });
    expect(again.measurement).toEqual({ ...m, cached: true });
    expect(again.name).toBe(first.name);
    expect(again.threads).toBe(first.threads);
    expect(tf.getBackend()).toBe(TF_NAME[first.name]);

    // A remembered choice of tfjs-node (as on a machine where it wins) loads it into this process, which the measurement did not.
    const file = join(cacheDir, CHOICE_CACHE_FILE);
    const cache = JSON.parse(await readFile(file, 'utf8')) as { entries: { trials: BackendTrial[] }[] };
    for (const t of cache.entries[0].trials) if (t.backend === 'node') t.msPerStep = 0.001;
    await writeFile(file, JSON.stringify(cache));
    const nodeRemembered = await chooseMeasuredBackend(spec, settings, { cacheDir });
    expect(nodeRemembered).toMatchObject({ name: 'node', threads: 1, measurement: { cached: true } });
    expect(tf.getBackend()).toBe(TF_NAME.node);
    await tf.setBackend(TF_NAME[first.name]);

    // Another model (or batch size) is another entry.
    const other = await chooseMeasuredBackend(spec, { ...settings, batchSize: 16 }, { cacheDir });
    expect(other.measurement!.cached).toBe(false);
    expect(JSON.parse(await readFile(join(cacheDir, CHOICE_CACHE_FILE), 'utf8')).entries).toHaveLength(2);

    await writeFile(join(cacheDir, CHOICE_CACHE_FILE), '{"version": 1, "entries": [{"key": "../../etc"}]}');
    const remeasured = await chooseMeasuredBackend(spec, settings, { cacheDir });
    expect(remeasured.measurement!.cached).toBe(false);
    expect(JSON.parse(await readFile(join(cacheDir, CHOICE_CACHE_FILE), 'utf8')).entries).toHaveLength(1);
  });
});

describe.runIf(!HAS_TFJS_NODE)('with only wasm loading', () => {
  it('takes wasm without measuring and says why node is not there', async () => {
    const choice = await chooseMeasuredBackend(spec, settings, { cacheDir: await mkdtemp(join(tmpdir(), 'aes-choice-')) });
    expect(choice).toMatchObject({ name: 'wasm', measurement: null });
    expect(choice.notes.join()).toMatch(/^node: tfjs-node is not installed/);
  });
});
