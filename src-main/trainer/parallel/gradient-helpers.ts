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

  constructor(
    private readonly worker: Worker,
    gradsBuffer: SharedArrayBuffer,
  ) {
    this.grads = new Float32Array(gradsBuffer);
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

/** What the helpers need to build their replicas. */
export interface HelperSetup {
  spec: ModelSpec;
  seed: number;
  backend: BackendName;
  /** The training split: [count, ...inputShape]. */
  data: Float32Array;
  dataShape: number[];
  variables: readonly tf.Variable[];
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
  ) {}

  /** Starts `count` helper threads with the model and the training data; resolves when all are ready. */
  static async start(count: number, setup: HelperSetup): Promise<GradientHelpers> {
    const total = setup.variables.reduce((a, v) => a + v.size, 0);
    // Training rows already in shared memory (the session gathers them there) are shared as they are, not copied.
    const whole = setup.data.buffer instanceof SharedArrayBuffer && setup.data.byteOffset === 0 && setup.data.byteLength === setup.data.buffer.byteLength;
    const data = whole ? (setup.data.buffer as SharedArrayBuffer) : new SharedArrayBuffer(setup.data.byteLength);
    if (!whole) new Float32Array(data).set(setup.data);
    const weights = new SharedArrayBuffer(total * 4);
    const helpers: Helper[] = [];
    try {
      for (let i = 0; i < count; i++) {
        const grads = new SharedArrayBuffer(total * 4);
        helpers.push(new Helper(startWorker(), grads));
        // Helper i seeds its noise layers with seed + i + 1, so the parts of a batch get different noise.
        const init: HelperCommand = { type: 'init', spec: setup.spec, seed: setup.seed + i + 1, backend: setup.backend, data, dataShape: setup.dataShape, weights, grads };
        await helpers[i].ask(init);
      }
    } catch (e) {
      await Promise.all(helpers.map((h) => h.stop()));
      throw e;
    }
    return new GradientHelpers(helpers, new Float32Array(weights), setup.variables);
  }

  /** Threads in all, counting the trainer's own. */
  get threads(): number {
    return this.helpers.length + 1;
  }

  /**
   * Gradients of the whole batch `indices`: the helpers take parts 2…n, the
   * caller's `own` computes part 1 on this thread meanwhile and returns its
   * gradients (by variable name) and loss terms.
   */
  async step(indices: Int32Array, own: (part: Int32Array) => SplitGradients): Promise<SplitGradients> {
    let o = 0;
    for (const v of this.variables) {
      this.weights.set(v.dataSync() as Float32Array, o);
      o += v.size;
    }
    const parts = splitBatch(indices, this.threads);
    // A batch smaller than the thread count (an epoch's last one can be) leaves some helpers idle:
    // an empty part's mean loss would be NaN, and NaN × 0 is not 0.
    const busy = this.helpers.map((h, i) => ({ h, part: parts[i + 1] })).filter((b) => b.part.length > 0);
    const replies = busy.map(({ h, part }) => h.ask({ type: 'step', indices: part.slice() }));
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
