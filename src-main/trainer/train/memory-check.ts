/**
 * The last check before a model is built: will it fit? A model that cannot
 * is refused here, with the estimate, the memory there is and the layer to
 * shrink, instead of growing the trainer until the allocator fails or the
 * machine swaps (a 65,536-unit dense pair once grew it to 17 GB).
 */
import { totalmem } from 'node:os';
import type { ModelSpec } from '../../../src-shared/compiler/model-spec';
import { MAX_TENSOR_VALUES, estimateMemory, memoryParts, modelMemory } from '../../../src-shared/compiler/memory-estimate';
import { formatBytes } from '../../../src-shared/util/format-bytes';
import type { MemoryEstimate } from '../../../src-shared/compiler/memory-estimate';
import type { TrainingSettings } from '../../../src-shared/project/training-settings';
import type { BackendName } from '../../../src-shared/protocol/trainer-messages';

/** A model too large to train here: what it needs, what there is, and what to try. */
export class ModelMemoryError extends Error {
  constructor(
    message: string,
    /** What to try. */
    readonly hint: string,
  ) {
    super(message);
    this.name = 'ModelMemoryError';
  }
}

/**
 * The share of the machine's memory a model's estimate may take. The rest is
 * for the system, the app's other processes, the dataset (which the estimate
 * leaves out) and TF.js's own bookkeeping.
 */
export const MACHINE_SHARE = 0.75;

/** The wasm backend's memory cannot grow past 4 GiB (the maximum its module declares), whatever the machine has. */
export const WASM_HEAP_BYTES = 4 * 2 ** 30;

/** Where the limit comes from, for the message. */
function limitOf(backend: BackendName, machineBytes: number): { bytes: number; what: string } {
  const machine = { bytes: machineBytes * MACHINE_SHARE, what: `${MACHINE_SHARE * 100}% of this machine's ${formatBytes(machineBytes)} of memory` };
  if (backend === 'wasm' && WASM_HEAP_BYTES < machine.bytes) return { bytes: WASM_HEAP_BYTES, what: `the WebAssembly backend's ${formatBytes(WASM_HEAP_BYTES)} heap` };
  return machine;
}

/** Refuses (ModelMemoryError) a model that cannot train here at its batch size; returns the estimate when it fits. */
export function checkModelMemory(spec: ModelSpec, settings: TrainingSettings, backend: BackendName, machineBytes = totalmem()): MemoryEstimate {
  const memory = modelMemory(spec.inputShape, spec.layers);
  // A spec need not come from this app's compiler (the CLI reads files): the tensor limit is checked again here.
  for (const l of memory.layers) {
    if (l.largestTensor > MAX_TENSOR_VALUES) {
      throw new ModelMemoryError(`Layer "${l.name}" (node ${l.nodeId}) would hold its weights in one tensor of ${l.largestTensor.toLocaleString('en-US')} values, more than TF.js can allocate (${MAX_TENSOR_VALUES.toLocaleString('en-US')})`,
        `Use fewer units or filters in node ${l.nodeId} or in the layer before it.`);
    }
  }
  for (const l of spec.layers) {
    const values = settings.batchSize * l.outputShape.reduce((a, b) => a * b, 1);
    if (values > MAX_TENSOR_VALUES) {
      throw new ModelMemoryError(`Layer "${l.name}" (node ${l.nodeId}) would output one tensor of ${values.toLocaleString('en-US')} values per batch of ${settings.batchSize}, more than TF.js can allocate (${MAX_TENSOR_VALUES.toLocaleString('en-US')})`,
        'Use a smaller batch size, or fewer units or filters in that layer.');
    }
  }
  const estimate = estimateMemory(memory, settings);
  const limit = limitOf(backend, machineBytes);
  if (estimate.totalBytes > limit.bytes) {
    const largest = estimate.largest ? ` The largest layer is "${estimate.largest.name}" (node ${estimate.largest.nodeId}, ${formatBytes(estimate.largest.bytes)}).` : '';
    throw new ModelMemoryError(`The model needs about ${formatBytes(estimate.totalBytes)} to train at batch size ${settings.batchSize} (${memoryParts(estimate, settings.optimizer)}), more than ${limit.what} (${formatBytes(limit.bytes)}).${largest}`,
      `Use fewer units or filters${estimate.largest ? ` in node ${estimate.largest.nodeId}` : ''}, or a smaller batch size${backend === 'wasm' ? ', or the cpu or node backend' : ''}.`);
  }
  return estimate;
}
