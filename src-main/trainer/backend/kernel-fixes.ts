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
 *   gradient with the flipped kernel computes the same thing;
 * - wasm's GatherV2 (every training batch is gathered from the dataset
 *   tensor) copies element by element; rows are copied whole instead
 *   (fast-gather.ts).
 */
import * as tf from '@tensorflow/tfjs';
import type { Conv2DBackpropFilterAttrs, KernelConfig, NamedTensorInfoMap, TensorInfo } from '@tensorflow/tfjs';
import { conv2dBackpropFilterComposite, conv2dBackpropInputComposite } from './conv-gradients';
import { rowGatherKernel } from './fast-gather';
import { maxPoolGradValues, resizeNearestNeighborGradValues } from './pooling-gradients';

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

/** Registers `config` in place of the backend's own kernel of that name, if any. */
function replaceKernel(config: KernelConfig): void {
  if (tf.getKernel(config.kernelName, config.backendName)) tf.unregisterKernel(config.kernelName, config.backendName);
  tf.registerKernel(config);
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

interface CpuBackendLike {
  data: { get(dataId: object): { values: Float32Array } };
  makeTensorInfo(shape: number[], dtype: 'float32', values: Float32Array): TensorInfo;
}

/** Replaces the cpu backend's faulty upsampling gradient (idempotent). */
export function registerCpuTrainingKernels(): void {
  if (cpuRegistered) return;
  cpuRegistered = true;
  replaceKernel({
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
  for (const name of ['BatchMatMul', '_FusedMatMul']) replaceKernel(plainMatMul(name));
  replaceKernel(rowGatherKernel());
  replaceKernel(
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
  replaceKernel({
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
  replaceKernel(
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
