/**
 * A chain of every hand-placed layer kind (batch norm, dropout, pooling,
 * flatten, reshape, bilinear upsampling, the new activations) trains one
 * short epoch on MNIST on the wasm backend, and on tfjs-node where it is
 * built, and its trained model
 * exports to ONNX that onnxruntime runs to the same numbers, batch norm with
 * the moving statistics training left.
 */
import * as tf from '@tensorflow/tfjs';
import * as ort from 'onnxruntime-node';
import { beforeAll, describe, expect, it } from 'vitest';
import { compile } from '../../../src-shared/compiler/compile';
import { HAND_PLACED, chainGraph } from '../../../tests/helpers/graphs';
import { TEST_CACHE_DIR } from '../../../tests/helpers/specs';
import { BACKENDS_UNDER_TEST } from '../../../tests/helpers/tfjs-node';
import { trainerSetup } from '../../../tests/helpers/trainer-setup';
import { chooseBackend } from '../backend/choose-backend';
import type { LoadedDataset } from '../data/dataset';
import { layerWeightsOf, onnxModelBytes } from '../export/onnx-graph';
import { DEFAULT_TRAINING_SETTINGS } from '../../../src-shared/project/training-settings';
import { RunControl, disposeSession, runSession } from './session';

let mnist: LoadedDataset;

beforeAll(async () => {
  ({ mnist } = await trainerSetup());
});

// Not webgpu: its test runs on SwiftShader, far too slow for this convolutional chain; webgpu.test.ts trains there.
describe.each(BACKENDS_UNDER_TEST.filter((b) => b !== 'webgpu'))('the hand-placed layer kinds on %s', (backendName) => {
  it('train one short epoch on MNIST, and the trained model exports to ONNX that matches TF.js within 1e-5', async () => {
    const backend = await chooseBackend(backendName);
    const r = compile(chainGraph(HAND_PLACED));
    if (!r.ok) throw new Error(r.diagnostics.map((d) => d.message).join('; '));
    const spec = r.spec;
    const result = await runSession(
      { runId: 'kinds', spec, dataset: { kind: 'builtin', id: 'mnist' }, settings: { ...DEFAULT_TRAINING_SETTINGS, epochs: 1, batchSize: 32, validationSplit: 0.2 }, options: { cacheDir: TEST_CACHE_DIR, maxSamples: 400, progressIntervalMs: 0, reconstructionIntervalMs: 60_000, quiet: true } },
      backend,
      mnist,
      () => {},
      new RunControl(),
    );
    try {
      const [epoch] = result.epochs;
      expect(Number.isFinite(epoch.trainLoss) && Number.isFinite(epoch.valLoss!)).toBe(true);
      const { inference } = result.model;
      const bn = inference.layers.find((l) => l.name === spec.layers.find((s) => s.type === 'batchNormalization')!.name)!;
      expect(Array.from(bn.getWeights()[2].dataSync()).some((v) => v !== 0)).toBe(true); // training moved the moving mean

      const bytes = onnxModelBytes(spec.layers, spec.inputShape, layerWeightsOf(inference), 'kinds');
      const x = tf.tensor(mnist.values.subarray(0, 8 * 784), [8, 28, 28, 1]);
      const expected = (inference.predict(x) as tf.Tensor).dataSync();
      const session = await ort.InferenceSession.create(bytes);
      const got = (await session.run({ input: new ort.Tensor('float32', Float32Array.from(x.dataSync()), x.shape) })).output.data as Float32Array;
      x.dispose();
      let diff = 0;
      for (let i = 0; i < expected.length; i++) diff = Math.max(diff, Math.abs(got[i] - expected[i]));
      expect(diff).toBeLessThan(1e-5);
    } finally {
      disposeSession(result);
    }
  });
});
