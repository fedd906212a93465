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
  /** The training split, read in place: each step copies only its own rows. */
  data: Float32Array;
  weights: Float32Array;
  grads: Float32Array;
}
let replica: Replica | null = null;

async function init(cmd: Extract<HelperCommand, { type: 'init' }>): Promise<void> {
  const values = cmd.dataShape.reduce((a, b) => a * b, 1);
  if (values * 4 !== cmd.data.byteLength) throw new Error(`the training data has ${cmd.data.byteLength / 4} values, not the ${values} of [${cmd.dataShape.join(', ')}]`);
  await chooseBackend(cmd.backend);
  const model = buildModel(cmd.spec, cmd.seed);
  replica = { init: cmd, model, vars: trainableVariables(model), data: new Float32Array(cmd.data), weights: new Float32Array(cmd.weights), grads: new Float32Array(cmd.grads) };
  post({ type: 'ready' });
}

function step(indices: Int32Array): void {
  const r = replica!;
  let o = 0;
  for (const v of r.vars) {
    // The variable takes its own reference; the tensor's must be released, or every step leaks one tensor per variable.
    const value = tf.tensor(r.weights.subarray(o, o + v.size), v.shape, 'float32');
    v.assign(value);
    value.dispose();
    o += v.size;
  }
  const [count, ...sampleShape] = r.init.dataShape;
  const size = r.data.length / count;
  const rows = new Float32Array(indices.length * size);
  indices.forEach((i, k) => {
    if (!(i >= 0 && i < count)) throw new Error(`sample ${i} is not in [0, ${count - 1}]`);
    rows.set(r.data.subarray(i * size, (i + 1) * size), k * size);
  });
  const xb = tf.tensor(rows, [indices.length, ...sampleShape], 'float32');
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
  const run = async () => (cmd.type === 'init' ? init(cmd) : cmd.type === 'collect' ? collect() : step(cmd.indices));
  run().catch((e: unknown) => post({ type: 'failed', message: e instanceof Error ? e.message : String(e) }));
});
