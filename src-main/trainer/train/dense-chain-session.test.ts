/**
 * A whole run of a dense template through the one-call dense step
 * (dense-chain.ts, on wasm, split across two threads) against the same run
 * through TF.js's operations on the plain-JavaScript backend: same seed, same
 * real MNIST rows, a cosine learning-rate schedule and keep-best, so the
 * chain's weights must go back into the model before every evaluation and
 * come out of it again after. Epoch by epoch the losses agree, and so do the
 * final weights.
 */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { maxRelDiff } from '../../../tests/helpers/compare';
import { TEST_CACHE_DIR, templateSpec } from '../../../tests/helpers/specs';
import { trainerSetup } from '../../../tests/helpers/trainer-setup';
import { chooseBackend } from '../backend/choose-backend';
import type { TrainerEvent } from '../../../src-shared/protocol/trainer-messages';
import { trainableVariables } from './loss-terms';
import { RunControl, disposeSession, runSession } from './session';

async function run(template: string, backendName: 'wasm' | 'cpu') {
  const { mnist } = await trainerSetup();
  const backend = await chooseBackend(backendName);
  const { project, spec } = templateSpec(template);
  const events: TrainerEvent[] = [];
  const result = await runSession(
    { runId: 'chain', spec, dataset: { kind: 'builtin', id: 'mnist' }, settings: { ...project.training, epochs: 3, batchSize: 50, validationSplit: 0.2, lrSchedule: 'cosine', keepBest: true }, options: { cacheDir: TEST_CACHE_DIR, maxSamples: 500, progressIntervalMs: 0, reconstructionIntervalMs: 60_000, quiet: true, threads: 2 } },
    backend,
    mnist,
    (e) => events.push(e),
    new RunControl(),
  );
  const weights = trainableVariables(result.model).map((v) => v.dataSync().slice() as Float32Array);
  const started = events.find((e) => e.type === 'started') as Extract<TrainerEvent, { type: 'started' }>;
  disposeSession(result);
  return { epochs: result.epochs, weights, started, keptEpoch: result.keptEpoch };
}

describe('a dense run through the one-call step', () => {
  it.each(['vanilla', 'multilayer'])('%s: the losses of every epoch and the kept weights of the same run through TF.js', async (template) => {
    const chain = await run(template, 'wasm');
    const tfjs = await run(template, 'cpu');
    expect(chain.started.threadsReason).toMatch(/one call into our WebAssembly/);
    expect(chain.started.threads).toBe(2);
    expect(tfjs.started.threadsReason).not.toMatch(/one call/);
    expect(chain.epochs).toHaveLength(3);
    chain.epochs.forEach((e, i) => {
      const other = tfjs.epochs[i];
      expect(Math.abs(e.trainLoss - other.trainLoss) / other.trainLoss, `train loss, epoch ${i + 1}`).toBeLessThan(1e-3);
      expect(Math.abs(e.valLoss! - other.valLoss!) / other.valLoss!, `validation loss, epoch ${i + 1}`).toBeLessThan(1e-3);
      expect(e.learningRate).toBe(other.learningRate);
    });
    expect(chain.epochs[2].trainLoss).toBeLessThan(chain.epochs[0].trainLoss);
    expect(chain.keptEpoch).toBe(tfjs.keptEpoch);
    chain.weights.forEach((w, i) => expect(maxRelDiff(w, tfjs.weights[i]), `variable ${i}`).toBeLessThan(1e-2));
    await chooseBackend('wasm');
    expect(tf.getBackend()).toBe('wasm');
  }, 120_000);
});
