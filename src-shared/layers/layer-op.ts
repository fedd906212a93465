/**
 * What one layer operation must say about itself. Each op's file in ./ops
 * declares its parameters (a zod object the ModelSpec's `LayerOp` union is made
 * of) and its {@link LayerOpDef}, registered in `LAYER_OPS` (./layer-ops.ts),
 * keyed by its `type`: the shape rule and parameter count the compiler uses,
 * the arithmetic the trainer's batch-split planner uses, what backprop keeps
 * for the memory estimate, and its line of the Keras script. The trainer keys
 * its TF.js construction and ONNX writer by the same union, so an op added to
 * the union fails to compile until every one of these exists.
 */
import { formatShape } from '../graph/types';
import type { Shape } from '../graph/types';
import type { LayerOp, LayerSpec } from '../compiler/model-spec';
import type { Activation } from '../catalog/params';
import { LEAKY_RELU_ALPHA } from './op-params';

/** The name of a layer operation: the key of every per-op table. */
export type LayerOpType = LayerOp['type'];
/** The parameters of the operation `T`. */
export type OpOf<T extends LayerOpType> = Extract<LayerOp, { type: T }>;
/** A compiled layer of operation `T` (its parameters, name and shapes). */
export type LayerOf<T extends LayerOpType> = Extract<LayerSpec, { type: T }>;

/** Outcome of applying one layer operation to an input shape. */
export type LayerInference =
  | { ok: true; outputShape: number[]; paramCount: number; warning?: string }
  | { ok: false; message: string; hint: string; /** For a merge: the input that disagrees with the first. */ inputIndex?: number };

/**
 * What an op is to the trainer and the exporters:
 * - `weighted`: a kernel and a bias (trainable; an L2 penalty can act on its kernel);
 * - `fixed`: a function without weights;
 * - `noise`: changes its input while training only; identity at inference and in every export;
 * - `penalty`: identity in the forward pass; adds a loss term from the activations it sees;
 * - `normalization`: trained scale and shift and moving statistics; uses the batch's statistics while
 *   training (the training graph calls it in training mode) and the moving ones at inference and in every export;
 * - `sampling`: a VAE's code from its heads μ ‖ log σ²: drawn (μ + σ·ε) while training, μ at inference and in
 *   every export; adds β·KL(q(z|x) ‖ N(0, I)) to the loss (ops/variational.ts).
 */
export type LayerRole = 'weighted' | 'fixed' | 'noise' | 'penalty' | 'normalization' | 'sampling';

/** How the Keras script builds a layer: the class, and its arguments before `name=…`. */
export interface KerasLayer<T extends LayerOpType> {
  /** The Python class, e.g. `layers.Dense`, or one the op's `kerasPrelude` defines. */
  cls: string;
  /** Arguments before `name=…` (may be empty); `regularizers` is the `, kernel_regularizer=…` text a weighted layer takes. */
  args(layer: LayerOf<T>, regularizers: string): string;
}

/** An op the Keras script expresses as an argument of the layer before it (Keras' activity_regularizer). */
export interface KerasArgument<T extends LayerOpType> {
  /** The keyword argument, e.g. `activity_regularizer=…`; null when the layer has nothing to add. */
  argumentOfPrevious(layer: LayerOf<T>): string | null;
}

/** One layer operation's definition (see the file comment). */
export interface LayerOpDef<T extends LayerOpType> {
  role: LayerRole;
  /** True for a merge: it takes two or more inputs (every other op takes one). */
  takesMany?: true;
  /** An instance of the op and an input it applies to: the tests build a one-layer model of each op from it. */
  example: { op: OpOf<T>; input: Shape }; // a merge's example merges `input` with itself
  /** Output shape and trainable parameter count of the op on `input` (a merge: on all of `inputs`), or why it cannot apply. */
  infer(op: OpOf<T>, input: Shape, inputs: readonly Shape[]): LayerInference;
  /** Values of its largest weight tensor (the kernel): its parameters less its bias; 0 without weights. */
  kernelValues(layer: LayerOf<T>): number;
  /** Multiply-adds of one sample's forward pass (what the batch-split planner weighs). */
  forwardMacs(layer: LayerOf<T>): number;
  /** Why its training step needs the whole batch at once (a statistic over the batch), or null: then the batch-split planner may split it. */
  wholeBatchReason(layer: LayerOf<T>): string | null;
  /** Values it keeps per value of its output during one training step, for backprop (the memory estimate). */
  keptPerOutput(layer: LayerOf<T>): number;
  /** Its Keras layer, or the argument it adds to the layer before it. */
  keras: KerasLayer<T> | KerasArgument<T>;
  /** Python the script defines before building the model for this op's Keras line (a custom layer or regularizer class). */
  kerasPrelude?: string;
}

/** A refusal with what went wrong and what to try. */
export const fail = (message: string, hint: string): LayerInference => ({ ok: false, message, hint });

/** The refusal for an op that needs an image (height×width×channels), or null when `input` is one. */
export function needsImage(type: LayerOpType, input: Shape): LayerInference | null {
  if (input.length === 3) return null;
  return fail(`${type} needs an image input (height×width×channels) but gets ${formatShape(input)}`, 'Put it after an image-shaped layer, or let the compiler reshape by mirroring an encoder.');
}

/** A value as Python source. */
export const py = (v: number | string | boolean): string => (typeof v === 'string' ? `'${v}'` : typeof v === 'boolean' ? (v ? 'True' : 'False') : String(v));
/** A tuple as Python source (one element keeps its trailing comma). */
export const pyTuple = (xs: readonly number[]): string => `(${xs.join(', ')}${xs.length === 1 ? ',' : ''})`;

/** The slope leakyRelu uses on a layer: its own `alpha`, or the default. */
export const leakyAlpha = (l: { alpha?: number }): number => l.alpha ?? LEAKY_RELU_ALPHA;

/** Keras 3's name of each activation; leakyRelu is a function of its slope (Keras' string would take its own default, 0.2). */
const KERAS_ACTIVATION: Record<Activation, string> = {
  linear: 'linear', relu: 'relu', leakyRelu: 'leaky_relu', elu: 'elu', selu: 'selu', gelu: 'gelu', tanh: 'tanh', sigmoid: 'sigmoid', softplus: 'softplus', swish: 'swish',
};

/** A layer's activation as the Python value of Keras' `activation=` (gelu is exact there, as in TF.js). */
export function pyActivation(l: { activation: Activation; alpha?: number }): string {
  if (l.activation === 'leakyRelu') return `lambda x: keras.activations.leaky_relu(x, negative_slope=${leakyAlpha(l)})`;
  return py(KERAS_ACTIVATION[l.activation]);
}

/** The values of an activation's output and its input, when it has one: what a layer with `activation` keeps. */
export const withActivation = (l: { activation: string }): number => (l.activation !== 'linear' ? 2 : 1);
