/** k-nearest-neighbour classification: how useful a representation is, measured without training anything. */
import * as tf from '@tensorflow/tfjs';
import { NonFiniteError, firstNonFinite } from './finite';

const CHUNK = 256;

/**
 * Accuracy of labelling each test point by majority vote of its `k` nearest
 * training points (Euclidean; a tie goes to the nearest of the tied labels).
 * Distances are computed on the backend as |a|² − 2a·b + |b|².
 */
export function knnAccuracy(train: Float32Array, trainLabels: Int32Array, test: Float32Array, testLabels: Int32Array, dim: number, k = 5): number {
  const nTrain = trainLabels.length;
  const nTest = testLabels.length;
  if (nTrain === 0 || nTest === 0) return NaN;
  const kk = Math.min(k, nTrain);
  const ref = tf.tensor2d(train, [nTrain, dim]);
  const refNorms = tf.tidy(() => tf.sum(tf.square(ref), 1));
  let correct = 0;
  try {
    // Distances from overflowing squares would rank neighbours arbitrarily: refuse instead of scoring nonsense.
    const testNorms = tf.tidy(() => tf.sum(tf.square(tf.tensor2d(test, [nTest, dim])), 1));
    const overflow = firstNonFinite(refNorms.dataSync()) >= 0 || firstNonFinite(testNorms.dataSync()) >= 0;
    testNorms.dispose();
    if (overflow) throw new NonFiniteError('The k-NN distances are not finite (the points hold NaN, or values too large for float32)');
    for (let start = 0; start < nTest; start += CHUNK) {
      const n = Math.min(CHUNK, nTest - start);
      const nearest = tf.tidy(() => {
        const q = tf.tensor2d(test.subarray(start * dim, (start + n) * dim), [n, dim]);
        const d = tf.add(tf.sub(tf.sum(tf.square(q), 1, true), tf.mul(2, tf.matMul(q, ref, false, true))), refNorms);
        return tf.topk(tf.neg(d), kk).indices;
      });
      const idx = nearest.dataSync();
      nearest.dispose();
      for (let i = 0; i < n; i++) {
        const votes = new Map<number, number>();
        let best = trainLabels[idx[i * kk]];
        for (let j = 0; j < kk; j++) {
          const l = trainLabels[idx[i * kk + j]];
          votes.set(l, (votes.get(l) ?? 0) + 1);
          // neighbours come nearest first, so a later label only wins with strictly more votes
          if (votes.get(l)! > votes.get(best)!) best = l;
        }
        if (best === testLabels[start + i]) correct++;
      }
    }
  } finally {
    tf.dispose([ref, refNorms]);
  }
  return correct / nTest;
}
