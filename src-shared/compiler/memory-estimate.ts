/**
 * What a model costs in memory while it trains, known before anything is
 * allocated: the compiler shows it beside the parameter count and the
 * trainer refuses a model that cannot fit, instead of growing until the
 * machine swaps or the allocator fails.
 *
 * The estimate is a documented approximation of TF.js's tape, not a
 * measurement. Every tensor is float32 (4 bytes). Per weight: the weight,
 * its gradient and the optimizer's slots. Per sample of a batch: the input,
 * every tensor the forward pass keeps for backprop (each op's `keptPerOutput`
 * in src-shared/layers),
 * and during backprop the gradients of two adjacent layers at a time (the
 * largest output twice). Losses and penalties add tensors of the output's
 * size that this does not count; TF.js's own bookkeeping is not counted.
 */
import type { TrainingSettings } from '../project/training-settings';
import { formatBytes } from '../util/format-bytes';
import { kernelValues, layerOp } from '../layers/layer-ops';
import type { LayerSpec } from './model-spec';

/** Bytes of one value: the trainer's tensors are all float32. */
export const BYTES_PER_VALUE = 4;

/**
 * The most values one tensor may hold: 2^31−1, the largest int32. Past it no
 * backend the trainer picks can hold the tensor and still train (the wasm
 * backend's whole heap is 4 GiB, 2^30 float32 values; on the others such a
 * kernel is 8 GB before its gradient and optimizer slots), so the compiler
 * refuses it on the node, before any allocation.
 */
export const MAX_TENSOR_VALUES = 2 ** 31 - 1;

/** One layer's share of a model's memory. */
export interface LayerMemory {
  /** The layer's name in the spec (derived from its node id). */
  name: string;
  /** The graph node it came from. */
  nodeId: string;
  /** Trainable parameters (weights and biases). */
  params: number;
  /** Values of its largest weight tensor (the kernel; 0 without weights). */
  largestTensor: number;
  /** Activation values it keeps per sample during a training step. */
  activationValues: number;
}

/** The per-sample part of a model's memory: what the compile result carries and a batch size multiplies. */
export interface ModelMemory {
  /** Per sample: the input, every layer's kept activations and backprop's two gradients. */
  activationValuesPerSample: number;
  /** Per layer, in execution order. */
  layers: LayerMemory[];
}

/** Values of a shape. */
const size = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/** The per-sample memory of a model whose input has `inputShape` and whose layers are `layers` (any prefix works: the canvas shows partial graphs). */
export function modelMemory(inputShape: readonly number[] | null, layers: readonly LayerSpec[]): ModelMemory {
  const perLayer = layers.map((l): LayerMemory => ({
    name: l.name,
    nodeId: l.nodeId,
    params: l.paramCount,
    largestTensor: kernelValues(l),
    activationValues: size(l.outputShape) * layerOp(l.type).keptPerOutput(l),
  }));
  const inputValues = inputShape ? size(inputShape) : 0;
  const widest = Math.max(inputValues, ...layers.map((l) => size(l.outputShape)));
  return {
    activationValuesPerSample: inputValues + perLayer.reduce((a, l) => a + l.activationValues, 0) + 2 * widest,
    layers: perLayer,
  };
}

/** Optimizer slots per weight, as TF.js allocates them: Adam's two moments, RMSprop's mean square and moment, SGD's momentum when it has one. */
export function optimizerSlots(training: Pick<TrainingSettings, 'optimizer' | 'momentum'>): number {
  switch (training.optimizer) {
    case 'adam':
    case 'rmsprop':
      return 2;
    case 'sgd':
      return training.momentum > 0 ? 1 : 0;
  }
}

/** A model's memory at one batch size, in bytes. */
export interface MemoryEstimate {
  batchSize: number;
  weightBytes: number;
  gradientBytes: number;
  optimizerBytes: number;
  activationBytes: number;
  totalBytes: number;
  /** The layer that costs most (weights, gradients, slots and its activations at this batch size); null for a model without layers. */
  largest: { name: string; nodeId: string; bytes: number } | null;
}

/** The full estimate of one training step at `training.batchSize`. */
export function estimateMemory(memory: ModelMemory, training: Pick<TrainingSettings, 'batchSize' | 'optimizer' | 'momentum'>): MemoryEstimate {
  const slots = optimizerSlots(training);
  const perWeight = BYTES_PER_VALUE * (2 + slots);
  const weightBytes = memory.layers.reduce((a, l) => a + l.params, 0) * BYTES_PER_VALUE;
  const activationBytes = memory.activationValuesPerSample * BYTES_PER_VALUE * training.batchSize;
  let largest: MemoryEstimate['largest'] = null;
  for (const l of memory.layers) {
    const bytes = l.params * perWeight + l.activationValues * BYTES_PER_VALUE * training.batchSize;
    if (!largest || bytes > largest.bytes) largest = { name: l.name, nodeId: l.nodeId, bytes };
  }
  return {
    batchSize: training.batchSize,
    weightBytes,
    gradientBytes: weightBytes,
    optimizerBytes: weightBytes * slots,
    activationBytes,
    totalBytes: weightBytes * (2 + slots) + activationBytes,
    largest,
  };
}

/** "weights 1.2 MB, gradients 1.2 MB, adam slots 2.4 MB, activations 3 MB": the estimate's parts, as the trainer's refusal and the header's tooltip both say them. */
export function memoryParts(e: MemoryEstimate, optimizer: string): string {
  return `weights ${formatBytes(e.weightBytes)}, gradients ${formatBytes(e.gradientBytes)}, ${optimizer} slots ${formatBytes(e.optimizerBytes)}, activations ${formatBytes(e.activationBytes)}`;
}
