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
 * And two that are right but slow:
 * - wasm's BatchMatMul with transposeA or transposeB (as every dense backward
 *   pass asks) runs about 10× slower than without; transposing first (a memory
 *   copy) and multiplying plainly is faster;
 * - wasm's Conv2DBackpropInput (the convolution input gradient, and the
 *   forward pass of every transposed convolution) is a plain loop, 10–30×
 *   slower than its XNNPACK convolution; a convolution of the zero-dilated
 *   gradient with the flipped kernel computes the same thing.
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

/**
 * dx of a convolution as a convolution: dy dilated with stride − 1 zeros
 * between values, padded by kernel − 1 − forward padding, convolved with the
 * kernel flipped in space and with its channels swapped.
 */
export function conv2dBackpropInputComposite(dy: tf.Tensor4D, filter: tf.Tensor4D, attrs: tf.Conv2DBackpropInputAttrs): tf.Tensor4D {
  if (attrs.dataFormat !== 'NHWC') throw new Error(`Conv2DBackpropInput on wasm supports NHWC only, not ${attrs.dataFormat}`);
  const inputShape = attrs.inputShape;
  const info = tf.backend_util.computeConv2DInfo(inputShape, filter.shape, attrs.strides, 1, attrs.pad, attrs.dimRoundingMode);
  const [kh, kw] = [info.filterHeight, info.filterWidth];
  const [sh, sw] = [info.strideHeight, info.strideWidth];
  const [, h, w] = inputShape;
  return tf.tidy(() => {
    const [b, ho, wo, co] = dy.shape;
    let d: tf.Tensor4D = dy as tf.Tensor4D;
    if (sh > 1 || sw > 1) {
      // Zero-dilate: [b, ho, 1, wo, 1, co] padded to [b, ho, sh, wo, sw, co], then cut the trailing zeros.
      d = dy.reshape([b, ho, 1, wo, 1, co]).pad([[0, 0], [0, 0], [0, sh - 1], [0, 0], [0, sw - 1], [0, 0]]).reshape([b, ho * sh, wo * sw, co]).slice([0, 0, 0, 0], [b, (ho - 1) * sh + 1, (wo - 1) * sw + 1, co]) as tf.Tensor4D;
    }
    const top = kh - 1 - info.padInfo.top;
    const left = kw - 1 - info.padInfo.left;
    // Bottom/right so the result is exactly h × w; negative means the forward pass ignored trailing rows: crop instead.
    const bottom = h - d.shape[1] - top + kh - 1;
    const right = w - d.shape[2] - left + kw - 1;
    const padded = d.pad([[0, 0], [Math.max(0, top), Math.max(0, bottom)], [Math.max(0, left), Math.max(0, right)], [0, 0]]) as tf.Tensor4D;
    const cropped = padded.slice([0, Math.max(0, -top), Math.max(0, -left), 0], [b, padded.shape[1] - Math.max(0, -top) - Math.max(0, -bottom), padded.shape[2] - Math.max(0, -left) - Math.max(0, -right), co]);
    const flipped = tf.reverse(filter, [0, 1]).transpose([0, 1, 3, 2]) as tf.Tensor4D;
    return tf.conv2d(cropped, flipped, 1, 'valid');
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

/**
 * Wraps a wasm matmul kernel (BatchMatMul, _FusedMatMul) so transposed
 * operands are transposed into scratch buffers first: wasm's transposed
 * matmul path is the slow one. The scratch buffers are freed before returning.
 */
function plainMatMul(kernelName: string): KernelConfig {
  const config = tf.getKernel(kernelName, 'wasm')!;
  const original = config.kernelFunc;
  const transpose = tf.getKernel('Transpose', 'wasm')!.kernelFunc;
  return {
    ...config, // keeps setupFunc, which binds the wasm function when the backend starts
    kernelFunc: (args) => {
      const attrs = args.attrs as { transposeA: boolean; transposeB: boolean };
      if (!attrs.transposeA && !attrs.transposeB) return original(args);
      const backend = args.backend as unknown as { disposeData(id: object): void };
      const scratch: TensorInfo[] = [];
      const swap = (t: TensorInfo): TensorInfo => {
        const perm = t.shape.map((_, i) => i);
        [perm[perm.length - 2], perm[perm.length - 1]] = [perm[perm.length - 1], perm[perm.length - 2]];
        const out = transpose({ inputs: { x: t }, backend: args.backend, attrs: { perm } }) as TensorInfo;
        scratch.push(out);
        return out;
      };
      const inputs = { ...args.inputs, a: attrs.transposeA ? swap(args.inputs.a!) : args.inputs.a!, b: attrs.transposeB ? swap(args.inputs.b!) : args.inputs.b! };
      try {
        return original({ ...args, inputs, attrs: { ...attrs, transposeA: false, transposeB: false } as never });
      } finally {
        for (const t of scratch) backend.disposeData(t.dataId);
      }
    },
  };
}

/** Registers the missing and corrected training kernels for the wasm backend (idempotent). */
export function registerWasmTrainingKernels(): void {
  if (registered) return;
  registered = true;
  for (const name of ['BatchMatMul', '_FusedMatMul']) {
    const replacement = plainMatMul(name);
    tf.unregisterKernel(name, 'wasm');
    tf.registerKernel(replacement);
  }
  tf.unregisterKernel('Conv2DBackpropInput', 'wasm');
  tf.registerKernel(
    compositeKernel('Conv2DBackpropInput', (inputs, attrs) => {
      const dy = view<tf.Tensor4D>(inputs.dy!);
      const filter = view<tf.Tensor4D>(inputs.filter!);
      try {
        return conv2dBackpropInputComposite(dy, filter, attrs as tf.Conv2DBackpropInputAttrs);
      } finally {
        dy.dispose();
        filter.dispose();
      }
    }),
  );
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
