/**
 * Kernels the TF.js 4.22 backends lack or get wrong for training, found by
 * comparing the gradients of every layer the catalog maps to across backends
 * and against plain-JS references (see the tests):
 * - wasm has no Conv2DBackpropFilter (the convolution weight gradient);
 * - wasm's MaxPoolGrad (the pooling gradient) routes the gradient to the wrong
 *   cell when a window's values are negative and the batch exceeds 1 (pooling
 *   after tanh or a linear layer);
 * - cpu's ResizeNearestNeighborGrad (the upsampling gradient) reads dy with
 *   the input's batch stride, so every sample after the first gets a wrong
 *   gradient. wasm's own kernel is right.
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

let registered = false;
let cpuRegistered = false;

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

/**
 * dx of nearest-neighbour resizing: every dy value is added to the input
 * pixel the forward pass copied it from, with the same index rule as the cpu
 * backend (floor of the scaled index, or round with alignCorners). One pass
 * over dy: O(output size).
 */
export function resizeNearestNeighborGradValues(dy: Float32Array, dyShape: readonly number[], xShape: readonly number[], alignCorners: boolean): Float32Array {
  const [batch, xh, xw, depth] = xShape;
  const [, yh, yw] = dyShape;
  const scale = (x: number, y: number) => (alignCorners && y > 1 ? (x - 1) / (y - 1) : x / y);
  const hs = scale(xh, yh);
  const ws = scale(xw, yw);
  const src = (i: number, s: number, n: number) => Math.min(n - 1, alignCorners ? Math.round(i * s) : Math.floor(i * s));
  const rows = Int32Array.from({ length: yh }, (_, y) => src(y, hs, xh));
  const cols = Int32Array.from({ length: yw }, (_, x) => src(x, ws, xw));
  const dx = new Float32Array(batch * xh * xw * depth);
  let i = 0;
  for (let b = 0; b < batch; b++) {
    for (let y = 0; y < yh; y++) {
      const rowBase = (b * xh + rows[y]) * xw;
      for (let x = 0; x < yw; x++) {
        const o = (rowBase + cols[x]) * depth;
        for (let d = 0; d < depth; d++) dx[o + d] += dy[i++];
      }
    }
  }
  return dx;
}

interface CpuBackendLike {
  data: { get(dataId: object): { values: Float32Array } };
  makeTensorInfo(shape: number[], dtype: 'float32', values: Float32Array): TensorInfo;
}

/** Replaces the cpu backend's faulty upsampling gradient (idempotent). */
export function registerCpuTrainingKernels(): void {
  if (cpuRegistered) return;
  cpuRegistered = true;
  tf.unregisterKernel('ResizeNearestNeighborGrad', 'cpu');
  tf.registerKernel({
    kernelName: 'ResizeNearestNeighborGrad',
    backendName: 'cpu',
    kernelFunc: ({ inputs, backend, attrs }) => {
      const cpu = backend as unknown as CpuBackendLike;
      const { images, dy } = inputs as { images: TensorInfo; dy: TensorInfo };
      const dx = resizeNearestNeighborGradValues(cpu.data.get(dy.dataId).values, dy.shape, images.shape, Boolean((attrs as { alignCorners?: boolean }).alignCorners));
      return cpu.makeTensorInfo(images.shape, 'float32', dx);
    },
  });
}

/**
 * dx of max-pooling (NHWC): each dy value goes to the first maximum of its
 * window in x, as the cpu backend and TensorFlow do. One pass over the windows.
 */
export function maxPoolGradValues(dy: Float32Array, x: Float32Array, info: tf.backend_util.Conv2DInfo): Float32Array {
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, strideHeight, strideWidth, filterHeight, filterWidth } = info;
  const { top, left } = info.padInfo;
  const dx = new Float32Array(batchSize * inHeight * inWidth * inChannels);
  let o = 0;
  for (let b = 0; b < batchSize; b++) {
    for (let oy = 0; oy < outHeight; oy++) {
      const y0 = oy * strideHeight - top;
      for (let ox = 0; ox < outWidth; ox++) {
        const x0 = ox * strideWidth - left;
        for (let c = 0; c < inChannels; c++, o++) {
          let best = -Infinity;
          let at = -1;
          for (let fy = 0; fy < filterHeight; fy++) {
            const y = y0 + fy;
            if (y < 0 || y >= inHeight) continue;
            for (let fx = 0; fx < filterWidth; fx++) {
              const xx = x0 + fx;
              if (xx < 0 || xx >= inWidth) continue;
              const i = ((b * inHeight + y) * inWidth + xx) * inChannels + c;
              if (x[i] > best || at < 0) {
                best = x[i];
                at = i;
              }
            }
          }
          if (at >= 0) dx[at] += dy[o];
        }
      }
    }
  }
  return dx;
}

/** Registers the missing and corrected training kernels for the wasm backend (idempotent). */
export function registerWasmTrainingKernels(): void {
  if (registered) return;
  registered = true;
  tf.unregisterKernel('MaxPoolGrad', 'wasm');
  tf.registerKernel({
    kernelName: 'MaxPoolGrad',
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend, attrs }) => {
      const wasm = backend as unknown as WasmBackendLike;
      const { dy, input } = inputs as { dy: TensorInfo; input: TensorInfo };
      const { filterSize, strides, pad, dimRoundingMode } = attrs as unknown as tf.MaxPoolGradAttrs;
      const info = tf.backend_util.computePool2DInfo(input.shape as [number, number, number, number], filterSize, strides, 1, pad, dimRoundingMode);
      const dx = maxPoolGradValues(wasm.typedArrayFromHeap(dy), wasm.typedArrayFromHeap(input), info);
      const out = wasm.makeOutput(input.shape, 'float32'); // after reading: a new buffer may move the wasm heap
      wasm.typedArrayFromHeap(out).set(dx);
      return out;
    },
  });
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
