/**
 * A convolution layer's (or transposed convolution layer's) forward pass as
 * one kernel on wasm, with its own gradient: the counterpart of
 * fused-dense.ts for images. While recording gradients TF.js runs a relu
 * Conv2D layer as Conv2D, bias Add and Relu (it fuses only linear layers
 * then, and their fused gradient computes every input's, needed or not), and
 * a Conv2DTranspose layer always so. Here a convolution runs as the
 * backend's FusedConv2D (XNNPACK adds the bias and clamps in the same pass),
 * a transposed one as its Conv2DBackpropInput and one bias-and-relu pass;
 * backward one relu-mask pass, then the input gradient, the weight gradient
 * and the bias sum, each computed only if the tape needs it (the first
 * layer's input gradient never is).
 *
 * The layer stays a tf.layers.conv2d / conv2dTranspose (same weights, same
 * saved model); only its call is routed here, on wasm, for rank-4 float32
 * NHWC inputs without dilation, with a bias and a relu, linear or sigmoid
 * activation. Everything else runs TF.js's call.
 */
import * as tf from '@tensorflow/tfjs';
import type { Conv2DBackpropInputAttrs, GradConfig, KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import { directInputGradOf } from './conv-direct';
import { RELU_GRAD_KERNEL } from './fused-dense';
import { heapKernel } from './heap-kernel';

export const CONV_KERNEL = 'AestudioConv';
/** A relu layer's gradient and its bias's from one pass: outputs [dz, db]. */
export const RELU_BIAS_GRAD_KERNEL = 'AestudioReluBiasGrad';

/** The fused kernel's attributes: the layer's geometry, whether it is transposed (then its output shape) and whether a relu follows. */
export interface FusedConvAttrs {
  strides: [number, number];
  pad: 'same' | 'valid';
  relu: boolean;
  /** A transposed convolution's output shape [batch, H, W, filters]; null for a convolution. */
  transposedTo: [number, number, number, number] | null;
}

/** Runs the backend's kernel `name` (ours where kernel-fixes.ts replaced it) on its own tensors, outside the tape. */
function backendKernel(name: string): KernelFunc {
  const config = tf.getKernel(name, 'wasm');
  if (!config) throw new Error(`The wasm backend has no ${name} kernel, which the fused convolution runs.`);
  return config.kernelFunc;
}

/** y = act(conv(x, filter) + bias), or the transposed convolution's; x NHWC, filter [kh, kw, in, out] ([kh, kw, out, in] transposed). */
export function convKernel(): KernelConfig {
  return heapKernel<FusedConvAttrs>(CONV_KERNEL, (ctx, { x, filter, bias }, { strides, pad, relu, transposedTo }) => {
    const common = { strides, pad, dataFormat: 'NHWC', dilations: [1, 1], dimRoundingMode: undefined };
    if (!transposedTo) {
      // XNNPACK's convolution with bias and clamp (or our direct one-output-channel kernel): one pass.
      return backendKernel('FusedConv2D')({ inputs: { x, filter, bias }, backend: ctx.heap as never, attrs: { ...common, activation: relu ? 'relu' : 'linear' } as never }) as TensorInfo;
    }
    const attrs = { ...common, inputShape: transposedTo } as unknown as Conv2DBackpropInputAttrs;
    // Channels in fours: the gathering kernel adds the bias and clamps as it stores (one pass); else the backend's kernel, then one bias-and-relu pass.
    const direct = directInputGradOf(ctx, x, filter, attrs, bias, relu ? 'relu' : 'linear');
    if (direct) return direct;
    const raw = backendKernel('Conv2DBackpropInput')({ inputs: { dy: x, filter }, backend: ctx.heap as never, attrs: attrs as never }) as TensorInfo;
    try {
      const y = ctx.output(transposedTo);
      const channels = transposedTo[3];
      ctx.native.add_bias(ctx.at(raw), ctx.at(bias), tf.util.sizeFromShape(transposedTo) / channels, channels, relu ? 1 : 0, ctx.at(y));
      return y;
    } finally {
      ctx.heap.disposeData(raw.dataId);
    }
  });
}

/** dz = dy where y > 0, and db = dz summed over all but the last axis (channels a multiple of 4). */
export function reluBiasGradKernel(): KernelConfig {
  return heapKernel(RELU_BIAS_GRAD_KERNEL, ({ heap, native, at, output }, { y, dy }) => {
    const cols = y.shape[y.shape.length - 1];
    const dz = output(y.shape);
    const db = output([cols]);
    const acc = output([cols * 2]); // cols doubles
    try {
      native.relu_grad_bias(at(y), at(dy), tf.util.sizeFromShape(y.shape) / cols, cols, at(dz), at(db), at(acc));
    } finally {
      heap.disposeData(acc.dataId);
    }
    return [dz, db];
  });
}

/** The fused convolution's gradient: each input's thunk runs only if the tape asks for it. */
export function convGradient(): GradConfig {
  return {
    kernelName: CONV_KERNEL,
    inputsToSave: ['x', 'filter'],
    outputsToSave: [true],
    gradFunc: (dy, saved, attrs) => {
      const [x, filter, y] = saved as tf.Tensor4D[];
      const { strides, pad, relu, transposedTo } = attrs as unknown as FusedConvAttrs;
      // With a relu, its mask and the bias's sum in one pass where channels come in fours (the bias's thunk then hands over the sum).
      const [dz, db] = !relu
        ? [dy as tf.Tensor4D, null]
        : y.shape[3] % 4 === 0
          ? (tf.engine().runKernel(RELU_BIAS_GRAD_KERNEL, { y, dy: dy as tf.Tensor }) as [tf.Tensor4D, tf.Tensor1D])
          : [tf.engine().runKernel(RELU_GRAD_KERNEL, { y, dy: dy as tf.Tensor }) as tf.Tensor4D, null];
      const common = { strides, pad, dataFormat: 'NHWC', dimRoundingMode: undefined };
      const run = (name: string, inputs: Record<string, tf.Tensor>, extra: object) => tf.engine().runKernel(name, inputs, { ...common, ...extra } as never) as tf.Tensor;
      const bias = () => db ?? tf.sum(dz, [0, 1, 2]);
      if (!transposedTo) {
        return {
          x: () => run('Conv2DBackpropInput', { dy: dz, filter }, { inputShape: x.shape }),
          filter: () => run('Conv2DBackpropFilter', { x, dy: dz }, { filterShape: filter.shape }),
          bias,
        };
      }
      // The transposed convolution is Conv2DBackpropInput of x: its gradients are a convolution of dz and a weight gradient with the roles swapped.
      return {
        x: () => run('Conv2D', { x: dz, filter }, { dilations: [1, 1] }),
        filter: () => run('Conv2DBackpropFilter', { x: dz, dy: x }, { filterShape: filter.shape }),
        bias,
      };
    },
  };
}

/** The parts of tfjs-layers 4.22's Conv2D and Conv2DTranspose this reads. */
interface ConvInternals {
  kernel: { read(): tf.Tensor } | null;
  bias: { read(): tf.Tensor } | null;
  activation: { getClassName(): string } | null;
  strides: number[];
  padding: string;
  dataFormat: string;
  dilationRate?: number | number[];
  filters: number;
  kernelSize: number[];
  computeOutputShape(inputShape: number[]): number[];
}

const ROUTED = new Set(['relu', 'linear', 'sigmoid']);

/** Routes `layer`'s call (a tf.layers.conv2d or conv2dTranspose, say which) through the fused kernel where it applies; returns the same layer. */
export function withFusedConv(layer: tf.layers.Layer, transposed: boolean): tf.layers.Layer {
  const original = layer.call.bind(layer);
  layer.call = (inputs, kwargs) => {
    const c = layer as unknown as ConvInternals;
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    const activation = c.activation?.getClassName().toLowerCase() ?? 'linear';
    const dilation = c.dilationRate ?? 1;
    const applies =
      tf.getKernel(CONV_KERNEL, tf.getBackend()) !== undefined &&
      (!Array.isArray(inputs) || inputs.length === 1) &&
      x.rank === 4 &&
      x.dtype === 'float32' &&
      c.dataFormat === 'channelsLast' &&
      (c.padding === 'same' || c.padding === 'valid') &&
      [dilation].flat().every((d) => d === 1) &&
      c.kernel !== null &&
      c.bias !== null &&
      ROUTED.has(activation);
    if (!applies) return original(inputs, kwargs);
    return tf.tidy(() => {
      const attrs: FusedConvAttrs = {
        strides: [c.strides[0], c.strides[1]],
        pad: c.padding as 'same' | 'valid',
        relu: activation === 'relu',
        transposedTo: transposed ? ([x.shape[0], ...c.computeOutputShape(x.shape).slice(1)] as [number, number, number, number]) : null,
      };
      const y = tf.engine().runKernel(CONV_KERNEL, { x, filter: c.kernel!.read(), bias: c.bias!.read() }, attrs as never) as tf.Tensor;
      return activation === 'sigmoid' ? tf.sigmoid(y) : y;
    });
  };
  return layer;
}
