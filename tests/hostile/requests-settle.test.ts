/**
 * Every request answers on a run whose weights are broken: export, evaluate,
 * each analysis and decode, through the real TrainingService and a forked
 * trainer, on a run folder whose weights.bin holds NaN, random bytes, or
 * finite values so large that the model's outputs overflow. Each request
 * resolves or rejects with a message a person can act on; none waits
 * forever. The CLI says so too, and exits non-zero.
 */
import { randomBytes } from 'node:crypto';
import { cp, mkdtemp, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANALYSIS_TASKS } from '../../src-shared/analysis/analysis-messages';
import { EXPORT_FORMATS } from '../../src-shared/protocol/trainer-messages';
import type { TrainerEvent } from '../../src-shared/protocol/trainer-messages';
import { TrainingService } from '../../src-main/services/training-service';
import { forkLauncher } from '../../src-main/trainer/host/trainer-child';
import { aestudio } from '../helpers/cli';
import { TEST_CACHE_DIR, templateSpec } from '../helpers/specs';

let service: TrainingService;
let work: string;
const runs: Record<'nan' | 'random' | 'huge', string> = { nan: '', random: '', huge: '' };

/** A copy of the trained run whose weights.bin is `fill(bytes)` (same length). */
async function corruptedCopy(source: string, name: string, fill: (length: number) => Uint8Array): Promise<string> {
  const dir = join(work, name);
  await cp(source, dir, { recursive: true });
  const { size } = await stat(join(source, 'weights.bin'));
  await writeFile(join(dir, 'weights.bin'), fill(size));
  return dir;
}

const float32s = (value: number) => (length: number) => new Uint8Array(new Float32Array(length / 4).fill(value).buffer);

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'aes-settle-'));
  service = new TrainingService(forkLauncher());
  const { project, spec } = templateSpec('vanilla');
  const base = join(work, 'trained');
  const ended = new Promise<TrainerEvent>((resolve) => service.onEvent((e) => (e.type === 'done' || e.type === 'error') && resolve(e)));
  await service.start({ spec, dataset: { kind: 'builtin', id: 'mnist' }, settings: { ...project.training, epochs: 1 }, options: { cacheDir: TEST_CACHE_DIR, maxSamples: 200, progressIntervalMs: 0, outDir: base } });
  expect(await ended).toMatchObject({ type: 'done', status: 'finished' });
  runs.nan = await corruptedCopy(base, 'nan', float32s(NaN));
  runs.random = await corruptedCopy(base, 'random', (n) => new Uint8Array(randomBytes(n)));
  runs.huge = await corruptedCopy(base, 'huge', float32s(1e30)); // finite, but 784 inputs × 1e30 overflow float32 within two layers
}, 60_000);

afterAll(() => service?.dispose());

/** What a request came to: its value, or the message it was refused with. */
async function outcome(p: Promise<unknown>): Promise<{ ok: true } | { ok: false; message: string }> {
  try {
    await p;
    return { ok: true };
  } catch (e) {
    return { ok: false, message: (e as Error).message };
  }
}

/** A refusal a person can act on: says what, no stack, no "bug", no raw TypeError, punctuated once. */
function expectReadable(message: string): void {
  expect(message.length).toBeGreaterThan(20);
  expect(message).not.toMatch(/looks like a bug|TypeError|undefined|(?<!\.)\.\.(?!\.)|\n\s+at /);
}

const requests = (run: string): [string, () => Promise<unknown>][] => [
  ['export', () => service.exportRun(run, join(run, 'export'), [...EXPORT_FORMATS], TEST_CACHE_DIR)],
  ['evaluate', () => service.evaluate(run, { kind: 'builtin', id: 'mnist' }, TEST_CACHE_DIR)],
  ...ANALYSIS_TASKS.map((task): [string, () => Promise<unknown>] => [`analyze ${task}`, () => service.analyze(run, { task }, TEST_CACHE_DIR, join(run, 'analysis'))]),
  ['decode', () => service.decode(run, new Float32Array(64), 1, TEST_CACHE_DIR)],
];

describe('every request settles on broken weights', () => {
  it.each(['nan', 'random'] as const)('refuses evaluate, every analysis and decode with a readable message on %s weights; export answers too', async (kind) => {
    for (const [name, send] of requests(runs[kind])) {
      const r = await outcome(send());
      if (name === 'export' && r.ok) continue; // copying weights as they are is an answer; the loader may refuse them instead
      expect(r, name).toMatchObject({ ok: false });
      if (!r.ok) {
        expectReadable(r.message);
        expect(r.message, name).toMatch(/NaN|infinite|not finite|weights/i);
      }
    }
  }, 120_000);

  it('answers every request on finite weights whose outputs overflow: a result, or a refusal naming NaN or overflow', async () => {
    const refused: string[] = [];
    for (const [name, send] of requests(runs.huge)) {
      const r = await outcome(send());
      if (!r.ok) {
        expectReadable(r.message);
        expect(r.message, name).toMatch(/NaN|infinite|not finite|too large|overflow/i);
        refused.push(name);
      }
    }
    // The codes overflow: whatever works from them (PCA of codes, latent axes, k-NN on codes) must refuse, not score nonsense.
    expect(refused).toEqual(expect.arrayContaining(['analyze pca', 'analyze latent', 'analyze features']));
  }, 120_000);
});

describe('the CLI on NaN weights', () => {
  it.each([['evaluate'], ['analyze', '--task', 'denoise']])('aestudio %s exits 1 with one readable error line, no stack', async (command, ...rest) => {
    const r = await aestudio(command, runs.nan, ...rest);
    expect(r.code).toBe(1);
    const error = r.stderr.split('\n').find((l) => l.startsWith('error: '));
    expect(error).toBeDefined();
    expectReadable(error!);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  }, 60_000);
});
