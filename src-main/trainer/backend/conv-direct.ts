/**
 * Direct convolutions on wasm (native/kernels.c) for the shapes XNNPACK and
 * the composites handle worst, which autoencoders are full of: the last
 * layer (one to four output channels), the first layer's weight gradient (one to
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

/**
 * The most output channels the "few outputs" kernels take (an RGB output
 * layer has 3): XNNPACK runs a convolution to 2–4 channels at a third of
 * its usual pace, and the weight gradient's GEMM is as slow. Scratch timing
 * at 64×64, 16 → Co channels, batch 32, XNNPACK/GEMM against these kernels:
 * forward 13.3/4.8 (Co 2), 12.3/6.1 (3), 12.3/10.3 (4) ms; weight gradient
 * 11.4/2.8, 9.3/2.7, 12.4/3.0 ms.
 */
export const FEW_OUTPUTS = 4;

/** Which direct kernel computes a convolution's weight gradient: one output channel (SIMD along C), few input channels (SIMD along Co), or none. */
export function directFilterForm(c: number, co: number): 'cout1' | 'few' | 'narrow' | null {
  if (co === 1 && c % 4 === 0) return 'cout1';
  if (co >= 2 && co <= FEW_OUTPUTS && c % 4 === 0) return 'few';
  if (c < 4 && co % 4 === 0) return 'narrow';
  return null;
}

/**
 * Whether the input gradient runs direct: SIMD along dx's C channels, a
 * multiple of 4. Timed against the composite (batch 32, 3×3, scratch
 * timing): at stride 2 3.5–4× faster (the composite's dilation wastes 3/4 of
 * its work), at stride 1 even (64 → 64 channels) to 1.25× (128 → 128). But
 * from one to three dy channels at stride 1 (an output layer's input
 * gradient) the composite is a plain XNNPACK convolution Co → C, faster
 * (1→16 at 28×28, batch 128: 2.2 against 2.8 ms; 3→32 at 64×64, batch 32:
 * 9.1 against 10.2 ms; even at 4 and 8 channels).
 */
export function directInputGrad(g: Geometry): boolean {
  return g.c % 4 === 0 && !(g.co <= 3 && g.sh === 1 && g.sw === 1);
}

const ACT: Record<'linear' | 'relu', number> = { linear: 0, relu: 1 };

/**
 * Runs `use` with each tap's C × Co block of `filter` transposed into a
 * scratch tensor [kh][kw][Co][C] (its heap offset), so a kernel reads C
 * weights in a row for each output channel; the scratch is freed after.
 */
function withTapsTransposed({ heap, native, at, output }: HeapContext, filter: TensorInfo, g: Geometry, use: (wt: number) => void): void {
  const wt = output([g.kh, g.kw, g.co, g.c]);
  try {
    const [w, t, block] = [at(filter), at(wt), g.c * g.co * 4];
    for (let tap = 0; tap < g.kh * g.kw; tap++) native.transpose(w + tap * block, g.c, g.co, t + tap * block);
    use(t);
  } finally {
    heap.disposeData(wt.dataId);
  }
}

/**
 * Conv2D or FusedConv2D (bias; linear or relu) with one to four output
 * channels (C a multiple of 4) through the direct kernels, else the
 * backend's own kernel.
 */
export function directForwardKernel(kernelName: 'Conv2D' | 'FusedConv2D'): KernelConfig {
  return withFastPath<FusedConv2DAttrs>(kernelName, (ctx, { x, filter, bias, preluActivationWeights }, attrs) => {
    const { native, at, output } = ctx;
    const activation = attrs.activation ?? 'linear';
    if (x.dtype !== 'float32' || preluActivationWeights || (activation !== 'linear' && activation !== 'relu')) return null;
    const g = geometry(x.shape as Shape4, filter.shape as Shape4, attrs);
    if (!g || g.co > FEW_OUTPUTS || g.c % 4 !== 0 || (bias && tf.util.sizeFromShape(bias.shape) !== g.co)) return null;
    const y = output([g.batch, g.ho, g.wo, g.co]);
    if (g.co === 1) {
      native.conv_forward_cout1(at(x), at(filter), g.batch, g.h, g.w, g.c, g.ho, g.wo, g.kh, g.kw, g.sh, g.sw, g.top, g.left, bias ? at(bias) : 0, ACT[activation], at(y));
      return y;
    }
    withTapsTransposed(ctx, filter, g, (wt) => native.conv_forward_few(at(x), wt, g.batch, g.h, g.w, g.c, g.ho, g.wo, g.co, g.kh, g.kw, g.sh, g.sw, g.top, g.left, bias ? at(bias) : 0, ACT[activation], at(y)));
    return y;
  });
}

/**
 * Conv2DBackpropInput (also a transposed convolution's forward pass) through
 * the direct (gathering) kernel, with `bias` added and a relu applied as the
 * sums are stored where given; null where `directInputGrad` says no (nothing
 * allocated then).
 */
export function directInputGradOf(ctx: HeapContext, dy: TensorInfo, filter: TensorInfo, attrs: Conv2DBackpropInputAttrs, bias: TensorInfo | null, activation: 'linear' | 'relu'): TensorInfo | null {
  const g = dy.dtype === 'float32' ? geometry(attrs.inputShape as Shape4, filter.shape as Shape4, attrs) : null;
  if (!g || !directInputGrad(g) || g.ho !== dy.shape[1] || g.wo !== dy.shape[2]) return null;
  const { native, at, output } = ctx;
  const dx = output([g.batch, g.h, g.w, g.c]);
  withTapsTransposed(ctx, filter, g, (wt) => native.conv_input_grad(at(dy), wt, g.batch, g.h, g.w, g.c, g.ho, g.wo, g.co, g.kh, g.kw, g.sh, g.sw, g.top, g.left, bias ? at(bias) : 0, ACT[activation], at(dx)));
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
export function directFilterGrad({ heap, native, at, output }: HeapContext, x: TensorInfo, dy: TensorInfo, attrs: Conv2DBackpropFilterAttrs, dw: TensorInfo): boolean {
  const g = geometry(x.shape as Shape4, attrs.filterShape as Shape4, attrs);
  const form = g ? directFilterForm(g.c, g.co) : null;
  if (!g || !form) return false;
  if (form === 'cout1') native.conv_filter_grad_cout1(at(x), at(dy), g.batch, g.h, g.w, g.c, g.ho, g.wo, g.kh, g.kw, g.sh, g.sw, g.top, g.left, at(dw));
  else if (form === 'few') {
    const dwt = output([g.co, g.kh, g.kw, g.c]); // the sums along C for each output channel, transposed into dw at the end
    try {
      native.conv_filter_grad_few(at(x), at(dy), g.batch, g.h, g.w, g.c, g.ho, g.wo, g.co, g.kh, g.kw, g.sh, g.sw, g.top, g.left, at(dwt), at(dw));
    } finally {
      heap.disposeData(dwt.dataId);
    }
  } else native.conv_filter_grad_narrow(at(x), at(dy), g.batch, g.h, g.w, g.c, g.ho, g.wo, g.co, g.kh, g.kw, g.sh, g.sw, g.top, g.left, at(dw));
  return true;
}
