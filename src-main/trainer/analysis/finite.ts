/**
 * The one check that a model's numbers are real numbers, for every analysis
 * and for evaluate: a run whose weights hold NaN, or are so large that
 * float32 overflows, would otherwise reach ml-matrix (a raw TypeError), the
 * scores (null or NaN, which the protocol refuses) or the files written.
 */

/** What to try when a model computes NaN or ±Infinity. */
export const NON_FINITE_HINT = "The run's weights are broken or diverged (NaN, or values so large that float32 overflows); train again, with a lower learning rate if the loss grew.";

/** A model computed NaN or ±Infinity: what, for which sample, and what to try. */
export class NonFiniteError extends Error {
  constructor(
    message: string,
    /** What to try. */
    readonly hint: string = NON_FINITE_HINT,
  ) {
    super(message);
    this.name = 'NonFiniteError';
  }
}

/** What a set of values is, for the message: "The model's code" for "sample" 12. */
export interface Described {
  /** One row of values as a person would name it, e.g. "The model's code". */
  what: string;
  /** What one row of `size` values belongs to, e.g. "sample" or "code". */
  unit: string;
}

/** The index of the first NaN or ±Infinity in `values`, or -1. */
export function firstNonFinite(values: ArrayLike<number>): number {
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v - v !== 0) return i; // NaN - NaN and Inf - Inf are NaN; every finite v gives 0
  }
  return -1;
}

/**
 * Throws a NonFiniteError naming the first row (of `size` values) that holds
 * NaN or ±Infinity; `indices` maps rows to the sample numbers a person knows
 * (the dataset's), when the rows were gathered from it.
 */
export function requireFinite(values: ArrayLike<number>, size: number, described: Described, indices?: ArrayLike<number>, hint?: string): void {
  const at = firstNonFinite(values);
  if (at < 0) return;
  const row = Math.floor(at / Math.max(1, size));
  const n = indices ? indices[row] : row;
  const kind = Number.isNaN(values[at]) ? 'NaN' : 'infinite';
  throw new NonFiniteError(`${described.what} for ${described.unit} ${n} is ${kind}${size > 1 ? ` (value ${at % size} of ${size})` : ''}`, hint);
}
