/**
 * Batch normalisation as the trainer runs it: the training graph (called as
 * the trainer calls it, with training: true) normalises with the batch's statistics and moves the
 * moving ones; the inference graph, which every export copies, uses the
 * moving statistics.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { specOfOps } from '../../../tests/helpers/layer-examples';
import { buildModel } from './build-model';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('batch normalisation', () => {
  it('trains on batch statistics, updating the moving ones, and infers with the moving ones', () => {
    const spec = specOfOps([3], [{ type: 'batchNormalization', momentum: 0.5, epsilon: 0.001 }]);
    const m = buildModel(spec, 1);
    const bn = m.inference.layers.find((l) => l.name === spec.layers[0].name)!;
    const x = tf.tensor2d([[1, 10, -4], [3, 30, -2]]); // per-feature means 2, 20, -3; variances 1, 100, 1

    // Training mode: each feature of the batch becomes (x − mean)/√(var + ε): ±1 up to ε.
    const trained = (m.train.apply(x, { training: true }) as tf.Tensor).arraySync() as number[][];
    for (const v of trained[0]) expect(v).toBeCloseTo(-1, 2);
    // The moving statistics moved halfway (momentum 0.5) from 0 and 1 towards the batch's.
    const [, , movingMean, movingVar] = bn.getWeights().map((w) => Array.from(w.dataSync()));
    expect(movingMean.map((v) => +v.toFixed(4))).toEqual([1, 10, -1.5]);
    expect(movingVar.map((v) => +v.toFixed(4))).toEqual([1, 50.5, 1]);

    // Inference: the moving statistics, not the batch's.
    const inferred = (m.inference.predict(x) as tf.Tensor).arraySync() as number[][];
    expect(inferred[0][1]).toBeCloseTo((10 - 10) / Math.sqrt(50.5 + 0.001), 5);
    expect(inferred[1][2]).toBeCloseTo((-2 + 1.5) / Math.sqrt(1 + 0.001), 5);
    x.dispose();
    m.train.dispose();
  });
});
