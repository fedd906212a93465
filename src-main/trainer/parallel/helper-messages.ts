/**
 * Messages between the trainer thread and its gradient helper threads. Bulk
 * data (each helper's rows of a step, the weights, the gradients) lives in
 * SharedArrayBuffers both sides hold; messages carry only what changes per
 * step. A thread boundary inside one process, so plain types suffice.
 */
import type { ModelSpec } from '../../../src-shared/compiler/model-spec';
import type { BackendName } from '../../../src-shared/protocol/trainer-messages';

/** Trainer → helper. */
export type HelperCommand =
  | {
      type: 'init';
      spec: ModelSpec;
      /** Seeds the helper's noise layers (its weights come from `weights` every step). */
      seed: number;
      backend: BackendName;
      /** This helper's rows of a step, up to a batch of samples of spec.inputShape (float32); written by the trainer before each step. */
      rows: SharedArrayBuffer;
      /** Every trainable variable, concatenated in {@link trainableVariables} order; written by the trainer before each step. */
      weights: SharedArrayBuffer;
      /** This helper's gradients, same layout; written by the helper. */
      grads: SharedArrayBuffer;
    }
  /** Compute the gradients of the first `rows` samples of the rows buffer. */
  | { type: 'step'; rows: number }
  /** Collect garbage now (where the process runs with --expose-gc), so a memory reading counts only what is held. */
  | { type: 'collect' };

/** Helper → trainer. */
export type HelperEvent =
  | { type: 'ready' }
  /** Gradients are in the grads buffer; `terms` are the loss terms of this part of the batch. */
  | { type: 'stepped'; terms: number[] }
  /** Garbage collected; `tensors` is the helper's live tensor count (so leaks in a helper show in the trainer's memory report). */
  | { type: 'collected'; tensors: number }
  | { type: 'failed'; message: string };
