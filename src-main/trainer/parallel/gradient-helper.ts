/**
 * Entry of a gradient helper thread: a replica of the model on its own
 * TF.js backend that, each step, takes the trainer's current weights,
 * computes the loss and gradients on its part of the batch and hands them
 * back. It holds no optimizer state: the trainer applies every update.
 */
import * as tf from '@tensorflow/tfjs';
import { parentPort } from 'node:worker_threads';
import { chooseBackend } from '../backend/choose-backend';
import { buildModel } from '../model/build-model';
import type { BuiltModel } from '../model/build-model';
import { batchGradients, trainableVariables } from '../train/loss-terms';
import type { HelperCommand, HelperEvent } from './helper-messages';

const port = parentPort!;
const post = (e: HelperEvent) => port.postMessage(e);

interface Replica {
  init: Extract<HelperCommand, { type: 'init' }>;
  model: BuiltModel;
  vars: tf.Variable[];
  /** This helper's rows of each step, written by the trainer. */
  rows: Float32Array;
  sampleSize: number;
  weights: Float32Array;
  grads: Float32Array;
}
let replica: Replica | null = null;

async function init(cmd: Extract<HelperCommand, { type: 'init' }>): Promise<void> {
  await chooseBackend(cmd.backend);
  const model = buildModel(cmd.spec, cmd.seed);
  const sampleSize = cmd.spec.inputShape.reduce((a, b) => a * b, 1);
  replica = { init: cmd, model, vars: trainableVariables(model), rows: new Float32Array(cmd.rows), sampleSize, weights: new Float32Array(cmd.weights), grads: new Float32Array(cmd.grads) };
  post({ type: 'ready' });
}

function step(count: number): void {
  const r = replica!;
  if (!(Number.isInteger(count) && count > 0 && count * r.sampleSize <= r.rows.length)) throw new Error(`a part of ${count} samples does not fit the ${r.rows.length / r.sampleSize} the rows buffer holds`);
  let o = 0;
  for (const v of r.vars) {
    // The variable takes its own reference; the tensor's must be released, or every step leaks one tensor per variable.
    const value = tf.tensor(r.weights.subarray(o, o + v.size), v.shape, 'float32');
    v.assign(value);
    value.dispose();
    o += v.size;
  }
  // A copy: a backend may keep the array it is given (cpu does), and the trainer rewrites the buffer next step.
  const xb = tf.tensor(r.rows.slice(0, count * r.sampleSize), [count, ...r.init.spec.inputShape], 'float32');
  let result: ReturnType<typeof batchGradients>;
  try {
    result = batchGradients(r.model, r.init.spec, xb, r.vars);
  } finally {
    xb.dispose();
  }
  o = 0;
  for (const v of r.vars) {
    r.grads.set(result.grads[v.name].dataSync() as Float32Array, o);
    o += v.size;
  }
  tf.dispose(Object.values(result.grads));
  post({ type: 'stepped', terms: result.terms });
}

port.on('message', (cmd: HelperCommand) => {
  const collect = () => {
    (globalThis as { gc?: () => void }).gc?.();
    post({ type: 'collected', tensors: tf.memory().numTensors });
  };
  const run = async () => (cmd.type === 'init' ? init(cmd) : cmd.type === 'collect' ? collect() : step(cmd.rows));
  run().catch((e: unknown) => post({ type: 'failed', message: e instanceof Error ? e.message : String(e) }));
});
