/**
 * Seeded pseudo-randomness for everything that must repeat exactly with the
 * same seed: dataset splits, shuffles, noise seeds. mulberry32: tiny, fast,
 * and good enough for shuffling (not for cryptography).
 */

/** A generator of floats in [0, 1), deterministic for a given seed. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A random permutation of 0..n-1 (Fisher–Yates) drawn from `rand`. */
export function permutation(n: number, rand: () => number): Int32Array {
  const p = new Int32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    const t = p[i];
    p[i] = p[j];
    p[j] = t;
  }
  return p;
}

/** Splits 0..count-1 into shuffled train and validation indices; the same seed always gives the same split. */
export function splitIndices(count: number, validationFraction: number, seed: number, maxSamples?: number): { train: Int32Array; val: Int32Array } {
  const order = permutation(count, mulberry32(seed ^ 0x5eed5eed));
  const used = maxSamples !== undefined ? order.subarray(0, Math.min(maxSamples, count)) : order;
  const valCount = Math.round(used.length * validationFraction);
  return { train: used.slice(valCount), val: used.slice(0, valCount) };
}
