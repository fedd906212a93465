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
import { partGradients, trainableVariables } from '../train/loss-terms';
import type { HelperCommand, HelperEvent } from './helper-messages';

const port = parentPort!;
const post = (e: HelperEvent) => port.postMessage(e);

interface Replica {
  init: Extract<HelperCommand, { type: 'init' }>;
  model: BuiltModel;
  vars: tf.Variable[];
  data: tf.Tensor;
  weights: Float32Array;
  grads: Float32Array;
}
let replica: Replica | null = null;

async function init(cmd: Extract<HelperCommand, { type: 'init' }>): Promise<void> {
  await chooseBackend(cmd.backend);
  const model = buildModel(cmd.spec, cmd.seed);
  const data = tf.tensor(new Float32Array(cmd.data), cmd.dataShape, 'float32'); // a copy on this thread's backend
  replica = { init: cmd, model, vars: trainableVariables(model), data, weights: new Float32Array(cmd.weights), grads: new Float32Array(cmd.grads) };
  post({ type: 'ready' });
}

function step(indices: Int32Array): void {
  const r = replica!;
  let o = 0;
  for (const v of r.vars) {
    v.assign(tf.tensor(r.weights.subarray(o, o + v.size), v.shape, 'float32'));
    o += v.size;
  }
  const { grads, terms } = partGradients(r.model, r.init.spec, r.data, indices, r.vars);
  o = 0;
  for (const v of r.vars) {
    r.grads.set(grads[v.name].dataSync() as Float32Array, o);
    o += v.size;
  }
  tf.dispose(Object.values(grads));
  post({ type: 'stepped', terms });
}

port.on('message', (cmd: HelperCommand) => {
  const run = async () => (cmd.type === 'init' ? init(cmd) : step(cmd.indices));
  run().catch((e: unknown) => post({ type: 'failed', message: e instanceof Error ? e.message : String(e) }));
});
