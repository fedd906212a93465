/**
 * The Train view's look inside a run, on real MNIST digits with real TF.js:
 * a named layer's activations equal the model's own layers applied up to it,
 * answers stay within their bounds or are refused with a reason, the latent
 * plot's thumbnails are the samples themselves, and a run streams the watched
 * layer's activations after each epoch.
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compile } from '../../../src-shared/compiler/compile';
import type { ModelSpec } from '../../../src-shared/compiler/model-spec';
import { ACTIVATION_LIMITS, THUMBNAIL_VECTOR_VALUES } from '../../../src-shared/protocol/live-views';
import type { TrainerEvent } from '../../../src-shared/protocol/trainer-messages';
import { valuesToBytes } from '../../../src-shared/util/pixels';
import { chainGraph } from '../../../tests/helpers/graphs';
import type { ChainStep } from '../../../tests/helpers/graphs';
import { TEST_CACHE_DIR, templateSpec } from '../../../tests/helpers/specs';
import { trainerSetup } from '../../../tests/helpers/trainer-setup';
import type { BackendChoice } from '../backend/choose-backend';
import type { LoadedDataset } from '../data/dataset';
import { buildModel } from '../model/build-model';
import type { BuiltModel } from '../model/build-model';
import { disposeBuiltModel } from '../model/dispose-model';
import { ActivationProbe, latentThumbnails } from './live-views';
import { RunControl, disposeSession, runSession } from './session';

let backend: BackendChoice;
let mnist: LoadedDataset;
let digits: tf.Tensor4D;
const models: BuiltModel[] = [];

beforeAll(async () => {
  ({ backend, mnist } = await trainerSetup());
  digits = tf.tensor4d(mnist.values.subarray(0, 8 * 784), [8, 28, 28, 1]);
});
afterAll(() => {
  digits.dispose();
  models.forEach(disposeBuiltModel);
});

function specOf(steps: ChainStep[]): ModelSpec {
  const r = compile(chainGraph(steps));
  if (!r.ok) throw new Error(`test graph does not compile: ${r.diagnostics.map((d) => d.message).join('; ')}`);
  return r.spec;
}

function built(spec: ModelSpec): BuiltModel {
  const m = buildModel(spec, 7);
  models.push(m);
  return m;
}

const CONV: ChainStep[] = [
  ['in', 'input'],
  ['e1', 'encoder', { layer: 'conv', filters: 8, pool: 2 }],
  ['code', 'bottleneck', { form: 'conv', size: 4, pool: 2 }],
  ['d1', 'decoder', { layer: 'deconv', filters: 8, kernel: 2, stride: 2 }],
  ['d2', 'decoder', { layer: 'deconv', filters: 1, kernel: 2, stride: 2, activation: 'sigmoid' }],
  ['out', 'output'],
];

describe('activations of a named layer', () => {
  it("equal the model's layers applied in order up to that layer, for feature maps and for vectors", async () => {
    for (const [spec, sample] of [[specOf(CONV), 3], [templateSpec('vanilla').spec, 5]] as const) {
      const model = built(spec);
      const probe = new ActivationProbe(model);
      // Every layer the inference graph holds, applied eagerly one after another (these specs are chains).
      let x: tf.Tensor = digits.slice(sample, 1);
      for (const l of spec.layers) {
        const layer = model.inference.layers.find((k) => k.name === l.name);
        if (layer) x = layer.apply(x) as tf.Tensor;
        const got = await probe.activations(digits, { layer: l.name, sample });
        const want = x.shape.length === 4 ? tf.transpose(x.reshape(x.shape.slice(1)), [2, 0, 1]) : x.flatten();
        expect(got.kind, l.name).toBe(x.shape.length === 4 ? 'maps' : 'vector');
        if (got.kind === 'refused') throw new Error(got.message);
        expect(got.values.length).toBe(want.size);
        const w = want.dataSync();
        const worst = got.values.reduce((m, v, i) => Math.max(m, Math.abs(v - w[i])), 0);
        expect(worst, `${l.name}: largest difference`).toBeLessThan(1e-4);
        if (got.kind === 'maps') expect([got.height, got.width, got.channels]).toEqual(x.shape.slice(1));
        want.dispose();
      }
      x.dispose();
      // The input node shows the sample itself.
      const input = await probe.activations(digits, { layer: 'input', sample });
      expect(input.kind === 'maps' && Array.from(input.values)).toEqual(Array.from(mnist.values.subarray(sample * 784, (sample + 1) * 784)));
    }
  });

  it('are refused, with what to do, for an unknown layer, a sample not shown, and maps over 64×64; channels past 64 are left out', async () => {
    const spec = specOf(CONV);
    const probe = new ActivationProbe(built(spec));
    const unknown = await probe.activations(digits, { layer: 'no-such-layer', sample: 0 });
    expect(unknown).toMatchObject({ kind: 'refused', message: expect.stringMatching(/no layer "no-such-layer".*Train again/) });
    const far = await probe.activations(digits, { layer: spec.layers[0].name, sample: 8 });
    expect(far).toMatchObject({ kind: 'refused', message: expect.stringMatching(/Sample 9 is not one of the 8 .*from 1 to 8/) });

    const big = specOf([['in', 'input'], ['up', 'upsample', { size: 4 }], ['p', 'pooling', { size: 4 }], ['code', 'bottleneck', { form: 'conv', size: 1, pool: 1 }], ['out', 'output']]);
    const upName = big.layers.find((l) => l.nodeId === 'up')!.name;
    const large = await new ActivationProbe(built(big)).activations(digits, { layer: upName, sample: 0 });
    expect(large).toMatchObject({ kind: 'refused', message: expect.stringMatching(/112×112, larger than the 64×64.*choose a layer after a pooling/) });

    const wide = specOf([['in', 'input'], ['e1', 'encoder', { layer: 'conv', filters: 100, pool: 2 }], ['code', 'bottleneck', { form: 'conv', size: 4, pool: 2 }], ['d1', 'decoder', { layer: 'deconv', filters: 8, kernel: 2, stride: 2 }], ['d2', 'decoder', { layer: 'deconv', filters: 1, kernel: 2, stride: 2, activation: 'sigmoid' }], ['out', 'output']]);
    const e1 = wide.layers.filter((l) => l.nodeId === 'e1').at(-1)!.name;
    const maps = await new ActivationProbe(built(wide)).activations(digits, { layer: e1, sample: 0 });
    expect(maps).toMatchObject({ kind: 'maps', channels: 100, shown: ACTIVATION_LIMITS.channels, height: 14, width: 14 });
    expect(maps.kind === 'maps' && maps.values.length).toBe(ACTIVATION_LIMITS.channels * 14 * 14);
  });
});

describe('latent thumbnails', () => {
  it('are the samples as 8-bit pixels; larger images shrink to 28×28×3, long vectors to a bounded plot', async () => {
    const small = await latentThumbnails(digits, { lo: 0, hi: 1 });
    expect(small).toMatchObject({ kind: 'image', shape: [28, 28, 1], count: 8 });
    expect(Array.from(small.pixels)).toEqual(Array.from(valuesToBytes(mnist.values.subarray(0, 8 * 784), 0, 1)));

    const photos = tf.ones([2, 56, 84, 4]);
    const shrunk = await latentThumbnails(photos, { lo: 0, hi: 1 });
    photos.dispose();
    expect(shrunk).toMatchObject({ kind: 'image', shape: [18, 28, 3], count: 2 });
    expect(shrunk.pixels.every((p) => p === 255)).toBe(true);

    const rows = tf.linspace(0, 1, 3 * 5000).reshape([3, 5000]);
    const vec = await latentThumbnails(rows, { lo: 0, hi: 1 });
    rows.dispose();
    expect(vec).toMatchObject({ kind: 'vector', shape: [1, THUMBNAIL_VECTOR_VALUES, 1], count: 3 });
    expect(vec.pixels.length).toBe(3 * THUMBNAIL_VECTOR_VALUES);
    expect(vec.pixels[0]).toBe(0);
    expect(vec.pixels.at(-1)).toBe(255);
  });
});

describe('a run with a watched layer', () => {
  it('sends the thumbnails once with started, and the watched activations after each epoch and when the watch changes', async () => {
    const spec = specOf(CONV);
    const control = new RunControl();
    const events: TrainerEvent[] = [];
    const e1 = spec.layers.filter((l) => l.nodeId === 'e1').at(-1)!.name;
    control.watch({ layer: e1, sample: 2 });
    const result = await runSession(
      { runId: 'watch', spec, dataset: { kind: 'builtin', id: 'mnist' }, settings: { ...templateSpec('vanilla').project.training, epochs: 2, batchSize: 64, validationSplit: 0.2 }, options: { cacheDir: TEST_CACHE_DIR, maxSamples: 300, progressIntervalMs: 0, reconstructionIntervalMs: 60_000, quiet: false } },
      backend,
      mnist,
      (e) => {
        events.push(e);
        // Mid-run, the person selects another node: answered before the next batch.
        if (e.type === 'epoch' && e.metrics.epoch === 1) control.watch({ layer: 'input', sample: 0 });
      },
      control,
    );
    disposeSession(result);
    const started = events.find((e) => e.type === 'started') as Extract<TrainerEvent, { type: 'started' }>;
    expect(started.latentSamples).toMatchObject({ kind: 'image', shape: [28, 28, 1], count: 60 });
    const acts = events.filter((e) => e.type === 'activations');
    expect(acts.map((a) => [a.layer, a.epoch, a.batch])).toEqual([
      [e1, 1, 0], // owed from the start: before the first batch
      ['input', 1, 4], // watched from epoch 1's epoch event on: sent after its latent points (4 batches of 240 samples)
      ['input', 2, 4],
    ]);
    expect(acts[0].activations).toMatchObject({ kind: 'maps', height: 14, width: 14, channels: 8, shown: 8 });
  });
});
