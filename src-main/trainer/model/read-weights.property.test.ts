/**
 * Fuzzing the weights loader on real files: arbitrary bytes as model.json,
 * arbitrary bytes as weights.bin, and arbitrary manifests (paths that escape,
 * absolute paths, odd shapes and dtypes) always end in a DatasetError (a
 * typed refusal with a hint) or a model whose weights are the ones on disk;
 * never an untyped crash, never a hang (each case awaits its own answer).
 */
import * as tf from '@tensorflow/tfjs';
import fc from 'fast-check';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DatasetError } from '../data/dataset';
import { readLayersModel } from './load-weights';
import { saveLayersModel } from './save-layers-model';

const root = mkdtempSync(join(tmpdir(), 'aes-weights-fuzz-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
writeFileSync(join(root, 'secret.txt'), 'TOP-SECRET');

/** A good folder: model.json and weights.bin as TF.js writes them. */
const good = join(root, 'good');
const model = tf.sequential({ layers: [tf.layers.dense({ units: 3, inputShape: [4], name: 'enc' }), tf.layers.dense({ units: 4, name: 'dec' })] });
await saveLayersModel(model, good);
const goodJson = JSON.parse(readFileSync(join(good, 'model.json'), 'utf8')) as { modelTopology: object; weightsManifest: { paths: string[]; weights: unknown[] }[] };
const goodBin = readFileSync(join(good, 'weights.bin'));
const goodWeights = model.getWeights().map((w) => Array.from(w.dataSync()));

let n = 0;
/** Writes a fresh folder for one case and loads it; checks the answer is a typed refusal or a faithful load. */
async function check(modelJson: string | Uint8Array, weights: Uint8Array): Promise<void> {
  const dir = join(root, `case-${n++}`, 'model');
  await saveLayersModel(model, dir); // creates the folder the same way
  writeFileSync(join(dir, 'model.json'), modelJson);
  writeFileSync(join(dir, 'weights.bin'), weights);
  try {
    const loaded = await readLayersModel(dir);
    const values = loaded.getWeights().map((w) => Array.from(w.dataSync()));
    loaded.dispose();
    for (const v of values) for (const x of v) expect(Number.isFinite(x)).toBe(true);
    if (Buffer.from(weights).equals(goodBin) && modelJson === JSON.stringify(goodJson)) expect(values).toEqual(goodWeights);
  } catch (e) {
    if (!(e instanceof DatasetError)) throw new Error(`untyped failure: ${String(e)}`, { cause: e });
    expect(e.hint.length).toBeGreaterThan(10);
    expect(e.message).not.toContain('TOP-SECRET');
  } finally {
    rmSync(join(dir, '..'), { recursive: true, force: true });
  }
}

const pathArb = fc.oneof(fc.constantFrom('weights.bin', '../secret.txt', '../../secret.txt', '/etc/passwd', 'weights.bin/..', '.', '', '..\\secret.txt', 'C:\\x', 'nope.bin'), fc.string({ maxLength: 12 }));
const entryArb = fc.record(
  {
    name: fc.oneof(fc.constantFrom('enc/kernel', 'enc/bias', 'dec/kernel', 'dec/bias'), fc.string({ maxLength: 12 })),
    shape: fc.array(fc.oneof(fc.integer({ min: 0, max: 5 }), fc.integer({ min: -3, max: 2 ** 33 }), fc.double()), { maxLength: 4 }),
    dtype: fc.oneof(fc.constantFrom('float32', 'int32', 'bool', 'string', 'complex64'), fc.string({ maxLength: 6 })),
  },
  { requiredKeys: [] },
);
const manifestArb = fc.array(fc.record({ paths: fc.array(pathArb, { maxLength: 3 }), weights: fc.array(entryArb, { maxLength: 5 }) }), { maxLength: 3 });

describe('readLayersModel on arbitrary input', () => {
  it('arbitrary bytes as model.json: a typed refusal, never a crash', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.uint8Array({ maxLength: 300 }), fc.json({ maxDepth: 3 }).map((t) => Buffer.from(t))), async (bytes) => check(bytes, goodBin)),
      { numRuns: 100 },
    );
  });

  it('arbitrary bytes as weights.bin (NaN and infinities included): a typed refusal or finite weights', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.uint8Array({ maxLength: 200 }), fc.uint8Array({ minLength: goodBin.length, maxLength: goodBin.length })), async (bytes) => check(JSON.stringify(goodJson), bytes)),
      { numRuns: 100 },
    );
  });

  it('arbitrary manifests (escaping paths, odd shapes and dtypes) over the real topology: a typed refusal or a faithful load', async () => {
    await fc.assert(
      fc.asyncProperty(manifestArb, async (weightsManifest) => check(JSON.stringify({ ...goodJson, weightsManifest }), goodBin)),
      { numRuns: 100 },
    );
  });

  it('the untouched folder loads (the property above can succeed)', async () => {
    await check(JSON.stringify(goodJson), goodBin);
    const loaded = await readLayersModel(good);
    expect(loaded.getWeights().map((w) => Array.from(w.dataSync()))).toEqual(goodWeights);
    loaded.dispose();
  });
});
