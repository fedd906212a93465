/** Parameter schemas several kinds share, so their ranges and help read the same everywhere. */
import type { z } from 'zod';
import type { LayerOp } from '../../compiler/model-spec';
import { ACTIVATIONS } from '../params';
import type { Activation } from '../params';
import type { EnumParam, FloatParam, IntParam } from '../params';
import { LEAKY_RELU_ALPHA, zInterpolation, zPadding } from '../../layers/op-params';

/** The activation of a layer. */
export function activationParam(defaultValue: string, visibleWhen?: EnumParam['visibleWhen']): EnumParam {
  return { type: 'enum', label: 'Activation', help: 'Non-linearity applied to the layer output.', default: defaultValue, options: ACTIVATIONS, visibleWhen };
}

/** leakyRelu's negative slope, shown while the activation is leakyRelu. */
export const alphaParam: FloatParam = { type: 'float', label: 'Leaky ReLU α', help: `Slope below zero: f(x) = αx for x < 0 (${LEAKY_RELU_ALPHA} as TF.js; Keras 3 defaults to 0.2).`, default: LEAKY_RELU_ALPHA, min: 0, max: 1, visibleWhen: { param: 'activation', oneOf: ['leakyRelu'] } };

/** A layer's activation fields from its node's parameters: the function, and the slope only where it is leakyRelu. */
export function activationOf(p: { activation: string; alpha: number }): { activation: Activation; alpha?: number } {
  const activation = asActivation(p.activation);
  return activation === 'leakyRelu' ? { activation, alpha: p.alpha } : { activation };
}

/** Units of a dense layer. */
export function unitsParam(defaultValue: number, help: string, visibleWhen?: IntParam['visibleWhen']): IntParam {
  return { type: 'int', label: 'Units', help, default: defaultValue, min: 1, max: 65536, visibleWhen };
}

/** Number of filters (output channels) of a convolution. */
export function filtersParam(defaultValue: number, visibleWhen: IntParam['visibleWhen']): IntParam {
  return { type: 'int', label: 'Filters', help: 'Output channels of the convolution.', default: defaultValue, min: 1, max: 4096, visibleWhen };
}

/** Square kernel size of a convolution. */
export function kernelParam(visibleWhen: IntParam['visibleWhen']): IntParam {
  return { type: 'int', label: 'Kernel', help: 'Side of the square convolution kernel.', default: 3, min: 1, max: 15, visibleWhen };
}

/** Padding of a convolution. */
export function paddingParam(visibleWhen: EnumParam['visibleWhen']): EnumParam {
  return { type: 'enum', label: 'Padding', help: '"same" keeps the size (÷ stride); "valid" shrinks it by kernel − 1.', default: 'same', options: ['same', 'valid'], visibleWhen };
}

/** Padding of the max-pooling after a convolution (shown while it pools). */
export function poolPaddingParam(visibleWhen: EnumParam['visibleWhen']): EnumParam {
  return { type: 'enum', label: 'Pool padding', help: '"valid" drops a last partial row/column (7 → 3 by 2); "same" keeps it, rounding up (7 → 4).', default: 'valid', options: zPadding.options, visibleWhen };
}

/** Upsampling interpolation; `label` names it beside the kind's other fields. */
export function interpolationParam(visibleWhen?: EnumParam['visibleWhen'], label = 'Interpolation'): EnumParam {
  return { type: 'enum', label, help: 'nearest copies each value; bilinear blends neighbours (sampled at pixel centres, as Keras).', default: 'nearest', options: zInterpolation.options, visibleWhen };
}

/** Max or average pooling after a convolution. */
export function poolModeParam(visibleWhen: EnumParam['visibleWhen']): EnumParam {
  return { type: 'enum', label: 'Pool mode', help: 'max keeps the largest value of each window; average its mean.', default: 'max', options: ['max', 'average'], visibleWhen };
}

/** The pooling op from a kind's pool, poolMode and poolPadding (a convolution's pooling, or the pooling node's); null when pool is 1. */
export function poolingAfterConv(p: { pool: number; poolMode: string; poolPadding: string }): LayerOp | null {
  if (p.pool <= 1) return null;
  return { type: p.poolMode === 'average' ? 'averagePooling2d' : 'maxPooling2d', poolSize: p.pool, padding: asPadding(p.poolPadding) };
}

/** The interpolations as the layer ops type them. */
export function asInterpolation(value: string): z.infer<typeof zInterpolation> {
  return value === 'bilinear' ? 'bilinear' : 'nearest';
}

/** The paddings as the layer ops type them. */
export function asPadding(value: string): 'same' | 'valid' {
  return value === 'valid' ? 'valid' : 'same';
}

/** A parameter value the schema has already restricted to the activation names. */
export function asActivation(value: string): Activation {
  return (ACTIVATIONS as readonly string[]).includes(value) ? (value as Activation) : 'linear';
}
