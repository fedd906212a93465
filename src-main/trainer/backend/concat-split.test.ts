/**
 * The native Concat and SplitV on wasm against the cpu backend, exactly:
 * along the first, a middle and the last axis (negative too), three inputs,
 * an empty input among them, uneven split sizes with −1, a split into equal
 * parts, and a concatenation's gradient (a split); the native path really
 * runs (the kernels take microseconds where the backend's took milliseconds
 * is not asserted: a count of kernels is).
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { chooseBackend } from './choose-backend';

beforeAll(async () => {
  await chooseBackend('wasm');
});

/** `f` on wasm and on cpu, each output as a plain array with its shape. */
async function onBoth(f: () => tf.Tensor | tf.Tensor[]): Promise<{ wasm: { shape: number[]; values: number[] }[]; cpu: { shape: number[]; values: number[] }[] }> {
  const run = () => tf.tidy(() => [f()].flat().map((t) => ({ shape: t.shape, values: Array.from(t.dataSync()) })));
  await tf.setBackend('cpu');
  const cpu = run();
  await tf.setBackend('wasm');
  return { wasm: run(), cpu };
}

const data = (shape: number[], seed: number) => tf.randomUniform(shape, -1, 1, 'float32', seed);

describe('native concatenation and split (wasm)', () => {
  it.each([
    ['the last axis, 8 + 8 channels', [[2, 5, 3, 8], [2, 5, 3, 8]], 3],
    ['the last axis as −1, three inputs of 1, 5 and 2 channels', [[2, 4, 3, 1], [2, 4, 3, 5], [2, 4, 3, 2]], -1],
    ['a middle axis', [[2, 3, 4], [2, 1, 4], [2, 2, 4]], 1],
    ['the first axis', [[1, 6], [3, 6]], 0],
    ['an empty input among them', [[2, 0, 3], [2, 2, 3], [2, 1, 3]], 1],
  ] as const)('concat along %s equals cpu exactly', async (_name, shapes, axis) => {
    const { wasm, cpu } = await onBoth(() => tf.concat(shapes.map((s, i) => data([...s], 10 + i)), axis));
    expect(wasm).toEqual(cpu);
    expect(wasm[0].shape[axis < 0 ? shapes[0].length + axis : axis]).toBe(shapes.reduce((a, s) => a + s[axis < 0 ? s.length + axis : axis], 0));
  });

  it.each([
    ['uneven sizes with −1 along the last axis', [2, 3, 4, 9], [2, -1, 3], 3],
    ['three equal parts along a middle axis', [2, 6, 5], 3, 1],
    ['sizes along the first axis, one of them 0', [5, 4], [2, 0, 3], 0],
  ] as const)('split into %s equals cpu exactly', async (_name, shape, splits, axis) => {
    const { wasm, cpu } = await onBoth(() => tf.split(data([...shape], 20), typeof splits === 'number' ? splits : [...splits], axis));
    expect(wasm).toEqual(cpu);
    expect(wasm.length).toBe(typeof splits === 'number' ? splits : splits.length);
  });

  it('a concatenation\'s gradient (a split of dy) equals cpu, through the native kernels', async () => {
    const f = () => {
      const [a, b] = [data([3, 4, 4, 8], 30), data([3, 4, 4, 4], 31)];
      const r = data([3, 4, 4, 12], 32);
      return tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.mul(tf.concat([x, y], 3), r)))([a, b]);
    };
    const { wasm, cpu } = await onBoth(f);
    expect(wasm).toEqual(cpu);
    const profile = await tf.profile(() => tf.tidy(() => f()[0]));
    const names = profile.kernels.map((k) => k.name);
    expect(names).toContain('Concat');
    expect(names).toContain('SplitV');
    expect(names).not.toContain('Slice'); // the backend's SplitV slices each part
  });
});
