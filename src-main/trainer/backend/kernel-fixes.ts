/**
 * Kernels the TF.js 4.22 backends lack or get wrong for training, found by
 * comparing the gradients of every layer the catalog maps to across backends
 * and against plain-JS references (see the tests):
 * - wasm has no Conv2DBackpropFilter (the convolution weight gradient): GEMMs
 *   of dy with im2col patch rows on our kernels (conv-filter-grad.ts);
 * - wasm's MaxPoolGrad (the pooling gradient) routes the gradient to the wrong
 *   cell when a window's values are negative and the batch exceeds 1 (pooling
 *   after tanh or a linear layer);
 * - cpu's ResizeNearestNeighborGrad (the upsampling gradient) reads dy with
 *   the input's batch stride, so every sample after the first gets a wrong
 *   gradient. wasm's own kernel is right;
 * - the bilinear upsampling gradient (ResizeBilinearGrad): cpu's swaps height
 *   and width when they differ (a shape error), wasm's, webgpu's and tfjs-node's ignore
 *   halfPixelCenters (the pixel-centre sampling Keras 3 and ONNX use);
 * - the average-pooling gradient (AvgPoolGrad) of cpu, wasm and webgpu divides by the
 *   whole window where a 'same'-padded window reaches past the edge, while the
 *   forward pass (and TensorFlow) average only the cells inside.
 * And some that are right but slow:
 * - wasm's BatchMatMul and _FusedMatMul pack their right operand into a new
 *   XNNPACK operator on every call (the weights change every step), and run
 *   about 10× slower still with transposeA or transposeB (as every dense
 *   backward pass asks); our own GEMM (gemm-matmul.ts, native/kernels.c)
 *   reads both operands in place, a transposed left one by stride. What it
 *   does not cover falls back to a transposing copy and the backend's kernel;
 * - the Adam update and the reconstruction losses, chains of a dozen small
 *   kernels each, are one wasm kernel call each (fused-adam.ts, fused-losses.ts);
 * - the sigmoid's gradient (every sigmoid output layer) is three kernels
 *   over the whole output; one call (sigmoid-gradient.ts);
 * - a relu Dense layer under a gradient tape is about a dozen operations
 *   forward and back; one fused kernel with its own gradient (fused-dense.ts);
 * - wasm's Conv2DBackpropInput (the convolution input gradient, and the
 *   forward pass of every transposed convolution) is a plain loop, 10–30×
 *   slower than its XNNPACK convolution; ours gathers each input pixel's
 *   taps in SIMD registers (conv-direct.ts), and where the channels do not
 *   come in fours a convolution of the zero-dilated gradient with the flipped
 *   kernel computes the same thing. A convolution with one output channel
 *   (every image autoencoder's last layer), the weight gradient of one with
 *   one to three input channels (its first) are direct kernels too;
 * - wasm's nearest-neighbour upsampling gradient is a slow loop; whole
 *   factors (every upsampling layer) sum their blocks in one native pass;
 * - wasm's Add broadcasts a layer's bias with a general index loop, and
 *   TF.js's relu gradient is three kernels (step, cast, multiply): one pass
 *   each (TF.js runs convolutions unfused while recording gradients);
 * - wasm's GatherV2 (every training batch is gathered from the dataset
 *   tensor) copies element by element; rows are copied whole instead
 *   (fast-gather.ts);
 * - wasm's Identity copies its input, and the engine calls it for every
 *   tensor a gradient keeps; it shares the buffer instead, as cpu's does;
 * - wasm's Sum transposes the whole input before a bias gradient's sum over
 *   batch and pixels; one pass instead (layout-passes.ts);
 * - the layout chains inside the convolution gradients (transpose → pad,
 *   dilate → pad → slice) are single passes over the heap (layout-passes.ts,
 *   heap-tensor.ts), and max-pooling's gradient has a path for the 2×2
 *   windows every template uses.
 */
import * as tf from '@tensorflow/tfjs';
import type { KernelConfig, NamedTensorInfoMap, TensorInfo } from '@tensorflow/tfjs';
import { conv2dBackpropInputComposite } from './conv-gradients';
import { directForwardKernel, directInputGradKernel } from './conv-direct';
import { convFilterGradKernel } from './conv-filter-grad';
import { avgPoolWindowScale, resizeBilinearGradComposite } from './gpu-gradients';
import { rowGatherKernel } from './fast-gather';
import { concatKernel, splitKernel } from './concat-split';
import { convGradient, convKernel, reluBiasGradKernel } from './fused-conv';
import { denseGradient, denseKernel, reluGradient, reluGradKernel } from './fused-dense';
import { fusedAdamKernel } from './fused-adam';
import { fusedLossKernels } from './fused-losses';
import { gemmMatMul } from './gemm-matmul';
import { withFastPath } from './heap-kernel';
import { transposeLastTwo } from './layout-passes';
import { nativeKernels, type WasmBackendHeap } from './native/wasm-kernels';
import { avgPoolGradInto, isPool2x2Inside, maxPoolGradInto, resizeBilinearGradInto, resizeBilinearGradValues, resizeNearestNeighborGradValues } from './pooling-gradients';
import { sigmoidGradient, sigmoidGradKernel } from './sigmoid-gradient';

/**
 * Runs a composite inside a kernel and hands its result's buffer to the
 * engine: one more reference on the data, then the composite's tensor is
 * dropped, so the engine tracks exactly the tensor it is handed (a tensor
 * made by ops inside a kernel would otherwise be tracked twice) without a copy.
 */
function compositeKernel(name: string, run: (inputs: NamedTensorInfoMap, attrs: unknown) => tf.Tensor): KernelConfig {
  return {
    kernelName: name,
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend, attrs }) => {
      const result = run(inputs, attrs);
      (backend as unknown as WasmBackendHeap).incRef(result.dataId);
      const out: TensorInfo = { dataId: result.dataId, shape: result.shape, dtype: result.dtype };
      result.dispose();
      return out;
    },
  };
}

/**
 * wasm's Sum moves the reduced axes last with a full transpose first; the
 * bias gradient (dy summed over batch and pixels, the leading axes) is one
 * pass instead. Any other reduction goes to the backend's own kernel.
 */
function leadingSumKernel(): KernelConfig {
  return withFastPath<tf.SumAttrs>('Sum', ({ native, at, output }, { x }, { axis, keepDims }) => {
    const axes = tf.util.parseAxisParam(axis, x.shape).sort((a, b) => a - b);
    const leading = axes.length > 0 && axes.length < x.shape.length && axes.every((a, i) => a === i);
    if (!leading || x.dtype !== 'float32') return null;
    const kept = x.shape.slice(axes.length);
    const cols = kept.reduce((a, b) => a * b, 1);
    const rows = x.shape.slice(0, axes.length).reduce((a, b) => a * b, 1);
    const out = output(keepDims ? [...axes.map(() => 1), ...kept] : kept);
    // A dense layer's bias gradient (rows = batch) sums in float32 SIMD; longer sums (batch × pixels of a
    // convolution) in float64 SIMD, so rounding does not grow with the image size.
    (rows <= 1024 ? native.sum_rows : native.sum_rows_long)(at(x), rows, cols, at(out));
    return out;
  });
}

/**
 * wasm's Add broadcasts with a general index loop: a layer's bias added over
 * batch and pixels (every convolution's, while recording gradients TF.js
 * runs them unfused) took 1.6 ms a step for a 28×28×16 output. A bias whose
 * only dimension of more than one value is the other input's last is one
 * SIMD pass; anything else goes to the backend's own kernel.
 */
function biasAddKernel(): KernelConfig {
  const isBiasOf = (bias: TensorInfo, x: TensorInfo): boolean => {
    const cols = x.shape[x.shape.length - 1];
    return x.shape.length >= 2 && bias.shape.length >= 1 && bias.shape.length <= x.shape.length && bias.shape[bias.shape.length - 1] === cols && tf.util.sizeFromShape(bias.shape) === cols && tf.util.sizeFromShape(x.shape) > cols;
  };
  return withFastPath('Add', ({ native, at, output }, { a, b }) => {
    if (a.dtype !== 'float32' || b.dtype !== 'float32') return null;
    const [x, bias] = isBiasOf(b, a) ? [a, b] : isBiasOf(a, b) ? [b, a] : [null, null];
    if (!x || !bias) return null;
    const out = output(x.shape);
    const cols = x.shape[x.shape.length - 1];
    native.add_bias(at(x), at(bias), tf.util.sizeFromShape(x.shape) / cols, cols, 0, at(out));
    return out;
  });
}

/** wasm's ResizeNearestNeighbor (the upsampling layer's forward pass), likewise by whole factors without corner alignment: one native copy pass (14×14×16 to 28×28×16, batch 128: 2.0 → 0.3 ms). */
function upsamplingKernel(): KernelConfig {
  return withFastPath<{ alignCorners?: boolean; size: [number, number] }>('ResizeNearestNeighbor', ({ native, at, output }, { images }, { alignCorners, size }) => {
    const [batch, h, w, c] = images.shape;
    const [oh, ow] = size;
    if (alignCorners || images.dtype !== 'float32' || images.shape.length !== 4 || oh % h !== 0 || ow % w !== 0 || oh < h || ow < w) return null;
    const out = output([batch, oh, ow, c]);
    native.upsample_nearest(at(images), batch, h, w, c, oh / h, ow / w, at(out));
    return out;
  });
}

/**
 * wasm's ResizeNearestNeighborGrad (the upsampling layer's gradient) is
 * right but slow: 12 of the seed article's model's 54 ms a step for one
 * 28×28×16 output. Upsampling by whole factors without corner alignment
 * (what the upsampling layer does) sums each input pixel's block of dy in
 * one native pass; any other resize goes to the backend's own kernel.
 */
function upsamplingGradKernel(): KernelConfig {
  return withFastPath<{ alignCorners?: boolean }>('ResizeNearestNeighborGrad', ({ native, at, output }, { images, dy }, { alignCorners }) => {
    const [batch, h, w, c] = images.shape;
    const [, oh, ow] = dy.shape;
    if (alignCorners || dy.dtype !== 'float32' || oh % h !== 0 || ow % w !== 0 || oh < h || ow < w) return null;
    const out = output(images.shape);
    native.upsample_nearest_grad(at(dy), batch, h, w, c, oh / h, ow / w, at(out));
    return out;
  });
}

/**
 * wasm's Identity copies its input. The engine calls it for every tensor a
 * gradient needs later (each layer's output, every step), and the cpu backend
 * shares the buffer instead; do the same: nothing writes a backend buffer in
 * place, so sharing is safe (and keeps XNNPACK's operator cache, which is
 * keyed by buffer, valid).
 */
function sharingIdentityKernel(): KernelConfig {
  const original = tf.getKernel('Identity', 'wasm')!.kernelFunc;
  return {
    kernelName: 'Identity',
    backendName: 'wasm',
    kernelFunc: (args) => {
      const { x } = args.inputs as { x: TensorInfo };
      if (x.dtype === 'string') return original(args);
      (args.backend as unknown as WasmBackendHeap).incRef(x.dataId);
      return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
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

/** The attributes of a ResizeBilinearGrad call. */
const bilinearAttrs = (attrs: unknown) => {
  const a = attrs as { alignCorners?: boolean; halfPixelCenters?: boolean };
  return [Boolean(a.alignCorners), Boolean(a.halfPixelCenters)] as const;
};

/** The pooling geometry of an AvgPoolGrad call. */
function avgPoolInfo(input: TensorInfo, attrs: unknown): tf.backend_util.Conv2DInfo {
  const { filterSize, strides, pad } = attrs as unknown as tf.AvgPoolGradAttrs;
  return tf.backend_util.computePool2DInfo(input.shape as [number, number, number, number], filterSize, strides, 1, pad);
}

/** Replaces the cpu backend's faulty upsampling and average-pooling gradients (idempotent). */
export function registerCpuTrainingKernels(): void {
  if (cpuRegistered) return;
  cpuRegistered = true;
  replaceKernel({
    kernelName: 'AvgPoolGrad',
    backendName: 'cpu',
    kernelFunc: ({ inputs, backend, attrs }) => {
      const cpu = backend as unknown as CpuBackendLike;
      const { dy, input } = inputs as { dy: TensorInfo; input: TensorInfo };
      const dx = new Float32Array(input.shape.reduce((a, b) => a * b, 1));
      avgPoolGradInto(cpu.data.get(dy.dataId).values, avgPoolInfo(input, attrs), dx);
      return cpu.makeTensorInfo(input.shape, 'float32', dx);
    },
  });
  replaceKernel({
    kernelName: 'ResizeBilinearGrad',
    backendName: 'cpu',
    kernelFunc: ({ inputs, backend, attrs }) => {
      const cpu = backend as unknown as CpuBackendLike;
      const { images, dy } = inputs as { images: TensorInfo; dy: TensorInfo };
      return cpu.makeTensorInfo(images.shape, 'float32', resizeBilinearGradValues(cpu.data.get(dy.dataId).values, dy.shape, images.shape, ...bilinearAttrs(attrs)));
    },
  });
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
  return {
    ...config, // keeps setupFunc, which binds the wasm function when the backend starts
    kernelFunc: (args) => {
      const attrs = args.attrs as { transposeA: boolean; transposeB: boolean };
      if (!attrs.transposeA && !attrs.transposeB) return original(args);
      const backend = args.backend as unknown as WasmBackendHeap;
      const scratch: TensorInfo[] = [];
      const swap = (t: TensorInfo): TensorInfo => {
        const [rows, cols] = t.shape.slice(-2);
        const batch = t.shape.slice(0, -2).reduce((a, b) => a * b, 1);
        const out = backend.makeOutput([...t.shape.slice(0, -2), cols, rows], 'float32');
        scratch.push(out);
        transposeLastTwo(backend.typedArrayFromHeap(t), batch, rows, cols, backend.typedArrayFromHeap(out)); // views after makeOutput: it may move the heap
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
  for (const name of ['BatchMatMul', '_FusedMatMul']) replaceKernel(gemmMatMul(plainMatMul(name)));
  replaceKernel(fusedAdamKernel());
  for (const config of fusedLossKernels()) replaceKernel(config);
  replaceKernel(sigmoidGradKernel());
  tf.registerGradient(sigmoidGradient()); // replaces TF.js's (same formula on other backends)
  replaceKernel(denseKernel());
  replaceKernel(reluGradKernel());
  tf.registerGradient(denseGradient());
  tf.registerGradient(reluGradient()); // replaces TF.js's (same formula on other backends)
  replaceKernel(convKernel());
  replaceKernel(reluBiasGradKernel());
  tf.registerGradient(convGradient());
  replaceKernel(rowGatherKernel());
  replaceKernel(leadingSumKernel());
  replaceKernel(biasAddKernel());
  replaceKernel(upsamplingKernel());
  replaceKernel(concatKernel());
  replaceKernel(splitKernel());
  replaceKernel(upsamplingGradKernel());
  replaceKernel(sharingIdentityKernel());
  const inputGradComposite = compositeKernel('Conv2DBackpropInput', (inputs, attrs) => {
    const dy = view<tf.Tensor4D>(inputs.dy!);
    const filter = view<tf.Tensor4D>(inputs.filter!);
    try {
      return conv2dBackpropInputComposite(dy, filter, attrs as tf.Conv2DBackpropInputAttrs);
    } finally {
      dy.dispose();
      filter.dispose();
    }
  });
  replaceKernel(directInputGradKernel(inputGradComposite.kernelFunc));
  for (const name of ['Conv2D', 'FusedConv2D'] as const) replaceKernel(directForwardKernel(name));
  replaceKernel({
    kernelName: 'ResizeBilinearGrad',
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend, attrs }) => {
      const wasm = backend as unknown as WasmBackendHeap;
      const { images, dy } = inputs as { images: TensorInfo; dy: TensorInfo };
      const out = wasm.makeOutput(images.shape, 'float32');
      // Views after makeOutput: a new buffer may move the wasm heap.
      resizeBilinearGradInto(wasm.typedArrayFromHeap(dy), dy.shape, images.shape, ...bilinearAttrs(attrs), wasm.typedArrayFromHeap(out));
      return out;
    },
  });
  replaceKernel({
    kernelName: 'AvgPoolGrad',
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend, attrs }) => {
      const wasm = backend as unknown as WasmBackendHeap;
      const { dy, input } = inputs as { dy: TensorInfo; input: TensorInfo };
      const out = wasm.makeOutput(input.shape, 'float32');
      avgPoolGradInto(wasm.typedArrayFromHeap(dy), avgPoolInfo(input, attrs), wasm.typedArrayFromHeap(out)); // views after makeOutput
      return out;
    },
  });
  replaceKernel({
    kernelName: 'MaxPoolGrad',
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend, attrs }) => {
      const wasm = backend as unknown as WasmBackendHeap;
      const { dy, input } = inputs as { dy: TensorInfo; input: TensorInfo };
      const { filterSize, strides, pad, dimRoundingMode } = attrs as unknown as tf.MaxPoolGradAttrs;
      const info = tf.backend_util.computePool2DInfo(input.shape as [number, number, number, number], filterSize, strides, 1, pad, dimRoundingMode);
      const out = wasm.makeOutput(input.shape, 'float32');
      if (isPool2x2Inside(info)) {
        // The pooling every template uses: one native pass, SIMD over the channels.
        const at = (t: TensorInfo) => wasm.getMemoryOffset(t.dataId);
        nativeKernels(wasm).max_pool_2x2_grad(at(dy), at(input), info.batchSize, info.inHeight, info.inWidth, info.inChannels, info.outHeight, info.outWidth, at(out));
        return out;
      }
      // Views after makeOutput: a new buffer may move the wasm heap.
      maxPoolGradInto(wasm.typedArrayFromHeap(dy), wasm.typedArrayFromHeap(input), info, wasm.typedArrayFromHeap(out));
      return out;
    },
  });
  replaceKernel(convFilterGradKernel());
}

/** What registerNodeTrainingKernels needs of tfjs-node's backend module (loaded only where it is installed). */
export interface NodeKernelBackendModule {
  createTensorsTypeOpAttr(name: string, dtype: string): unknown;
}
interface NodeBackendLike {
  binding: { TF_ATTR_BOOL: number };
  executeSingleOutput(name: string, attrs: unknown[], inputs: TensorInfo[]): TensorInfo;
}

let nodeRegistered = false;
/**
 * tfjs-node's ResizeBilinearGrad passes align_corners but not
 * half_pixel_centers to TensorFlow's kernel, so the bilinear upsampling
 * layer (pixel centres, as Keras 3 and ONNX) got the corner rule's gradient;
 * the same kernel with both attributes (idempotent).
 */
export function registerNodeTrainingKernels(nodeBackend: NodeKernelBackendModule): void {
  if (nodeRegistered) return;
  nodeRegistered = true;
  replaceKernel({
    kernelName: 'ResizeBilinearGrad',
    backendName: 'tensorflow',
    kernelFunc: ({ inputs, backend, attrs }) => {
      const node = backend as unknown as NodeBackendLike;
      const { images, dy } = inputs as { images: TensorInfo; dy: TensorInfo };
      const [alignCorners, halfPixelCenters] = bilinearAttrs(attrs);
      const opAttrs = [
        nodeBackend.createTensorsTypeOpAttr('T', images.dtype),
        { name: 'align_corners', type: node.binding.TF_ATTR_BOOL, value: alignCorners },
        { name: 'half_pixel_centers', type: node.binding.TF_ATTR_BOOL, value: halfPixelCenters },
      ];
      return node.executeSingleOutput('ResizeBilinearGrad', opAttrs, [dy, images]);
    },
  });
}

interface RefCountingBackend {
  incRef(dataId: object): void;
}

let webgpuRegistered = false;
/**
 * The webgpu backend's average-pooling and bilinear upsampling gradients have
 * the cpu and wasm kernels' faults; their replacements stay on the device
 * (gpu-gradients.ts): Node cannot read webgpu data back synchronously, so the
 * plain-JS passes the other backends use cannot run there. Idempotent.
 */
export function registerWebgpuTrainingKernels(): void {
  if (webgpuRegistered) return;
  webgpuRegistered = true;
  const avgPoolGrad = tf.getKernel('AvgPoolGrad', 'webgpu')!.kernelFunc;
  replaceKernel({
    kernelName: 'AvgPoolGrad',
    backendName: 'webgpu',
    kernelFunc: (args) => {
      const { dy, input } = args.inputs as { dy: TensorInfo; input: TensorInfo };
      const dyView = view<tf.Tensor4D>(dy);
      const scale = avgPoolWindowScale(avgPoolInfo(input, args.attrs));
      const scaled = tf.mul(dyView, scale);
      try {
        // TF.js's kernel divides by the whole window: dy scaled by whole / inside makes that the inside average's gradient.
        return avgPoolGrad({ ...args, inputs: { dy: scaled, input } }) as TensorInfo;
      } finally {
        tf.dispose([dyView, scale, scaled]);
      }
    },
  });
  replaceKernel({
    kernelName: 'ResizeBilinearGrad',
    backendName: 'webgpu',
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { images, dy } = inputs as { images: TensorInfo; dy: TensorInfo };
      const dyView = view<tf.Tensor4D>(dy);
      try {
        const result = resizeBilinearGradComposite(dyView, images.shape, ...bilinearAttrs(attrs));
        (backend as unknown as RefCountingBackend).incRef(result.dataId); // handed to the engine, which counts it once
        const out: TensorInfo = { dataId: result.dataId, shape: result.shape, dtype: result.dtype };
        result.dispose();
        return out;
      } finally {
        dyView.dispose();
      }
    },
  });
}
