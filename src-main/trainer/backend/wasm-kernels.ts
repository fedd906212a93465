/**
 * Kernels that tfjs-backend-wasm lacks but training needs, registered for the
 * wasm backend as composites of kernels it has. Check with
 * `tf.getKernelsForBackend('wasm')` against every layer the catalog maps to:
 * in 4.22 only Conv2DBackpropFilter (the convolution weight gradient) is
 * missing.
 */
import * as tf from '@tensorflow/tfjs';
import type { Conv2DBackpropFilterAttrs, KernelConfig, NamedTensorInfoMap, TensorInfo } from '@tensorflow/tfjs';

/**
 * dW = conv(x, dy) with the roles swapped: the batch becomes the channel
 * axis, dy becomes the filter, and the forward stride becomes the dilation.
 * x: [B, H, W, Cin] → [Cin, H, W, B]; dy: [B, Ho, Wo, Cout] → [Ho, Wo, B, Cout];
 * conv2d(xT, dyT, stride 1, dilation = stride) → [Cin, kh', kw', Cout], cropped
 * to the kernel size and transposed to [kh, kw, Cin, Cout].
 */
export function conv2dBackpropFilterComposite(x: tf.Tensor4D, dy: tf.Tensor4D, attrs: Conv2DBackpropFilterAttrs): tf.Tensor4D {
  const { strides, pad, dimRoundingMode, filterShape } = attrs;
  if (attrs.dataFormat !== 'NHWC') throw new Error(`Conv2DBackpropFilter on wasm supports NHWC only, not ${attrs.dataFormat}`);
  const [kh, kw] = filterShape;
  const info = tf.backend_util.computeConv2DInfo(x.shape, filterShape as [number, number, number, number], strides, 1, pad, dimRoundingMode);
  const { top, left } = info.padInfo;
  const [sh, sw] = [info.strideHeight, info.strideWidth];
  return tf.tidy(() => {
    const [, h, w] = x.shape;
    const [, ho, wo] = dy.shape;
    // Rows the dilated dy filter needs so the output covers the whole kernel: (kh - 1) + (ho - 1)·s + 1.
    const bottom = Math.max(0, kh + (ho - 1) * sh - (h + top));
    const right = Math.max(0, kw + (wo - 1) * sw - (w + left));
    const xT = tf.transpose(x, [3, 1, 2, 0]).pad([[0, 0], [top, bottom], [left, right], [0, 0]]) as tf.Tensor4D;
    const dyT = tf.transpose(dy, [1, 2, 0, 3]) as tf.Tensor4D;
    const full = tf.conv2d(xT, dyT, 1, 'valid', 'NHWC', [sh, sw]);
    const cropped = full.slice([0, 0, 0, 0], [x.shape[3], kh, kw, dy.shape[3]]);
    return tf.transpose(cropped, [1, 2, 0, 3]) as tf.Tensor4D;
  });
}

interface WasmBackendLike {
  makeOutput(shape: number[], dtype: 'float32'): TensorInfo;
  typedArrayFromHeap(info: TensorInfo): Float32Array;
}

/**
 * Runs a composite inside a kernel and copies its result into a fresh
 * backend buffer, so the engine owns exactly the tensor it is handed (a
 * tensor made by ops inside a kernel would otherwise be tracked twice).
 */
function compositeKernel(name: string, run: (inputs: NamedTensorInfoMap, attrs: unknown) => tf.Tensor): KernelConfig {
  return {
    kernelName: name,
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend, attrs }) => {
      const result = run(inputs, attrs);
      const wasm = backend as unknown as WasmBackendLike;
      const out = wasm.makeOutput(result.shape, 'float32');
      wasm.typedArrayFromHeap(out).set(result.dataSync() as Float32Array);
      result.dispose();
      return out;
    },
  };
}

/**
 * A Tensor view of a kernel input. The engine's wrapper does not take a
 * reference on the data, so take one: disposing the view then releases only
 * that reference, never the caller's data.
 */
function view<T extends tf.Tensor>(info: TensorInfo): T {
  const engine = tf.engine();
  const t = engine.makeTensorFromTensorInfo(info) as T;
  engine.backend.incRef(info.dataId);
  return t;
}

/** Registers the missing training kernels for the wasm backend (idempotent). */
export function registerWasmTrainingKernels(): void {
  if (tf.getKernel('Conv2DBackpropFilter', 'wasm')) return;
  tf.registerKernel(
    compositeKernel('Conv2DBackpropFilter', (inputs, attrs) => {
      // Views of the kernel inputs (no copy); disposed after use so the engine's count stays exact.
      const x = view<tf.Tensor4D>(inputs.x!);
      const dy = view<tf.Tensor4D>(inputs.dy!);
      try {
        return conv2dBackpropFilterComposite(x, dy, attrs as Conv2DBackpropFilterAttrs);
      } finally {
        x.dispose();
        dy.dispose();
      }
    }),
  );
}
