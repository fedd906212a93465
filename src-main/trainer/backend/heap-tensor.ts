/**
 * Tensors computed by a plain-JS pass over the wasm backend's heap: the pass
 * reads its sources and writes its result in place (no copies in or out).
 * Used inside wasm kernels, where layout work done as a chain of TF.js ops
 * would cost a kernel call and a full copy per step.
 */
import * as tf from '@tensorflow/tfjs';
import type { TensorInfo } from '@tensorflow/tfjs';

interface WasmHeap {
  typedArrayFromHeap(info: TensorInfo): Float32Array;
}

/**
 * A zero-filled float32 tensor of `shape` that `fill` writes, given views of
 * the float32 `sources`. `fill` must only write `dst`.
 */
export function computeTensor(shape: number[], sources: readonly tf.Tensor[], fill: (dst: Float32Array, ...src: Float32Array[]) => void): tf.Tensor {
  const heap = tf.backend() as unknown as Partial<WasmHeap>;
  if (typeof heap.typedArrayFromHeap !== 'function') throw new Error(`computeTensor works on the wasm backend's heap, not on ${tf.getBackend()}`);
  const out = tf.zeros(shape, 'float32');
  // Views only after the allocation: allocating may grow (and move) the wasm heap.
  const view = (t: tf.Tensor) => heap.typedArrayFromHeap!({ dataId: t.dataId, shape: t.shape, dtype: 'float32' });
  fill(view(out), ...sources.map(view));
  return out;
}
