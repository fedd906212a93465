/**
 * A learning rate set between steps is the one the optimizer steps with, on
 * every optimizer a run can have: an optimizer made with one rate and set to
 * another steps exactly as one made with the other, and a rate changed
 * midway changes the steps after it (on wasm, where Adam is the fused kernel).
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_TRAINING_SETTINGS } from '../../../src-shared/project/training-settings';
import { chooseBackend } from '../backend/choose-backend';
import { FusedAdamOptimizer } from '../backend/fused-adam';
import { learningRateOf, makeOptimizer, setLearningRate } from './optimizer';

beforeAll(async () => {
  await chooseBackend('wasm');
});

const KINDS = {
  'adam (fused, wasm)': () => makeOptimizer({ ...DEFAULT_TRAINING_SETTINGS, optimizer: 'adam' }),
  'adam (TF.js)': () => tf.train.adam(0.001, 0.9, 0.999, 1e-7),
  sgd: () => makeOptimizer({ ...DEFAULT_TRAINING_SETTINGS, optimizer: 'sgd', momentum: 0 }),
  'sgd with momentum': () => makeOptimizer({ ...DEFAULT_TRAINING_SETTINGS, optimizer: 'sgd', momentum: 0.9 }),
  rmsprop: () => makeOptimizer({ ...DEFAULT_TRAINING_SETTINGS, optimizer: 'rmsprop' }),
};

/** The optimizer of that name made with `rate` from the start. */
function bornWith(name: string, rate: number): tf.Optimizer {
  if (name === 'adam (fused, wasm)') return new FusedAdamOptimizer(rate, 0.9, 0.999, 1e-7);
  if (name === 'adam (TF.js)') return tf.train.adam(rate, 0.9, 0.999, 1e-7);
  if (name === 'sgd') return tf.train.sgd(rate);
  if (name === 'sgd with momentum') return tf.train.momentum(rate, 0.9);
  return tf.train.rmsprop(rate, 0.9, 0, 1e-7);
}

/** Steps a quadratic in one 4×3 variable: at rates[i] for step i (null: leave the rate as it is). Returns the weights after each step. */
function steps(optimizer: tf.Optimizer, rates: (number | null)[]): Float32Array[] {
  const w = tf.variable(tf.tensor2d([0.5, -1, 2, 0.1, -0.3, 1.5, 0.7, -2, 0.2, 1, -0.6, 0.9], [4, 3]));
  const target = tf.tensor2d([1, 1, 1, 0, 0, 0, -1, -1, -1, 2, 2, 2], [4, 3]);
  const out: Float32Array[] = [];
  for (const rate of rates) {
    if (rate !== null) setLearningRate(optimizer, rate);
    optimizer.minimize(() => tf.sum(tf.square(tf.sub(w, target))) as tf.Scalar);
    out.push(Float32Array.from(w.dataSync())); // a copy: wasm's dataSync may be a view of its heap
  }
  tf.dispose([w, target]);
  optimizer.dispose();
  return out;
}

describe('the learning rate a schedule sets is the one each optimizer uses', () => {
  it('wasm makes the fused Adam (so its setter is the one tested)', () => {
    expect(KINDS['adam (fused, wasm)']().constructor).toBe(FusedAdamOptimizer); // not toBeInstanceOf: TF.js answers instanceof by duck typing
  });

  for (const [name, make] of Object.entries(KINDS)) {
    it(`${name}: set to a rate, it steps as one made with that rate; a change midway changes the later steps`, () => {
      const made = make();
      expect(learningRateOf(made)).toBe(0.001);
      made.dispose();
      // Made with 0.001 and set to 0.01 before every step, against one made with 0.01 and never set.
      const set = steps(make(), [0.01, 0.01, 0.01]);
      const born = steps(bornWith(name, 0.01), [null, null, null]);
      set.forEach((w, i) => expect(Array.from(w)).toEqual(Array.from(born[i])));
      const constant = steps(make(), [0.01, 0.01, 0.01, 0.01]);
      // Halved after two steps: the first two steps are the same, the rest smaller.
      const halved = steps(make(), [0.01, 0.01, 0.005, 0.005]);
      expect(Array.from(halved[1])).toEqual(Array.from(constant[1]));
      const moved = (a: Float32Array, b: Float32Array) => Math.max(...a.map((v, i) => Math.abs(v - b[i])));
      expect(moved(halved[2], halved[1])).toBeLessThan(moved(constant[2], constant[1]) * 0.75);
      expect(moved(halved[2], halved[1])).toBeGreaterThan(0);
    });
  }
});
