/**
 * The dense chain's one-call step against TF.js's: the same real MNIST
 * batches from the same starting weights give the same losses, weights and
 * Adam moments after several steps, on one thread and split across two or
 * three (a last batch with fewer rows than threads too); the models it
 * refuses say why; a worker thread that traps makes the step throw, not hang.
 */
import * as tf from '@tensorflow/tfjs';
import type { Worker } from 'node:worker_threads';
import { beforeAll, describe, expect, it } from 'vitest';
import { maxRelDiff } from '../../../tests/helpers/compare';
import { templateSpec } from '../../../tests/helpers/specs';
import { trainerSetup } from '../../../tests/helpers/trainer-setup';
import type { LoadedDataset } from '../data/dataset';
import { buildModel } from '../model/build-model';
import { disposeBuiltModel } from '../model/dispose-model';
import { partGradientsDeferred, trainableVariables } from '../train/loss-terms';
import { makeOptimizer } from '../train/optimizer';
import { chooseBackend } from './choose-backend';
import { ChainThreadError, DenseChain, denseChainPlan } from './dense-chain';
import { H } from './dense-chain-header';
import type { FusedAdamOptimizer } from './fused-adam';

let mnist: LoadedDataset;
const SAMPLES = 1000;

beforeAll(async () => {
  ({ mnist } = await trainerSetup());
  await chooseBackend('wasm');
});

const rowsOf = (step: number, size: number) => Int32Array.from({ length: size }, (_, i) => (step * 101 + i * 13) % SAMPLES);

/** Weights and moments of `model` after TF.js's steps on `batches`, and the losses. */
function tfjsSteps(template: string, batches: Int32Array[]) {
  const { spec, project } = templateSpec(template);
  const model = buildModel(spec, 7);
  const optimizer = makeOptimizer(project.training);
  const variables = trainableVariables(model);
  const data = tf.tensor(mnist.values.subarray(0, SAMPLES * 784), [SAMPLES, ...spec.inputShape]);
  const losses = batches.map((rows) => {
    const { grads, terms } = partGradientsDeferred(model, spec, data, rows, variables);
    optimizer.applyGradients(grads);
    tf.dispose(Object.values(grads));
    const loss = terms.dataSync()[0];
    terms.dispose();
    return loss;
  });
  data.dispose();
  return { model, optimizer, losses };
}

const weightsOf = (model: ReturnType<typeof buildModel>) => trainableVariables(model).map((v) => v.dataSync() as Float32Array);
const momentsOf = (model: ReturnType<typeof buildModel>, optimizer: tf.Optimizer) => (optimizer as FusedAdamOptimizer).momentSlots(trainableVariables(model)).flatMap(({ m, v }) => [m.dataSync() as Float32Array, v.dataSync() as Float32Array]);

describe('the dense chain’s one-call step', () => {
  it.each([
    ['vanilla', 1, 128],
    ['vanilla', 2, 128],
    ['multilayer', 2, 128],
    ['multilayer', 3, 50],
  ])('%s on %i thread(s), batches of %i: the losses, weights and Adam moments of TF.js’s steps', async (template, threads, batch) => {
    // Three full batches and a last one of 2 rows (fewer than 3 threads: a thread with no rows).
    const batches = [rowsOf(0, batch), rowsOf(1, batch), rowsOf(2, batch), rowsOf(3, 2)];
    const ref = tfjsSteps(template, batches);
    const { spec, project } = templateSpec(template);
    const model = buildModel(spec, 7);
    const optimizer = makeOptimizer(project.training);
    const plan = denseChainPlan(spec, model, project.training);
    if (typeof plan === 'string') throw new Error(plan);
    const chain = await DenseChain.start(plan, optimizer, batch, threads);
    try {
      expect(chain.threads).toBe(threads);
      chain.pull();
      const losses = batches.map((rows) => chain.step(mnist.values.subarray(0, SAMPLES * 784), rows));
      losses.forEach((l, i) => expect(Math.abs(l - ref.losses[i]) / ref.losses[i], `loss ${i}`).toBeLessThan(1e-5));
      // Before a push the model still has its starting weights; after it, the chain's.
      expect(maxRelDiff(weightsOf(model)[0], weightsOf(ref.model)[0])).toBeGreaterThan(1e-4);
      chain.push();
      const [mine, theirs] = [weightsOf(model), weightsOf(ref.model)];
      mine.forEach((w, i) => expect(maxRelDiff(w, theirs[i]), `variable ${i}`).toBeLessThan(1e-4));
      const [m1, m2] = [momentsOf(model, optimizer), momentsOf(ref.model, ref.optimizer)];
      m1.forEach((m, i) => expect(maxRelDiff(m, m2[i]), `moment ${i}`).toBeLessThan(1e-3));
      expect(optimizer.iterations).toBe(ref.optimizer.iterations);
    } finally {
      await chain.dispose();
      disposeBuiltModel(model);
      disposeBuiltModel(ref.model);
      optimizer.dispose();
      ref.optimizer.dispose();
    }
  });

  it('refuses what it does not compute, saying what', () => {
    const refusal = (template: string, optimizer?: 'sgd') => {
      const { spec, project } = templateSpec(template);
      const model = buildModel(spec, 1);
      try {
        return denseChainPlan(spec, model, { optimizer: optimizer ?? project.training.optimizer });
      } finally {
        disposeBuiltModel(model);
      }
    };
    expect(refusal('convolutional')).toMatch(/conv2d layer/);
    expect(refusal('sparse')).toMatch(/penalties/);
    expect(refusal('denoising')).toMatch(/gaussianNoise|maskingNoise|saltPepperNoise|noise/i);
    expect(refusal('vanilla', 'sgd')).toMatch(/sgd optimizer/);
    expect(typeof refusal('vanilla')).toBe('object');
  });

  /**
   * A vanilla chain on 2 threads that has taken one good step; `fault` then
   * breaks it (given the shared header and the chain), and `check` sees the next step.
   */
  async function afterFault(fault: (header: Int32Array, chain: DenseChain) => Promise<void> | void, check: (step: () => number) => void): Promise<void> {
    const { spec, project } = templateSpec('vanilla');
    const model = buildModel(spec, 3);
    const optimizer = makeOptimizer(project.training);
    const plan = denseChainPlan(spec, model, project.training);
    if (typeof plan === 'string') throw new Error(plan);
    const chain = await DenseChain.start(plan, optimizer, 64, 2);
    try {
      chain.pull();
      const data = mnist.values.subarray(0, SAMPLES * 784);
      expect(Number.isFinite(chain.step(data, rowsOf(0, 64)))).toBe(true);
      await fault(new Int32Array((chain as unknown as { i32: Int32Array }).i32.buffer), chain);
      let s = 1;
      check(() => chain.step(data, rowsOf(s++, 64)));
    } finally {
      await chain.dispose();
      disposeBuiltModel(model);
      optimizer.dispose();
    }
  }

  it('a worker thread that dies without a word makes the step fail after the barrier’s patience, not hang', async () => {
    await afterFault(
      async (header, chain) => {
        // Patience shortened only now, after the good step: a busy machine may well hold a live thread 300 ms.
        header[H.PATIENCE] = 300;
        // The worker leaves its loop (as on a stop) and its thread ends: nothing will ever arrive at the barrier.
        const worker = (chain as unknown as { workers: Worker[] }).workers[0];
        const exited = new Promise((resolve) => worker.once('exit', resolve));
        Atomics.store(header, H.STOP, 1);
        Atomics.add(header, H.GO, 1);
        Atomics.notify(header, H.GO);
        await exited;
        Atomics.store(header, H.STOP, 0);
        // As if its exit had not been heard (the trainer thread cannot hear it while it waits inside a step).
        (chain as unknown as { workerError: string | null }).workerError = null;
      },
      (step) => expect(step).toThrow(/stopped answering/),
    );
  });

  it('a worker thread that traps makes the step throw (the trainer thread does not wait for it)', async () => {
    await afterFault(
      // Thread 1's scratch now lies past the end of the memory: its first store traps; thread 0's does not.
      (header) => void (header[H.SCRATCH_STRIDE] = 0x7ff00000),
      (step) => {
        expect(step).toThrow(ChainThreadError);
        expect(step).toThrow(/training thread failed/);
      },
    );
  });
});
