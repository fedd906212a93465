/**
 * Messages between the trainer thread and its gradient helper threads. Bulk
 * data (the training set, the weights, the gradients) lives in
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
      /** The training split, [count, ...inputShape] float32, shared by every helper (each reads the rows of its part). */
      data: SharedArrayBuffer;
      dataShape: number[];
      /** Every trainable variable, concatenated in {@link trainableVariables} order; written by the trainer before each step. */
      weights: SharedArrayBuffer;
      /** This helper's gradients, same layout; written by the helper. */
      grads: SharedArrayBuffer;
    }
  | { type: 'step'; indices: Int32Array }
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
