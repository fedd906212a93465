/** The zod pieces layer ops declare their parameters with (and the ModelSpec its shapes with). */
import { z } from 'zod';
import { ACTIVATIONS } from '../catalog/params';

/** An activation function by name. */
export const zActivation = z.enum(ACTIVATIONS);
/** A positive whole number: a size, a count, a stride. */
export const zDim = z.number().int().positive();
/** The shape of one sample: a vector (1 axis) or an image (height, width, channels). */
export const zShape = z.array(zDim).min(1).max(3);
/** Convolution padding, with Keras' meaning. */
export const zPadding = z.enum(['same', 'valid']);
/** Upsampling interpolation: nearest copies each value; bilinear blends neighbours at pixel centres. */
export const zInterpolation = z.enum(['nearest', 'bilinear']);
/**
 * The negative slope of leakyRelu, on a layer with an activation; absent means
 * {@link LEAKY_RELU_ALPHA}. Only leakyRelu reads it.
 */
export const zAlpha = z.number().min(0).max(1).optional();
/** leakyRelu's slope when a layer names none: TF.js's and Keras 2's default. */
export const LEAKY_RELU_ALPHA = 0.3;
