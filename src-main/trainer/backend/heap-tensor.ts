/**
 * Tensors computed by a plain-JS pass. On the wasm backend the pass reads its
 * sources and writes its result in the backend's own heap (no copies in or
 * out); on other backends it works on copies. Used inside kernels, where
 * layout work done as a chain of TF.js ops would cost a kernel call and a
 * full copy per step.
 */
import * as tf from '@tensorflow/tfjs';
import type { TensorInfo } from '@tensorflow/tfjs';

interface WasmHeap {
  typedArrayFromHeap(info: TensorInfo): Float32Array;
}

const heapOf = (): WasmHeap | null => {
  const b = tf.backend() as unknown as Partial<WasmHeap>;
  return typeof b.typedArrayFromHeap === 'function' ? (b as WasmHeap) : null;
};

/**
 * A zero-filled float32 tensor of `shape` that `fill` writes, given views of
 * the float32 `sources`. `fill` must only write `dst`.
 */
export function computeTensor(shape: number[], sources: readonly tf.Tensor[], fill: (dst: Float32Array, ...src: Float32Array[]) => void): tf.Tensor {
  const heap = heapOf();
  if (!heap) {
    const dst = new Float32Array(shape.reduce((a, b) => a * b, 1));
    fill(dst, ...sources.map((s) => s.dataSync() as Float32Array));
    return tf.tensor(dst, shape, 'float32');
  }
  const out = tf.zeros(shape, 'float32');
  // Views only after the allocation: allocating may grow (and move) the wasm heap.
  const view = (t: tf.Tensor) => heap.typedArrayFromHeap({ dataId: t.dataId, shape: t.shape, dtype: 'float32' });
  fill(view(out), ...sources.map(view));
  return out;
}
