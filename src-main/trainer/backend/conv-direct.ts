/**
 * Direct convolutions on wasm (native/kernels.c) for the shapes XNNPACK and
 * the composites handle worst, which autoencoders are full of: the first
 * layer (one to three input channels), the last (one output channel), and
 * every input gradient, above all a transposed convolution's forward pass
 * (Conv2DBackpropInput with stride 2), which the composite computes as a
 * convolution of the zero-dilated input: four times the work at stride 2.
 * On the convolutional template these took 46 of the 61 ms its convolutions
 * cost a step on one thread (scratch timing of each kernel at its shapes).
 * Every other shape keeps the kernel it had; this module only decides.
 */
import * as tf from '@tensorflow/tfjs';
import type { Conv2DAttrs, Conv2DBackpropFilterAttrs, Conv2DBackpropInputAttrs, FusedConv2DAttrs, KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import type { HeapContext } from './heap-kernel';
import { heapKernel } from './heap-kernel';

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

/** Which direct kernel computes a convolution's forward pass or weight gradient: one output channel (SIMD along C), few input channels (SIMD along Co), or none. */
export function directForm(c: number, co: number): 'cout1' | 'narrow' | null {
  if (co === 1 && c % 4 === 0) return 'cout1';
  if (c < 4 && co % 4 === 0) return 'narrow';
  return null;
}

/**
 * Whether the input gradient runs direct: SIMD along dx's C channels (a
 * multiple of 4), for any stride above 1 (the composite's dilation wastes
 * stride² of its work) and for few channels at stride 1 (C·Co ≤ 512, where
 * XNNPACK's convolution of the padded gradient loses to the scatter).
 */
export function directInputGrad(g: Geometry): boolean {
  return g.c % 4 === 0 && (g.sh > 1 || g.sw > 1 || g.c * g.co <= 512);
}

const ACT: Record<'linear' | 'relu', number> = { linear: 0, relu: 1 };

/** Conv2D or FusedConv2D (bias; linear or relu) through a direct kernel where `directForm` picks one, else the backend's own kernel. */
export function directForwardKernel(kernelName: 'Conv2D' | 'FusedConv2D'): KernelConfig {
  const config = tf.getKernel(kernelName, 'wasm')!;
  const original = config.kernelFunc;
  const direct = heapKernel<FusedConv2DAttrs & { g: Geometry; form: 'cout1' | 'narrow' }>(kernelName, ({ native, at, output }, { x, filter, bias }, { g, form, activation }) => {
    const y = output([g.batch, g.ho, g.wo, g.co]);
    const act = ACT[(activation ?? 'linear') as 'linear' | 'relu'];
    const b = bias ? at(bias) : 0;
    if (form === 'cout1') native.conv_forward_cout1(at(x), at(filter), g.batch, g.h, g.w, g.c, g.ho, g.wo, g.kh, g.kw, g.sh, g.sw, g.top, g.left, b, act, at(y));
    else native.conv_forward_narrow(at(x), at(filter), g.batch, g.h, g.w, g.c, g.ho, g.wo, g.co, g.kh, g.kw, g.sh, g.sw, g.top, g.left, b, act, at(y));
    return y;
  }).kernelFunc;
  return {
    ...config, // keeps setupFunc, which binds the wasm function the fallback uses
    kernelFunc: (args) => {
      const { x, filter, bias, preluActivationWeights } = args.inputs as { x: TensorInfo; filter: TensorInfo; bias?: TensorInfo; preluActivationWeights?: TensorInfo };
      const attrs = args.attrs as unknown as FusedConv2DAttrs;
      const activation = attrs.activation ?? 'linear';
      const g = x.dtype === 'float32' && !preluActivationWeights && (activation === 'linear' || activation === 'relu') ? geometry(x.shape as Shape4, filter.shape as Shape4, attrs) : null;
      const form = g && (!bias || tf.util.sizeFromShape(bias.shape) === g.co) ? directForm(g.c, g.co) : null;
      if (!g || !form) return original(args);
      return direct({ ...args, attrs: { ...attrs, g, form } as never });
    },
  };
}

/** Conv2DBackpropInput through the direct scatter where `directInputGrad` says so, else `fallback`. */
export function directInputGradKernel(fallback: KernelFunc): KernelConfig {
  const direct = heapKernel<{ g: Geometry }>('Conv2DBackpropInput', ({ heap, native, at, output }, { dy, filter }, { g }) => {
    const dx = output([g.batch, g.h, g.w, g.c]);
    const wt = output([g.kh, g.kw, g.co, g.c]);
    try {
      // Each tap's C × Co block transposed, so the scatter reads C weights in a row for each dy channel.
      const [w, t, block] = [at(filter), at(wt), g.c * g.co * 4];
      for (let tap = 0; tap < g.kh * g.kw; tap++) native.transpose(w + tap * block, g.c, g.co, t + tap * block);
      native.conv_input_grad(at(dy), t, g.batch, g.h, g.w, g.c, g.ho, g.wo, g.co, g.kh, g.kw, g.sh, g.sw, g.top, g.left, at(dx));
    } finally {
      heap.disposeData(wt.dataId);
    }
    return dx;
  }).kernelFunc;
  return {
    kernelName: 'Conv2DBackpropInput',
    backendName: 'wasm',
    kernelFunc: (args) => {
      const { dy, filter } = args.inputs as { dy: TensorInfo; filter: TensorInfo };
      const attrs = args.attrs as unknown as Conv2DBackpropInputAttrs;
      const g = dy.dtype === 'float32' ? geometry(attrs.inputShape as Shape4, filter.shape as Shape4, attrs) : null;
      if (!g || !directInputGrad(g) || g.ho !== dy.shape[1] || g.wo !== dy.shape[2]) return fallback(args);
      return direct({ ...args, attrs: { g } as never });
    },
  };
}

/** Conv2DBackpropFilter's direct kernels, or false where `directForm` picks none (conv-filter-grad.ts then runs its GEMMs). */
export function directFilterGrad({ native, at }: HeapContext, x: TensorInfo, dy: TensorInfo, attrs: Conv2DBackpropFilterAttrs, dw: TensorInfo): boolean {
  const g = geometry(x.shape as Shape4, attrs.filterShape as Shape4, attrs);
  const form = g ? directForm(g.c, g.co) : null;
  if (!g || !form) return false;
  if (form === 'cout1') native.conv_filter_grad_cout1(at(x), at(dy), g.batch, g.h, g.w, g.c, g.ho, g.wo, g.kh, g.kw, g.sh, g.sw, g.top, g.left, at(dw));
  else native.conv_filter_grad_narrow(at(x), at(dy), g.batch, g.h, g.w, g.c, g.ho, g.wo, g.co, g.kh, g.kw, g.sh, g.sw, g.top, g.left, at(dw));
  return true;
}
