/**
 * The trainer thread's side of data-parallel training: helper threads that
 * each hold a replica of the model, and one step that splits a batch among
 * them and the trainer thread itself. Gradients are averaged weighted by
 * each part's share of the batch, so the update is the whole batch's
 * (the loss is a mean over samples; weight penalties appear in every part
 * and the weights sum to 1). The trainer keeps the only optimizer.
 */
import * as tf from '@tensorflow/tfjs';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { ModelSpec } from '../../../src-shared/compiler/model-spec';
import type { BackendName } from '../../../src-shared/protocol/trainer-messages';
import type { HelperCommand, HelperEvent } from './helper-messages';

/** A helper thread: the bundled entry when built, else the TypeScript source through tsx. */
function startWorker(): Worker {
  const built = new URL('./gradient-helper.js', import.meta.url);
  if (existsSync(fileURLToPath(built))) return new Worker(built);
  return new Worker(new URL('../../../bin/tsx-worker.js', import.meta.url), { workerData: { entry: new URL('./gradient-helper.ts', import.meta.url).href } });
}

/** One helper thread and the reply it owes. */
class Helper {
  private pending: { resolve: (e: HelperEvent) => void; reject: (e: Error) => void } | null = null;
  private dead: Error | null = null;
  readonly grads: Float32Array;
  /** Its part's rows of the current step, written by this thread. */
  readonly rows: Float32Array;

  constructor(
    private readonly worker: Worker,
    gradsBuffer: SharedArrayBuffer,
    rowsBuffer: SharedArrayBuffer,
  ) {
    this.grads = new Float32Array(gradsBuffer);
    this.rows = new Float32Array(rowsBuffer);
    worker.on('message', (e: HelperEvent) => {
      const p = this.pending;
      this.pending = null;
      if (e.type === 'failed') p?.reject(new Error(`A training thread failed: ${e.message}`));
      else p?.resolve(e);
    });
    const die = (why: string) => {
      this.dead = new Error(`A training thread stopped (${why})`);
      this.pending?.reject(this.dead);
      this.pending = null;
    };
    worker.on('error', (e) => die(e.message));
    worker.on('exit', (code) => die(`exit code ${code}`));
  }

  /** Sends `cmd` and waits for the helper's answer. */
  ask(cmd: HelperCommand): Promise<HelperEvent> {
    if (this.dead) return Promise.reject(this.dead);
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject };
      this.worker.postMessage(cmd);
    });
  }

  async stop(): Promise<void> {
    this.worker.removeAllListeners();
    await this.worker.terminate();
  }
}

/** What the helpers need to build their replicas, and where their rows come from. */
export interface HelperSetup {
  spec: ModelSpec;
  seed: number;
  backend: BackendName;
  /**
   * The samples a step's indices name, one after another (each of
   * spec.inputShape), read on this thread: each step copies a helper's
   * part into that helper's own small shared buffer, so no second copy of
   * the dataset is made for the threads.
   */
  samples: Float32Array;
  /** The most samples a step hands one helper: the batch size will do. */
  maxRows: number;
  variables: readonly tf.Variable[];
}

/** Copies samples `indices` of `samples` (each `size` values) into `dst`, one after another; an index outside them is refused by name. */
export function copyRows(samples: Float32Array, size: number, indices: Int32Array, dst: Float32Array): Float32Array {
  const count = samples.length / size;
  indices.forEach((i, k) => {
    if (!(i >= 0 && i < count)) throw new Error(`sample ${i} is not in [0, ${count - 1}]`);
    dst.set(samples.subarray(i * size, (i + 1) * size), k * size);
  });
  return dst;
}

/** The result of one split step: gradients of the whole batch and its loss terms. */
export interface SplitGradients {
  grads: tf.NamedTensorMap;
  terms: number[];
}

/** Contiguous parts of a batch, sizes differing by at most one. */
export function splitBatch(indices: Int32Array, parts: number): Int32Array[] {
  const out: Int32Array[] = [];
  for (let p = 0, start = 0; p < parts; p++) {
    const end = start + Math.floor(indices.length / parts) + (p < indices.length % parts ? 1 : 0);
    out.push(indices.subarray(start, end));
    start = end;
  }
  return out;
}

export class GradientHelpers {
  private constructor(
    private readonly helpers: Helper[],
    private readonly weights: Float32Array,
    private readonly variables: readonly tf.Variable[],
    private readonly samples: Float32Array,
    private readonly sampleSize: number,
  ) {}

  /** Starts `count` helper threads with the model; resolves when all are ready. */
  static async start(count: number, setup: HelperSetup): Promise<GradientHelpers> {
    const total = setup.variables.reduce((a, v) => a + v.size, 0);
    const sampleSize = setup.spec.inputShape.reduce((a, b) => a * b, 1);
    if (setup.samples.length % sampleSize !== 0) throw new Error(`the training data has ${setup.samples.length} values, not a whole number of samples of ${sampleSize} ([${setup.spec.inputShape.join(', ')}])`);
    const weights = new SharedArrayBuffer(total * 4);
    const helpers: Helper[] = [];
    try {
      for (let i = 0; i < count; i++) {
        const grads = new SharedArrayBuffer(total * 4);
        const rows = new SharedArrayBuffer(Math.max(1, setup.maxRows) * sampleSize * 4);
        helpers.push(new Helper(startWorker(), grads, rows));
        // Helper i seeds its noise layers with seed + i + 1, so the parts of a batch get different noise.
        const init: HelperCommand = { type: 'init', spec: setup.spec, seed: setup.seed + i + 1, backend: setup.backend, rows, weights, grads };
        await helpers[i].ask(init);
      }
    } catch (e) {
      await Promise.all(helpers.map((h) => h.stop()));
      throw e;
    }
    return new GradientHelpers(helpers, new Float32Array(weights), setup.variables, setup.samples, sampleSize);
  }

  /** Threads in all, counting the trainer's own. */
  get threads(): number {
    return this.helpers.length + 1;
  }

  /**
   * Gradients of the whole batch `indices` (of the samples): the helpers
   * take parts 2…n, the caller's `own` computes part 1 on this thread
   * meanwhile and returns its gradients (by variable name) and loss terms.
   */
  async step(indices: Int32Array, own: (part: Int32Array) => SplitGradients): Promise<SplitGradients> {
    const parts = splitBatch(indices, this.threads);
    // A batch smaller than the thread count (an epoch's last one can be) leaves some helpers idle:
    // an empty part's mean loss would be NaN, and NaN × 0 is not 0.
    const busy = this.helpers.map((h, i) => ({ h, part: parts[i + 1] })).filter((b) => b.part.length > 0);
    // Every part's rows are in place before any helper is asked: a bad index fails the step here, with no helper left mid-step.
    for (const { h, part } of busy) {
      if (part.length * this.sampleSize > h.rows.length) throw new Error(`a part of ${part.length} samples is more than the ${h.rows.length / this.sampleSize} the helpers were started for`);
      copyRows(this.samples, this.sampleSize, part, h.rows);
    }
    let o = 0;
    for (const v of this.variables) {
      this.weights.set(v.dataSync() as Float32Array, o);
      o += v.size;
    }
    const replies = busy.map(({ h, part }) => h.ask({ type: 'step', rows: part.length }));
    let mine: SplitGradients;
    try {
      mine = own(parts[0]);
    } catch (e) {
      await Promise.allSettled(replies); // every helper answers before the next step asks again
      throw e;
    }
    // Every helper answers before this step ends, failed or not, so no late reply meets the next step.
    const settled = await Promise.allSettled(replies);
    const failure = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failure) {
      tf.dispose(Object.values(mine.grads));
      throw failure.reason;
    }
    const answers = settled.map((r) => (r as PromiseFulfilledResult<HelperEvent>).value as Extract<HelperEvent, { type: 'stepped' }>);
    const ownShare = parts[0].length / indices.length;
    const shares = busy.map((b) => b.part.length / indices.length);
    const terms = mine.terms.map((t, k) => answers.reduce((sum, a, i) => sum + shares[i] * a.terms[k], ownShare * t));
    const grads: tf.NamedTensorMap = {};
    o = 0;
    for (const v of this.variables) {
      const offset = o;
      grads[v.name] = tf.tidy(() => busy.reduce((sum, { h }, i) => sum.add(tf.tensor(h.grads.subarray(offset, offset + v.size), v.shape, 'float32').mul(shares[i])), mine.grads[v.name].mul(ownShare)));
      o += v.size;
    }
    tf.dispose(Object.values(mine.grads));
    return { grads, terms };
  }

  /** Ends the helper threads. */
  /**
   * Has every helper collect its garbage (each thread has its own heap, which
   * the trainer thread's gc() does not reach; without --expose-gc only the
   * count is taken) and returns their live tensors, summed. Called before the
   * trainer reports its memory, so a helper's leak shows there too.
   */
  async collectGarbage(): Promise<number> {
    const replies = await Promise.all(this.helpers.map((h) => h.ask({ type: 'collect' })));
    return replies.reduce((sum, e) => sum + (e.type === 'collected' ? e.tensors : 0), 0);
  }

  async dispose(): Promise<void> {
    await Promise.all(this.helpers.map((h) => h.stop()));
  }
}
