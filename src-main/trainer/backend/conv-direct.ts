/**
 * Direct convolutions on wasm (native/kernels.c) for the shapes XNNPACK and
 * the composites handle worst, which autoencoders are full of: the last
 * layer (one output channel), the first layer's weight gradient (one to
 * three input channels), and every input gradient, above all a transposed
 * convolution's forward pass (Conv2DBackpropInput with stride 2), which the
 * composite computed as a convolution of the zero-dilated input: four times
 * the work at stride 2. The convolutional template's step on one thread:
 * 67 → 37 ms (scratch timing of 10 steps on real MNIST batches). The first
 * layer's forward pass stays with XNNPACK, which was faster there (2.3
 * against 2.75 ms) than a direct kernel along the output channels. Every
 * other shape keeps the kernel it had; this module only decides.
 */
import * as tf from '@tensorflow/tfjs';
import type { Conv2DAttrs, Conv2DBackpropFilterAttrs, Conv2DBackpropInputAttrs, FusedConv2DAttrs, KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import type { HeapContext } from './heap-kernel';
import { contextOf, withFastPath } from './heap-kernel';

type Shape4 = [number, number, number, number];

/** The geometry every direct kernel takes after its pointers: batch, H, W, C, Ho, Wo, (Co,) kh, kw, sh, sw, top, left. */
interface Geometry {
  batch: number;
  h: number;
  w: number;
  c: number;
  ho: number;
  wo: number;
  co: number;
  kh: number;
  kw: number;
  sh: number;
  sw: number;
  top: number;
  left: number;
}

/** The geometry of a convolution of NHWC `xShape` with `filterShape`, or null where no direct kernel applies (dilation, another layout). */
function geometry(xShape: Shape4, filterShape: Shape4, attrs: { strides: number | [number, number]; pad: Conv2DAttrs['pad']; dataFormat: string; dimRoundingMode?: Conv2DAttrs['dimRoundingMode']; dilations?: number | [number, number] }): Geometry | null {
  if (attrs.dataFormat !== 'NHWC') return null;
  const dilations = attrs.dilations ?? 1;
  if (!(dilations === 1 || (Array.isArray(dilations) && dilations.every((d) => d === 1)))) return null;
  const info = tf.backend_util.computeConv2DInfo(xShape, filterShape, attrs.strides, 1, attrs.pad, attrs.dimRoundingMode);
  return {
    batch: info.batchSize, h: info.inHeight, w: info.inWidth, c: info.inChannels, ho: info.outHeight, wo: info.outWidth, co: info.outChannels,
    kh: info.filterHeight, kw: info.filterWidth, sh: info.strideHeight, sw: info.strideWidth, top: info.padInfo.top, left: info.padInfo.left,
  };
}

/** Which direct kernel computes a convolution's weight gradient: one output channel (SIMD along C), few input channels (SIMD along Co), or none. */
export function directFilterForm(c: number, co: number): 'cout1' | 'narrow' | null {
  if (co === 1 && c % 4 === 0) return 'cout1';
  if (c < 4 && co % 4 === 0) return 'narrow';
  return null;
}

/**
 * Whether the input gradient runs direct: SIMD along dx's C channels, a
 * multiple of 4. Timed against the composite (batch 32, 3×3, scratch
 * timing): at stride 2 3.5–4× faster (the composite's dilation wastes 3/4 of
 * its work), at stride 1 even (64 → 64 channels) to 1.25× (128 → 128). But
 * from one dy channel at stride 1 (an output layer's input gradient) the
 * composite is a plain XNNPACK convolution 1 → C, faster (1→16 at 28×28,
 * batch 128: 2.2 against 2.8 ms).
 */
export function directInputGrad(g: Geometry): boolean {
  return g.c % 4 === 0 && !(g.co === 1 && g.sh === 1 && g.sw === 1);
}

const ACT: Record<'linear' | 'relu', number> = { linear: 0, relu: 1 };

/** Conv2D or FusedConv2D (bias; linear or relu) with one output channel (C a multiple of 4) through the direct kernel, else the backend's own kernel. */
export function directForwardKernel(kernelName: 'Conv2D' | 'FusedConv2D'): KernelConfig {
  return withFastPath<FusedConv2DAttrs>(kernelName, ({ native, at, output }, { x, filter, bias, preluActivationWeights }, attrs) => {
    const activation = attrs.activation ?? 'linear';
    if (x.dtype !== 'float32' || preluActivationWeights || (activation !== 'linear' && activation !== 'relu')) return null;
    const g = geometry(x.shape as Shape4, filter.shape as Shape4, attrs);
    if (!g || g.co !== 1 || g.c % 4 !== 0 || (bias && tf.util.sizeFromShape(bias.shape) !== 1)) return null;
    const y = output([g.batch, g.ho, g.wo, g.co]);
    native.conv_forward_cout1(at(x), at(filter), g.batch, g.h, g.w, g.c, g.ho, g.wo, g.kh, g.kw, g.sh, g.sw, g.top, g.left, bias ? at(bias) : 0, ACT[activation], at(y));
    return y;
  });
}

/**
 * Conv2DBackpropInput (also a transposed convolution's forward pass) through
 * the direct (gathering) kernel, with `bias` added and a relu applied as the
 * sums are stored where given; null where `directInputGrad` says no (nothing
 * allocated then).
 */
export function directInputGradOf({ heap, native, at, output }: HeapContext, dy: TensorInfo, filter: TensorInfo, attrs: Conv2DBackpropInputAttrs, bias: TensorInfo | null, activation: 'linear' | 'relu'): TensorInfo | null {
  const g = dy.dtype === 'float32' ? geometry(attrs.inputShape as Shape4, filter.shape as Shape4, attrs) : null;
  if (!g || !directInputGrad(g) || g.ho !== dy.shape[1] || g.wo !== dy.shape[2]) return null;
  const dx = output([g.batch, g.h, g.w, g.c]);
  const wt = output([g.kh, g.kw, g.co, g.c]);
  try {
    // Each tap's C × Co block transposed, so the kernel reads C weights in a row for each dy channel.
    const [w, t, block] = [at(filter), at(wt), g.c * g.co * 4];
    for (let tap = 0; tap < g.kh * g.kw; tap++) native.transpose(w + tap * block, g.c, g.co, t + tap * block);
    native.conv_input_grad(at(dy), t, g.batch, g.h, g.w, g.c, g.ho, g.wo, g.co, g.kh, g.kw, g.sh, g.sw, g.top, g.left, bias ? at(bias) : 0, ACT[activation], at(dx));
  } finally {
    heap.disposeData(wt.dataId);
  }
  return dx;
}

/** Conv2DBackpropInput through the direct kernel where `directInputGrad` says so, else `fallback`. */
export function directInputGradKernel(fallback: KernelFunc): KernelConfig {
  return {
    kernelName: 'Conv2DBackpropInput',
    backendName: 'wasm',
    kernelFunc: (args) => {
      const { dy, filter } = args.inputs as { dy: TensorInfo; filter: TensorInfo };
      return directInputGradOf(contextOf(args.backend), dy, filter, args.attrs as unknown as Conv2DBackpropInputAttrs, null, 'linear') ?? fallback(args);
    },
  };
}

/** Conv2DBackpropFilter's direct kernels, or false where `directFilterForm` picks none (conv-filter-grad.ts then runs its GEMMs). */
export function directFilterGrad({ native, at }: HeapContext, x: TensorInfo, dy: TensorInfo, attrs: Conv2DBackpropFilterAttrs, dw: TensorInfo): boolean {
  const g = geometry(x.shape as Shape4, attrs.filterShape as Shape4, attrs);
  const form = g ? directFilterForm(g.c, g.co) : null;
  if (!g || !form) return false;
  if (form === 'cout1') native.conv_filter_grad_cout1(at(x), at(dy), g.batch, g.h, g.w, g.c, g.ho, g.wo, g.kh, g.kw, g.sh, g.sw, g.top, g.left, at(dw));
  else native.conv_filter_grad_narrow(at(x), at(dy), g.batch, g.h, g.w, g.c, g.ho, g.wo, g.co, g.kh, g.kw, g.sh, g.sw, g.top, g.left, at(dw));
  return true;
}
