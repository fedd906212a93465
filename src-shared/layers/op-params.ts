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
