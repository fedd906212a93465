/**
 * A dense chain's whole training step as one call into our WebAssembly
 * (native/chain.c), split across threads. On TF.js the vanilla template's
 * step was ~2.5 ms on the 2-core machine: half GEMM at one core's SIMD peak,
 * half the engine's per-operation bookkeeping (about 40 kernel calls for
 * forward, loss, backward and Adam). Here the step is one call: the trainer
 * thread and one worker per extra thread each run forward and backward on
 * their rows of the batch in a shared memory, then Adam on their share of
 * the parameters.
 *
 * It applies to autoencoders that are a chain of dense layers (linear, relu
 * or sigmoid; flatten and reshape between them) trained with Adam on MSE or
 * cross-entropy, with no noise, penalties or sampling — the vanilla and
 * multilayer templates. The model's variables and the optimizer's moments
 * stay the owners of the weights: {@link DenseChain.pull} copies them in
 * before steps, {@link DenseChain.push} copies them back before anything
 * else reads the model (evaluation, previews, checkpoints).
 */
import * as tf from '@tensorflow/tfjs';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { Worker } from 'node:worker_threads';
import type { ModelSpec } from '../../../src-shared/compiler/model-spec';
import type { TrainingSettings } from '../../../src-shared/project/training-settings';
import type { BuiltModel } from '../model/build-model';
import { trainableVariables } from '../train/loss-terms';
import { FusedAdamOptimizer } from './fused-adam';
import { CHAIN_RELAXED_WASM_BASE64, CHAIN_WASM_BASE64 } from './native/kernels-wasm';
import { bestKernelsBuild } from './native/wasm-kernels';
import { H, type ChainWorkerData, type ChainWorkerEvent } from './dense-chain-header';

/** Words per layer in the header, and their meaning (chain.c's L_*). */
const L = { IN: 0, OUT: 1, ACT: 2, W: 3, B: 4, Y: 5, GW: 6, GB: 7, WT: 8 } as const;
const LAYER_WORDS = 9;
const HEADER_BYTES = 2048;
/** Layers the header has room for (at most (LOSS_PARTS − LAYER0) / LAYER_WORDS). */
const CHAIN_MAX_LAYERS = 32;
/** Threads the header has loss slots for. */
const CHAIN_MAX_THREADS = 16;
/** The largest memory the chain lays out (weights, moments, per-thread gradients and activations). */
const MAX_BYTES = 2 ** 31;
/** Polls of a shared word before a waiting thread sleeps (~0.1–0.3 ms): the trainer thread's work between steps is shorter. */
const SPIN = 50_000;
/**
 * How long (1 ms sleeps) a thread waits at a barrier for the others before the
 * step fails: a worker that died without a word (killed for memory) must not
 * leave the trainer waiting forever. A part of one step taking this long is
 * far beyond any model the chain lays out.
 */
const PATIENCE_MS = 120_000;
/** The cross-entropy's clipping, as model/penalties.ts clips. */
const BCE_EPS = 1e-7;

const ACT_CODE = { linear: 0, relu: 1, sigmoid: 2 } as const;
type ChainActivation = keyof typeof ACT_CODE;
const LOSS_CODE: Record<ModelSpec['loss'], number> = { mse: 0, bce: 1 };

/** One dense layer of the chain: its variables and sizes. */
export interface ChainLayer {
  name: string;
  inputs: number;
  units: number;
  activation: ChainActivation;
  kernel: tf.Variable;
  bias: tf.Variable;
}

/** A model the chain trains: its layers, and each variable's index in {@link trainableVariables}' order (the optimizer's slots). */
export interface ChainPlan {
  layers: ChainLayer[];
  loss: ModelSpec['loss'];
  /** Variable indices: layer l's kernel at 2l, its bias at 2l + 1. */
  slotIndex: number[];
}

/**
 * The chain plan for `model`, or why it does not train as a dense chain (a
 * sentence for the run's notes). Checked against the built model too, so a
 * spec the plan misreads is refused, not trained wrongly.
 */
export function denseChainPlan(spec: ModelSpec, model: BuiltModel, settings: Pick<TrainingSettings, 'optimizer'>): ChainPlan | string {
  if (settings.optimizer !== 'adam') return `the ${settings.optimizer} optimizer (the one-call step applies Adam)`;
  if (model.vae || model.taps.length > 0 || model.kernelPenalties.length > 0) return 'penalties or a variational code (the one-call step computes only the reconstruction loss)';
  const sampleSize = spec.inputShape.reduce((a, b) => a * b, 1);
  const layers: ChainLayer[] = [];
  let previous = 'input';
  let width = sampleSize;
  for (const l of spec.layers) {
    if (l.inputs.length !== 1 || l.inputs[0] !== previous) return `layer "${l.name}" does not take the layer before it`;
    previous = l.name;
    if (l.type === 'flatten' || l.type === 'reshape') continue;
    if (l.type !== 'dense') return `a ${l.type} layer ("${l.name}")`;
    if (!(l.activation in ACT_CODE)) return `the ${l.activation} activation of "${l.name}"`;
    const weights = model.train.getLayer(l.name).trainableWeights.map((w) => (w as unknown as { val: tf.Variable }).val);
    const [kernel, bias] = weights;
    if (weights.length !== 2 || kernel.shape.join() !== `${width},${l.units}` || bias.shape.join() !== `${l.units}`) return `layer "${l.name}" is not a dense layer with a [${width}, ${l.units}] kernel and a bias`;
    layers.push({ name: l.name, inputs: width, units: l.units, activation: l.activation as ChainActivation, kernel, bias });
    width = l.units;
  }
  if (layers.length === 0 || layers.length > CHAIN_MAX_LAYERS) return `${layers.length} dense layers`;
  if (width !== sampleSize) return `an output of ${width} values for inputs of ${sampleSize}`;
  const variables = trainableVariables(model);
  if (variables.length !== 2 * layers.length) return 'trainable weights beside the dense layers';
  const slotIndex = layers.flatMap((l) => [variables.indexOf(l.kernel), variables.indexOf(l.bias)]);
  if (slotIndex.some((i) => i < 0)) return "the dense layers' weights are not the model's trainable variables";
  return { layers, loss: spec.loss, slotIndex };
}

/** The chain's memory layout in bytes; every offset 64-byte aligned. */
interface Layout {
  bytes: number;
  paramCount: number;
  params: number;
  mom1: number;
  mom2: number;
  grads: number;
  gradsStride: number;
  input: number;
  /** Each kernel's transpose (shared; none for the first layer: 0). */
  wts: number[];
  /** Thread 0's scratch: each layer's outputs, the two delta buffers. */
  ys: number[];
  deltaA: number;
  deltaB: number;
  scratchStride: number;
  /** Each layer's kernel and bias, as float offsets into the parameters. */
  w: number[];
  b: number[];
}

const align = (bytes: number) => Math.ceil(bytes / 64) * 64;

function layout(layers: readonly ChainLayer[], batch: number, threads: number): Layout {
  const w: number[] = [];
  const b: number[] = [];
  let paramCount = 0;
  for (const l of layers) {
    w.push(paramCount);
    paramCount += l.inputs * l.units;
    b.push(paramCount);
    paramCount += l.units;
  }
  const paramBytes = align(paramCount * 4);
  const params = HEADER_BYTES;
  const mom1 = params + paramBytes;
  const mom2 = mom1 + paramBytes;
  const wts: number[] = [];
  let wtAt = mom2 + paramBytes;
  for (const [i, l] of layers.entries()) {
    wts.push(i === 0 ? 0 : wtAt);
    if (i > 0) wtAt += align(l.inputs * l.units * 4);
  }
  const grads = wtAt;
  const input = grads + threads * paramBytes;
  const rowsMax = Math.ceil(batch / threads);
  const widest = Math.max(layers[0].inputs, ...layers.map((l) => l.units));
  const scratch0 = input + align(batch * layers[0].inputs * 4);
  const ys: number[] = [];
  let at = scratch0;
  for (const l of layers) {
    ys.push(at);
    at += align(rowsMax * l.units * 4);
  }
  const deltaA = at;
  const deltaB = deltaA + align(rowsMax * widest * 4);
  const scratchStride = deltaB + align(rowsMax * widest * 4) - scratch0;
  return { bytes: scratch0 + threads * scratchStride, paramCount, params, mom1, mom2, grads, gradsStride: paramBytes, input, wts, ys, deltaA, deltaB, scratchStride, w, b };
}

/** What chain.c exports that this calls. */
interface ChainExports {
  chain_step(header: number): number;
  chain_prepare(header: number): void;
}

let compiledChain: WebAssembly.Module | null = null;
/**
 * chain.c compiled in the build this engine runs best (the relaxed one where
 * it validates), every function optimised now. V8 otherwise compiles each
 * function on its first call with its baseline compiler and optimises it
 * later: the first ten steps of a run took 2–10 ms instead of 1 (vanilla,
 * 2 threads). V8 reads these flags when it compiles, so they are set around
 * this one compilation and restored (TF.js's own module keeps the defaults).
 */
function chainModule(): WebAssembly.Module {
  if (compiledChain) return compiledChain;
  const bytes = Buffer.from(bestKernelsBuild() === 'relaxed-simd' ? CHAIN_RELAXED_WASM_BASE64 : CHAIN_WASM_BASE64, 'base64');
  try {
    setFlagsFromString('--no-liftoff');
    setFlagsFromString('--no-wasm-lazy-compilation');
    compiledChain = new WebAssembly.Module(bytes);
  } finally {
    setFlagsFromString('--liftoff');
    setFlagsFromString('--wasm-lazy-compilation');
  }
  return compiledChain;
}

/** A worker thread: the bundled entry when built, else the TypeScript source through tsx. */
function startWorker(workerData: ChainWorkerData): Worker {
  const built = new URL('./dense-chain-worker.js', import.meta.url);
  if (existsSync(fileURLToPath(built))) return new Worker(built, { workerData });
  return new Worker(new URL('../../../bin/tsx-worker.js', import.meta.url), { workerData: { ...workerData, entry: new URL('./dense-chain-worker.ts', import.meta.url).href } });
}

/** A failure of a chain worker thread. */
export class ChainThreadError extends Error {}

/** The chain's memory, its module instance on this thread, and its worker threads. */
export class DenseChain {
  private readonly i32: Int32Array;
  private readonly f32: Float32Array;
  private dirty = false;
  private workerError: string | null = null;
  private disposed = false;

  private constructor(
    private readonly plan: ChainPlan,
    private readonly optimizer: FusedAdamOptimizer,
    memory: WebAssembly.Memory,
    private readonly exports: ChainExports,
    private readonly lay: Layout,
    private readonly workers: Worker[],
    /** Rows a step may take. */
    readonly batch: number,
    readonly threads: number,
  ) {
    this.i32 = new Int32Array(memory.buffer);
    this.f32 = new Float32Array(memory.buffer);
  }

  /**
   * Lays out the memory for batches of up to `batch` rows on `threads`
   * threads (the trainer's own and threads − 1 workers) and starts the
   * workers. `optimizer` must be the run's fused Adam: it keeps the step
   * count, the learning rate and the moments.
   */
  static async start(plan: ChainPlan, optimizer: tf.Optimizer, batch: number, threads: number): Promise<DenseChain> {
    if (optimizer.constructor !== FusedAdamOptimizer) throw new Error(`the one-call dense step applies Adam as FusedAdamOptimizer does, not a ${optimizer.getClassName()} optimizer`);
    const t = Math.max(1, Math.min(threads, batch, CHAIN_MAX_THREADS));
    const lay = layout(plan.layers, batch, t);
    if (lay.bytes > MAX_BYTES) throw new Error(`the one-call dense step would need ${(lay.bytes / 2 ** 30).toFixed(1)} GiB at batch ${batch}`);
    const pages = Math.ceil(lay.bytes / 65536);
    const memory = new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true });
    const module = chainModule();
    const exports = new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as ChainExports;
    const workers: Worker[] = [];
    const chain = new DenseChain(plan, optimizer as FusedAdamOptimizer, memory, exports, lay, workers, batch, t);
    chain.writeHeader();
    try {
      for (let tid = 1; tid < t; tid++) {
        const worker = startWorker({ module, memory, tid });
        workers.push(worker);
        await new Promise<void>((resolve, reject) => {
          worker.once('message', (e: ChainWorkerEvent) => (e.type === 'ready' ? resolve() : reject(new ChainThreadError(`A training thread did not start: ${e.type === 'failed' ? e.message : e.type}`))));
          worker.once('error', (e) => reject(new ChainThreadError(`A training thread did not start: ${e.message}`)));
          worker.once('exit', (code) => reject(new ChainThreadError(`A training thread exited (code ${code}) before it started`)));
        });
        worker.removeAllListeners('exit');
      }
    } catch (e) {
      await chain.dispose();
      throw e;
    }
    chain.attachWorkerListeners();
    return chain;
  }

  private attachWorkerListeners(): void {
    for (const w of this.workers) {
      w.on('message', (e: ChainWorkerEvent) => {
        if (e.type === 'failed') this.workerError ??= e.message;
      });
      w.on('error', (e) => (this.workerError ??= e.message));
      w.on('exit', (code) => {
        if (!this.disposed) this.workerError ??= `exit code ${code}`;
      });
    }
  }

  private writeHeader(): void {
    const { i32, f32, lay, plan } = this;
    i32.fill(0, 0, HEADER_BYTES / 4);
    i32[H.THREADS] = this.threads;
    i32[H.LAYERS] = plan.layers.length;
    i32[H.LOSS] = LOSS_CODE[plan.loss];
    i32[H.INPUT] = lay.input;
    i32[H.PARAMS] = lay.params;
    i32[H.MOM1] = lay.mom1;
    i32[H.MOM2] = lay.mom2;
    i32[H.GRADS] = lay.grads;
    i32[H.GRADS_STRIDE] = lay.gradsStride;
    i32[H.PARAM_COUNT] = lay.paramCount;
    i32[H.SCRATCH_STRIDE] = lay.scratchStride;
    i32[H.DELTA_A] = lay.deltaA;
    i32[H.DELTA_B] = lay.deltaB;
    i32[H.SPIN] = SPIN;
    i32[H.PATIENCE] = PATIENCE_MS;
    f32[H.BCE_EPS] = BCE_EPS;
    plan.layers.forEach((l, i) => {
      const at = H.LAYER0 + i * LAYER_WORDS;
      i32[at + L.IN] = l.inputs;
      i32[at + L.OUT] = l.units;
      i32[at + L.ACT] = ACT_CODE[l.activation];
      i32[at + L.W] = lay.params + lay.w[i] * 4;
      i32[at + L.B] = lay.params + lay.b[i] * 4;
      i32[at + L.Y] = lay.ys[i];
      i32[at + L.GW] = lay.grads + lay.w[i] * 4;
      i32[at + L.GB] = lay.grads + lay.b[i] * 4;
      i32[at + L.WT] = lay.wts[i];
    });
  }

  /** The three blocks (weights, first and second moments), each variable at its place. */
  private blocks(): { at: number; tensors: (l: ChainLayer, i: number) => [tf.Variable, tf.Variable] }[] {
    const slots = this.optimizer.momentSlots(this.variables());
    const slot = (i: number, which: 'm' | 'v'): [tf.Variable, tf.Variable] => [slots[this.plan.slotIndex[2 * i]][which], slots[this.plan.slotIndex[2 * i + 1]][which]];
    return [
      { at: this.lay.params, tensors: (l) => [l.kernel, l.bias] },
      { at: this.lay.mom1, tensors: (_, i) => slot(i, 'm') },
      { at: this.lay.mom2, tensors: (_, i) => slot(i, 'v') },
    ];
  }

  /** The variables in trainableVariables' order (the optimizer's slot order). */
  private variables(): tf.Variable[] {
    const vars: tf.Variable[] = [];
    this.plan.layers.forEach((l, i) => {
      vars[this.plan.slotIndex[2 * i]] = l.kernel;
      vars[this.plan.slotIndex[2 * i + 1]] = l.bias;
    });
    return vars;
  }

  /** Copies the model's weights and the optimizer's moments in (after anything else changed them: pretraining, a resumed checkpoint, keep-best). */
  pull(): void {
    for (const block of this.blocks()) {
      this.plan.layers.forEach((l, i) => {
        const [k, b] = block.tensors(l, i);
        this.f32.set(k.dataSync() as Float32Array, (block.at >> 2) + this.lay.w[i]);
        this.f32.set(b.dataSync() as Float32Array, (block.at >> 2) + this.lay.b[i]);
      });
    }
    this.exports.chain_prepare(0); // the kernels' transposes, which each step then keeps up to date
    this.dirty = false;
  }

  /** Copies the weights and moments the steps since the last pull or push made back into the model and the optimizer. */
  push(): void {
    if (!this.dirty) return;
    for (const block of this.blocks()) {
      this.plan.layers.forEach((l, i) => {
        const [k, b] = block.tensors(l, i);
        const base = block.at >> 2;
        for (const [v, off] of [[k, this.lay.w[i]], [b, this.lay.b[i]]] as const) {
          const value = tf.tensor(this.f32.slice(base + off, base + off + v.size), v.shape, 'float32');
          v.assign(value);
          value.dispose();
        }
      });
    }
    this.dirty = false;
  }

  /**
   * One training step on rows `rows` of `source` (samples of the chain's
   * input size, back to back): returns the batch's reconstruction loss.
   */
  step(source: Float32Array, rows: Int32Array): number {
    if (this.disposed) throw new Error('the dense chain was disposed');
    if (this.workerError) throw new ChainThreadError(`A training thread failed: ${this.workerError}`);
    const n = rows.length;
    if (n < 1 || n > this.batch) throw new RangeError(`a step of ${n} rows on a chain laid out for 1 to ${this.batch}`);
    const d = this.plan.layers[0].inputs;
    const count = source.length / d;
    const input = this.lay.input >> 2;
    for (let k = 0; k < n; k++) {
      const r = rows[k];
      if (!(r >= 0 && r < count)) throw new RangeError(`sample ${r} is not in [0, ${count - 1}]`);
      this.f32.set(source.subarray(r * d, (r + 1) * d), input + k * d);
    }
    const a = this.optimizer.nextStep();
    const { f32, i32 } = this;
    i32[H.ROWS] = n;
    f32[H.LR] = a.learningRate;
    f32[H.BETA1] = a.beta1;
    f32[H.BETA2] = a.beta2;
    f32[H.OMB1] = 1 - a.beta1;
    f32[H.OMB2] = 1 - a.beta2;
    f32[H.EPS] = a.epsilon;
    f32[H.C1] = a.c1;
    f32[H.C2] = a.c2;
    this.dirty = true;
    let sum: number;
    try {
      sum = this.exports.chain_step(0);
    } catch (e) {
      // A trap on this thread: the workers must stop waiting for it at the next barrier.
      Atomics.store(i32, H.FAILED, 1);
      Atomics.notify(i32, H.BAR_GEN);
      throw new ChainThreadError(`The training step failed: ${(e as Error).message}`, { cause: e });
    }
    if (Atomics.load(i32, H.FAILED)) throw new ChainThreadError(`A training thread failed: ${this.workerError ?? 'its step trapped, or it stopped answering'}`);
    return sum / (n * this.plan.layers.at(-1)!.units);
  }

  /** Stops the workers (the weights stay where the last push put them). */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    Atomics.store(this.i32, H.STOP, 1);
    Atomics.add(this.i32, H.GO, 1);
    Atomics.notify(this.i32, H.GO);
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
