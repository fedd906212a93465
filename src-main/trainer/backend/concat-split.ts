/**
 * Concatenation and its gradient (a split) on wasm as native row copies.
 * The backend's own Concat and SplitV move float32 values one by one in
 * JavaScript: a U-Net's skip connection at 28×28, 8 + 8 channels, batch 128
 * took 17 ms forward and 18 ms backward (of a 100 ms step). Along any axis
 * both are the same copy: each input (or output) owns a run of `inner`
 * values in every one of the `outer` rows of the concatenated tensor
 * (outer: the product of the axes before the axis). Other dtypes go to the
 * backend's own kernels.
 */
import * as tf from '@tensorflow/tfjs';
import type { ConcatAttrs, KernelConfig, SplitVAttrs, TensorInfo } from '@tensorflow/tfjs';
import { withFastPath } from './heap-kernel';

/** The product of `shape`'s axes from `from` on (to `to`, exclusive). */
const product = (shape: readonly number[], from: number, to = shape.length) => shape.slice(from, to).reduce((a, b) => a * b, 1);

/** Concat of float32 tensors along any axis: one copy of each input's runs. */
export function concatKernel(): KernelConfig {
  return withFastPath<ConcatAttrs>('Concat', ({ native, at, output }, inputs, attrs) => {
    const all = Object.values(inputs);
    if (all.length < 2 || all.some((t) => t.dtype !== 'float32')) return null;
    const axis = tf.util.parseAxisParam(attrs.axis, all[0].shape)[0];
    const parts = all.filter((t) => tf.util.sizeFromShape(t.shape) > 0);
    if (parts.length < 2) return null; // the backend's kernel shares the one non-empty input
    tf.backend_util.assertParamsConsistent(all.map((t) => t.shape), axis);
    const outShape = tf.backend_util.computeOutShape(all.map((t) => t.shape), axis);
    const out = output(outShape);
    const outer = product(outShape, 0, axis);
    const stride = product(outShape, axis);
    let offset = 0;
    for (const t of parts) {
      const inner = product(t.shape, axis);
      native.copy_rows(at(t), inner, at(out) + offset * 4, stride, outer, inner);
      offset += inner;
    }
    return out;
  });
}

/** SplitV of a float32 tensor along any axis: one copy into each part. */
export function splitKernel(): KernelConfig {
  return withFastPath<SplitVAttrs>('SplitV', ({ native, at, output }, { x }, { numOrSizeSplits, axis }): TensorInfo[] | null => {
    if (x.dtype !== 'float32' || tf.util.sizeFromShape(x.shape) === 0) return null;
    const $axis = tf.util.parseAxisParam(axis, x.shape)[0];
    const sizes = tf.backend_util.prepareSplitSize(x as unknown as tf.Tensor, numOrSizeSplits, $axis);
    const outer = product(x.shape, 0, $axis);
    const stride = product(x.shape, $axis);
    const after = product(x.shape, $axis + 1);
    let offset = 0;
    return sizes.map((size) => {
      const shape = x.shape.slice();
      shape[$axis] = size;
      const part = output(shape);
      const inner = size * after;
      if (inner > 0) native.copy_rows(at(x) + offset * 4, stride, at(part), inner, outer, inner);
      offset += inner;
      return part;
    });
  });
}
