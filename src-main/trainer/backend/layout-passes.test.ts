/**
 * The single-pass layout functions against the TF.js ops they replace (cpu
 * backend), including crops from negative offsets, and the wasm Sum kernel
 * that uses one of them against the cpu backend's Sum for every axis mix.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { chooseBackend } from './choose-backend';
import { dilateAndPad, transposeLastTwo } from './layout-passes';

const values = (n: number, seed: number) => Float32Array.from({ length: n }, (_, i) => Math.sin(i * 12.9898 + seed) * 43758.5453 % 1);

describe('layout passes', () => {
  beforeAll(async () => {
    await chooseBackend('cpu');
  });

  it.each([
    ['stride 2, padded', [2, 3, 4, 3], [2, 2], { top: 1, left: 1 }, [7, 9]],
    ['stride 1, no offset (a copy)', [1, 4, 4, 2], [1, 1], { top: 0, left: 0 }, [4, 4]],
    ['stride 3×2, cropped by negative offsets and a short output', [2, 4, 5, 1], [3, 2], { top: -1, left: -2 }, [8, 6]],
  ] as const)('dilateAndPad (%s) puts dy[b,y,x,c] at [b, top + y·sh, left + x·sw, c] and zeros elsewhere', (_name, shape, stride, offset, out) => {
    const [b, h, w, c] = shape;
    const src = values(b * h * w * c, 2);
    const expected = new Float32Array(b * out[0] * out[1] * c);
    for (let n = 0; n < b; n++) for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) for (let k = 0; k < c; k++) {
      const oy = offset.top + y * stride[0];
      const ox = offset.left + x * stride[1];
      if (oy >= 0 && oy < out[0] && ox >= 0 && ox < out[1]) expected[((n * out[0] + oy) * out[1] + ox) * c + k] = src[((n * h + y) * w + x) * c + k];
    }
    const dst = new Float32Array(expected.length);
    dilateAndPad(src, shape, stride, offset, out, dst);
    expect(Array.from(dst)).toEqual(Array.from(expected));
  });

  it.each([
    [[128, 784]],
    [[3, 33, 65]], // tiles that do not divide the sizes
    [[2, 1, 5]],
  ])('transposeLastTwo %j equals tf.transpose of the last two axes', (shape) => {
    const src = values(shape.reduce((a, b) => a * b, 1), 4);
    const perm = shape.map((_, i) => i);
    [perm[perm.length - 2], perm[perm.length - 1]] = [perm[perm.length - 1], perm[perm.length - 2]];
    const expected = tf.tensor(src, shape).transpose(perm);
    const [rows, cols] = shape.slice(-2);
    const dst = new Float32Array(src.length);
    transposeLastTwo(src, shape.length > 2 ? shape[0] : 1, rows, cols, dst);
    expect(Array.from(dst)).toEqual(Array.from(expected.dataSync()));
  });
});

describe('wasm Sum over leading axes', () => {
  it.each([
    [[4, 5, 6, 3], [0, 1, 2], false],
    [[4, 5, 6, 3], [0, 1, 2], true],
    [[128, 10], [0], false],
    [[128, 67], [0], false], // a dense bias gradient: SIMD over 8 columns, then the rest one by one
    [[2000, 9], [0], false], // more than 1024 rows: the float64 pass
    [[3, 4, 5], [0, 1], false],
    [[3, 4, 5], [1], false], // not leading: the backend's own kernel
    [[3, 4, 5], [0, 2], true], // not leading
    [[3, 4, 5], [0, 1, 2], false], // every axis: the backend's own kernel
  ] as const)('shape %j, axes %j, keepDims %s: equals the cpu backend', async (shape, axes, keepDims) => {
    const src = values(shape.reduce((a, b) => a * b, 1), 3);
    const sumOn = async (backend: 'wasm' | 'cpu') => {
      await chooseBackend(backend);
      const r = tf.tidy(() => tf.tensor(src, [...shape]).sum([...axes], keepDims));
      const out = { shape: r.shape, values: Array.from(r.dataSync()) };
      r.dispose();
      return out;
    };
    const wasm = await sumOn('wasm');
    const cpu = await sumOn('cpu');
    expect(wasm.shape).toEqual(cpu.shape);
    wasm.values.forEach((v, i) => expect(v).toBeCloseTo(cpu.values[i], 4));
  });

  it('sums a long column in float64 (1,000,000 values of 0.1 do not drift)', async () => {
    await chooseBackend('wasm');
    const r = tf.tidy(() => tf.fill([1_000_000, 2], 0.1).sum(0));
    const [a, b] = Array.from(r.dataSync());
    r.dispose();
    // float32(0.1) summed exactly is 100000.0015; a float32 running sum ends near 100958 instead.
    expect(Math.abs(a - 100000.0015)).toBeLessThan(0.01);
    expect(b).toBe(a);
  });

  it('leaves int32 sums to the backend and its own result stands', async () => {
    await chooseBackend('wasm');
    const r = tf.tensor2d([[1, 2], [3, 4], [5, 6]], [3, 2], 'int32').sum(0);
    expect(r.dtype).toBe('int32');
    expect(Array.from(r.dataSync())).toEqual([9, 12]);
  });
});
