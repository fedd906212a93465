/**
 * The kernel replacements: wasm's convolution weight gradient against the
 * cpu backend's (every stride/padding/kernel mix the catalog can produce,
 * within 1e-5 relative), nearest upsampling on wasm equal to cpu, its gradient on both backends against a
 * plain-JS reference, and whole-model gradients across backends.
 */
import * as tf from '@tensorflow/tfjs';
import { maxRelDiff } from '../../../tests/helpers/compare';
import { beforeAll, describe, expect, it } from 'vitest';
import { compile } from '../../../src-shared/compiler/compile';
import { chainGraph } from '../../../tests/helpers/graphs';
import { buildModel } from '../model/build-model';
import { bceLoss } from '../model/penalties';
import { BACKENDS_UNDER_TEST, HAS_TFJS_NODE, HAS_WEBGPU } from '../../../tests/helpers/tfjs-node';
import { TF_NAME, chooseBackend } from './choose-backend';

/** TF.js's names of the backends checked against cpu (tfjs-node registers as 'tensorflow'). */
const CHECKED = BACKENDS_UNDER_TEST.map((b) => TF_NAME[b]);

type Shape4 = [number, number, number, number];

/** The output y and the gradients of sum(conv(x, w)·r) with respect to x and w, with fixed random inputs, on the current backend. */
function convGrads(kind: 'conv' | 'deconv', shapeX: Shape4, shapeW: Shape4, stride: number, pad: 'same' | 'valid', seed: number) {
  return tf.tidy(() => {
    const x = tf.randomUniform(shapeX, -1, 1, 'float32', seed) as tf.Tensor4D;
    const w = tf.randomUniform(shapeW, -1, 1, 'float32', seed + 1) as tf.Tensor4D;
    const f = (xt: tf.Tensor, wt: tf.Tensor) => {
      const [xx, ww] = [xt as tf.Tensor4D, wt as tf.Tensor4D];
      const y = kind === 'conv'
        ? tf.conv2d(xx, ww, stride, pad)
        : tf.conv2dTranspose(xx, ww, [shapeX[0], pad === 'same' ? shapeX[1] * stride : (shapeX[1] - 1) * stride + shapeW[0], pad === 'same' ? shapeX[2] * stride : (shapeX[2] - 1) * stride + shapeW[1], shapeW[2]], stride, pad);
      const r = tf.randomUniform(y.shape, -1, 1, 'float32', seed + 2);
      return tf.sum(tf.mul(y, r));
    };
    const [dx, dw] = tf.grads(f)([x, w]);
    const y = kind === 'conv' ? tf.conv2d(x, w, stride, pad) : null;
    return [dx.dataSync() as Float32Array, dw.dataSync() as Float32Array, (y ?? dx).dataSync() as Float32Array];
  });
}

const CASES: [string, 'conv' | 'deconv', Shape4, Shape4, number, 'same' | 'valid'][] = [
  ['3×3 stride 1 same', 'conv', [4, 28, 28, 1], [3, 3, 1, 16], 1, 'same'],
  ['3×3 stride 1 same, 16→8 channels', 'conv', [3, 14, 14, 16], [3, 3, 16, 8], 1, 'same'],
  ['3×3 stride 2 same', 'conv', [2, 14, 14, 4], [3, 3, 4, 6], 2, 'same'],
  ['3×3 stride 2 same, odd size', 'conv', [2, 7, 7, 3], [3, 3, 3, 5], 2, 'same'],
  ['5×5 stride 1 valid', 'conv', [2, 12, 12, 2], [5, 5, 2, 3], 1, 'valid'],
  ['4×4 stride 3 valid', 'conv', [2, 13, 11, 2], [4, 4, 2, 3], 3, 'valid'],
  ['1×1 stride 1', 'conv', [2, 6, 6, 4], [1, 1, 4, 2], 1, 'same'],
  ['transposed 3×3 stride 2 same', 'deconv', [2, 7, 7, 8], [3, 3, 8, 8], 2, 'same'],
  ['transposed 3×3 stride 2 valid', 'deconv', [2, 6, 6, 4], [3, 3, 2, 4], 2, 'valid'],
  // Batches the wasm weight gradient (conv-filter-grad.ts) splits into several groups of images, both GEMM orientations.
  ['3×3 stride 1 same, 16→1 channels, 24 images (24 groups)', 'conv', [24, 28, 28, 16], [3, 3, 16, 1], 1, 'same'],
  ['3×3 stride 1 same, 16→8 channels, 42 images (11 groups, the last short)', 'conv', [42, 14, 14, 16], [3, 3, 16, 8], 1, 'same'],
  // The direct kernels (conv-direct.ts): one output channel (SIMD along 16 + 4 input channels), few input
  // channels (SIMD along 16 + 4 or 12 output channels), input gradients gathered at strides 1 to 3.
  ['direct: 3×3 stride 1 same, 20→1 channels', 'conv', [3, 9, 11, 20], [3, 3, 20, 1], 1, 'same'],
  ['direct: 3×3 stride 2 valid, 4→1 channels, odd sizes', 'conv', [2, 9, 8, 4], [3, 3, 4, 1], 2, 'valid'],
  ['direct: 3×3 stride 2 same, 3→20 channels', 'conv', [2, 10, 9, 3], [3, 3, 3, 20], 2, 'same'],
  ['direct: 5×5 stride 1 valid, 1→12 channels', 'conv', [2, 8, 8, 1], [5, 5, 1, 12], 1, 'valid'],
  ['direct: 2×4 stride 1 same, 2→4 channels', 'conv', [1, 6, 7, 2], [2, 4, 2, 4], 1, 'same'],
  ['direct: transposed 3×3 stride 2 same, 8→16 channels', 'deconv', [2, 7, 7, 8], [3, 3, 16, 8], 2, 'same'],
  ['direct: transposed 3×3 stride 2 same, 1→12 channels, odd size', 'deconv', [2, 5, 6, 1], [3, 3, 12, 1], 2, 'same'],
  ['direct: transposed 4×4 stride 3 valid, 5→4 channels', 'deconv', [2, 4, 5, 5], [4, 4, 4, 5], 3, 'valid'],
  // Input gradients of 8 channels from an odd 5 (two sums per block, then one), of 16 + 4 from 7 (four sums by channel mod 4, then three).
  ['direct: 3×3 stride 1 same, 8→5 channels', 'conv', [2, 9, 8, 8], [3, 3, 8, 5], 1, 'same'],
  ['direct: 3×3 stride 2 valid, 20→7 channels', 'conv', [2, 11, 9, 20], [3, 3, 20, 7], 2, 'valid'],
  // Two to four output channels (an RGB output layer): forward and weight gradient through the "few outputs" kernels.
  ['direct: 3×3 stride 1 same, 16→3 channels', 'conv', [2, 9, 8, 16], [3, 3, 16, 3], 1, 'same'],
  ['direct: 3×3 stride 2 valid, 12→2 channels, odd sizes', 'conv', [3, 9, 8, 12], [3, 3, 12, 2], 2, 'valid'],
  ['direct: 5×5 stride 1 same, 4→4 channels', 'conv', [2, 7, 6, 4], [5, 5, 4, 4], 1, 'same'],
  // An output layer's input gradient: the composite (an XNNPACK convolution 1 → 16), not the direct kernel.
  ['transposed 3×3 stride 1 same, 1→16 channels', 'deconv', [3, 12, 12, 1], [3, 3, 16, 1], 1, 'same'],
];

describe('training kernels', () => {
  beforeAll(async () => {
    if (HAS_TFJS_NODE) await chooseBackend('node');
    if (HAS_WEBGPU) await chooseBackend('webgpu');
    await chooseBackend('wasm');
  });

  it('the wasm backend now lacks no kernel of the cpu backend but ones no catalog layer uses (complex numbers, FFT, ragged, strings, …)', () => {
    const wasm = new Set(tf.getKernelsForBackend('wasm').map((k) => k.kernelName));
    const missing = tf.getKernelsForBackend('cpu').map((k) => k.kernelName).filter((k) => !wasm.has(k)).sort();
    expect(missing).toEqual(['Complex', 'ComplexAbs', 'DepthwiseConv2dNativeBackpropFilter', 'DepthwiseConv2dNativeBackpropInput', 'Draw', 'Einsum', 'FFT', 'IFFT', 'Imag', 'RaggedGather', 'RaggedRange', 'RaggedTensorToTensor', 'Real', 'StaticRegexReplace', 'UnsortedSegmentSum']);
  });

  it.each(CASES)('%s: output, input and weight gradients within 1e-5 relative', async (_name, kind, sx, sw, stride, pad) => {
    await tf.setBackend('wasm');
    const [dxWasm, dwWasm, yWasm] = convGrads(kind, sx, sw, stride, pad, 7);
    await tf.setBackend('cpu');
    const [dxCpu, dwCpu, yCpu] = convGrads(kind, sx, sw, stride, pad, 7);
    expect(maxRelDiff(dwWasm, dwCpu)).toBeLessThan(1e-5);
    expect(maxRelDiff(dxWasm, dxCpu)).toBeLessThan(1e-5);
    expect(maxRelDiff(yWasm, yCpu)).toBeLessThan(1e-5);
  });

  it.each([
    ['one output channel', [2, 9, 7, 8], [3, 3, 8, 1], 1, 'same', 'relu'],
    ['one output channel, linear', [2, 9, 7, 8], [3, 3, 8, 1], 2, 'valid', 'linear'],
    ['three input channels', [2, 9, 7, 3], [3, 3, 3, 8], 1, 'same', 'relu'],
    ['three input channels, linear', [2, 9, 7, 3], [3, 3, 3, 8], 2, 'same', 'linear'],
    ['three output channels', [2, 9, 7, 16], [3, 3, 16, 3], 1, 'same', 'relu'],
    ['two output channels, linear', [2, 9, 7, 8], [3, 3, 8, 2], 2, 'valid', 'linear'],
    ['a shape the direct kernels leave to XNNPACK, elu', [2, 9, 7, 8], [3, 3, 8, 8], 1, 'same', 'elu'],
  ] as const)('a fused convolution with bias and activation (%s) agrees with cpu within 1e-5', async (_name, sx, sw, stride, pad, activation) => {
    const run = () => tf.tidy(() => {
      const x = tf.randomUniform(sx as unknown as Shape4, -1, 1, 'float32', 3) as tf.Tensor4D;
      const w = tf.randomUniform(sw as unknown as Shape4, -1, 1, 'float32', 4) as tf.Tensor4D;
      const bias = tf.randomUniform([sw[3]], -1, 1, 'float32', 5);
      return tf.fused.conv2d({ x, filter: w, strides: stride, pad, bias, activation }).dataSync() as Float32Array;
    });
    await tf.setBackend('wasm');
    const onWasm = run();
    await tf.setBackend('cpu');
    expect(maxRelDiff(onWasm, run())).toBeLessThan(1e-5);
  });

  it('a bias added along the last axis (either operand, any leading ones) and the relu gradient agree with cpu exactly', async () => {
    const run = () => tf.tidy(() => {
      const x = tf.randomUniform([3, 4, 5, 6], -1, 1, 'float32', 1);
      const b = tf.randomUniform([6], -1, 1, 'float32', 2);
      const r = tf.randomUniform([3, 4, 5, 6], -1, 1, 'float32', 3);
      const dx = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.relu(t), r)))(x);
      return [tf.add(x, b), tf.add(b.reshape([1, 1, 1, 6]), x), tf.add(x, b.reshape([1, 6])), tf.add(x.reshape([60, 6]), b), dx].map((t) => t.dataSync() as Float32Array);
    });
    await tf.setBackend('wasm');
    const onWasm = run();
    await tf.setBackend('cpu');
    const onCpu = run();
    // (+0 for −0: TF.js's relu gradient multiplies a negative dy by 0, ours masks it.)
    const plain = (a: Float32Array) => Array.from(a, (v) => v + 0);
    for (let i = 0; i < onCpu.length; i++) expect(plain(onWasm[i]), `result ${i}`).toEqual(plain(onCpu[i]));
  });

  it('whole-model gradients of a graph using every trainable layer type agree between wasm and cpu', async () => {
    // Strided conv, pooling, dense, reshape, transposed conv (valid), upsampling + conv, every activation in play.
    const r = compile(chainGraph([
      ['in', 'input'],
      ['c1', 'encoder', { layer: 'conv', filters: 4, stride: 2, pool: 1, activation: 'elu' }],
      ['c2', 'encoder', { layer: 'conv', filters: 4, pool: 2, activation: 'tanh' }],
      ['code', 'bottleneck', { size: 6, activation: 'selu' }],
      ['d0', 'decoder', { units: 196, activation: 'softplus' }],
      ['d1', 'decoder', { layer: 'deconv', filters: 4, kernel: 2, stride: 2, padding: 'valid', activation: 'relu' }],
      ['d2', 'decoder', { layer: 'upconv', filters: 1, upsample: 2, kernel: 5, activation: 'linear' }],
      ['out', 'output', { loss: 'bce' }],
    ]));
    if (!r.ok) throw new Error(r.diagnostics.map((d) => d.message).join('; '));
    const gradsOn = async (backend: string) => {
      await tf.setBackend(backend);
      const m = buildModel(r.spec, 3);
      const x = tf.randomUniform([3, 28, 28, 1], 0, 1, 'float32', 9);
      const { grads } = tf.variableGrads(() => bceLoss(x, m.inference.apply(x) as tf.Tensor));
      const out = Object.fromEntries(Object.entries(grads).map(([k, g]) => [k.replace(/_\d+$/, ''), g.dataSync() as Float32Array]));
      m.train.dispose();
      return out;
    };
    const wasm = await gradsOn('wasm');
    const cpu = await gradsOn('cpu');
    expect(Object.keys(wasm).length).toBe(12); // kernel and bias of 6 weighted layers
    for (const [name, g] of Object.entries(cpu)) expect(maxRelDiff(wasm[name], g), name).toBeLessThan(1e-4);
  });

  it.each([
    ['×2 upsampling, batch 2, 4 channels', [2, 14, 14, 4], [28, 28], false],
    ['×3 upsampling, batch 3, 3 channels', [3, 5, 7, 3], [15, 21], false],
    ['non-integer resize with aligned corners', [2, 5, 6, 2], [9, 11], true],
  ] as const)('upsampling gradient (%s) on wasm and cpu equals the reference: each input pixel gets the sum of the outputs copied from it', async (_name, shape, size, alignCorners) => {
    const [b, h, w, c] = shape;
    const weights = tf.randomUniform([b, size[0], size[1], c], 0, 1, 'float32', 4);
    const wv = weights.dataSync();
    // Reference: the forward mapping of nearest-neighbour resizing, applied in reverse by brute force.
    const src = (i: number, n: number, m: number) => Math.min(n - 1, alignCorners && m > 1 ? Math.round((i * (n - 1)) / (m - 1)) : Math.floor((i * n) / m));
    const reference = new Float32Array(b * h * w * c);
    for (let n = 0; n < b; n++) for (let y = 0; y < size[0]; y++) for (let x = 0; x < size[1]; x++) for (let k = 0; k < c; k++) {
      reference[((n * h + src(y, h, size[0])) * w + src(x, w, size[1])) * c + k] += wv[((n * size[0] + y) * size[1] + x) * c + k];
    }
    for (const backend of ['wasm', 'cpu']) {
      await tf.setBackend(backend);
      const x = tf.zeros([...shape]) as tf.Tensor4D;
      const g = tf.grad((xx: tf.Tensor) => tf.sum(tf.mul(tf.image.resizeNearestNeighbor(xx as tf.Tensor4D, [...size], alignCorners), weights)))(x).dataSync() as Float32Array;
      expect(maxRelDiff(g, reference), backend).toBeLessThan(1e-6);
    }
  });

  it.each([
    ['×2, batch 2, 16 channels', [2, 14, 14, 16], [28, 28], false, false],
    ['×3 by ×2, batch 3, 7 channels (not in fours), pixel centres', [3, 5, 7, 7], [15, 14], false, true],
    ['×1 (a copy), 1 channel', [2, 4, 3, 1], [4, 3], false, false],
    ['non-integer resize with aligned corners (the backend\'s own kernel)', [2, 5, 6, 2], [9, 11], true, false],
  ] as const)('nearest upsampling (%s) on wasm equals cpu exactly', async (_name, shape, size, alignCorners, halfPixel) => {
    const run = () => tf.tidy(() => tf.image.resizeNearestNeighbor(tf.randomUniform([...shape], -1, 1, 'float32', 6) as tf.Tensor4D, [...size], alignCorners, halfPixel).dataSync() as Float32Array);
    await tf.setBackend('wasm');
    const onWasm = run();
    await tf.setBackend('cpu');
    const onCpu = run();
    expect(onWasm.length).toBe(shape[0] * size[0] * size[1] * shape[3]);
    expect(Array.from(onWasm)).toEqual(Array.from(onCpu));
  });

  it.each([
    ['×2, pixel centres (Keras 3, ONNX half_pixel), height ≠ width', [2, 3, 2, 2], [6, 4], false, true],
    ['×3, corner-aligned sampling off, height ≠ width', [2, 2, 3, 3], [6, 9], false, false],
    ['non-integer resize with aligned corners', [1, 4, 5, 2], [7, 9], true, false],
  ] as const)('bilinear upsampling gradient (%s) on every backend equals the forward pass transposed', async (_name, shape, size, alignCorners, halfPixel) => {
    await tf.setBackend('cpu');
    const weights = tf.randomUniform([shape[0], size[0], size[1], shape[3]], 0, 1, 'float32', 4);
    // Reference: the forward pass is linear in x, so dx[i] = sum(resize(e_i)·w) for each unit vector e_i.
    const n = shape.reduce<number>((a, b) => a * b, 1);
    const reference = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      reference[i] = tf.tidy(() => tf.sum(tf.mul(tf.image.resizeBilinear(tf.oneHot(i, n).reshape([...shape]).toFloat() as tf.Tensor4D, [...size], alignCorners, halfPixel), weights)).dataSync()[0]);
    }
    for (const backend of [...CHECKED, 'cpu']) {
      await tf.setBackend(backend);
      const x = tf.zeros([...shape]) as tf.Tensor4D;
      const w = tf.tensor(weights.dataSync(), weights.shape); // made on this backend: a tensor moved to webgpu cannot come back synchronously
      const g = (await tf.grad((xx: tf.Tensor) => tf.sum(tf.mul(tf.image.resizeBilinear(xx as tf.Tensor4D, [...size], alignCorners, halfPixel), w)))(x).data()) as Float32Array; // async: webgpu cannot read synchronously
      expect(maxRelDiff(g, reference), backend).toBeLessThan(1e-5);
    }
  });

  it.each([
    ['3×3 stride 3, same padding, odd size (border windows hold fewer cells)', [2, 7, 7, 3], 3, 3, 'same'],
    ['2×2 stride 2, same padding, 7 → 4', [2, 7, 5, 2], 2, 2, 'same'],
    ['3×3 stride 1, same padding (overlapping windows)', [1, 5, 6, 2], 3, 1, 'same'],
    ['2×2 stride 2, valid', [3, 6, 6, 2], 2, 2, 'valid'],
  ] as const)('average-pooling gradient (%s) on every backend equals the forward pass transposed', async (_name, shape, filter, stride, pad) => {
    await tf.setBackend('cpu');
    const pool = (x: tf.Tensor) => tf.avgPool(x as tf.Tensor4D, filter, stride, pad);
    const weights = tf.randomUniform(pool(tf.zeros([...shape])).shape, -1, 1, 'float32', 4);
    // The forward pass (right on every backend: it averages the cells inside each window) is linear in x.
    const n = shape.reduce<number>((a, b) => a * b, 1);
    const reference = new Float32Array(n);
    for (let i = 0; i < n; i++) reference[i] = tf.tidy(() => tf.sum(tf.mul(pool(tf.oneHot(i, n).reshape([...shape]).toFloat()), weights)).dataSync()[0]);
    const weightValues = weights.dataSync();
    for (const backend of [...CHECKED, 'cpu']) {
      await tf.setBackend(backend);
      const w = tf.tensor(weightValues, weights.shape); // made on this backend (see above)
      const g = (await tf.grad((xx: tf.Tensor) => tf.sum(tf.mul(pool(xx), w)))(tf.zeros([...shape])).data()) as Float32Array;
      expect(maxRelDiff(g, reference), backend).toBeLessThan(1e-5);
    }
  });

  it.each([
    ['2×2 pooling of negative values, batch 3, 4 channels', [3, 14, 14, 4], 2, 2, 'valid', false],
    ['2×2 pooling of an odd size', [2, 7, 7, 3], 2, 2, 'valid', false],
    ['2×2 pooling of an odd size, same padding (windows past the edge)', [2, 7, 7, 3], 2, 2, 'same', false],
    ['2×2 pooling of values with many ties', [2, 8, 8, 3], 2, 2, 'valid', true],
    ['3×3 pooling, stride 2, same padding', [2, 9, 9, 2], 3, 2, 'same', false],
  ] as const)('max-pooling gradient (%s) on wasm and cpu sends each dy to the first maximum of its window', async (_name, shape, size, stride, pad, ties) => {
    const uniform = tf.randomUniform([...shape], -1, 1, 'float32', 5) as tf.Tensor4D;
    const x = ties ? tf.round(uniform) : uniform; // rounded: most windows hold equal maxima
    const info = tf.backend_util.computePool2DInfo(x.shape, size, stride, 1, pad);
    const weights = tf.randomUniform([shape[0], info.outHeight, info.outWidth, shape[3]], 0, 1, 'float32', 7);
    // Reference: brute force over each window.
    const xv = x.dataSync();
    const wv = weights.dataSync();
    const reference = new Float32Array(x.size);
    let o = 0;
    for (let b = 0; b < shape[0]; b++) for (let oy = 0; oy < info.outHeight; oy++) for (let ox = 0; ox < info.outWidth; ox++) for (let c = 0; c < shape[3]; c++, o++) {
      const cells = [];
      for (let fy = 0; fy < size; fy++) for (let fx = 0; fx < size; fx++) {
        const y = oy * stride - info.padInfo.top + fy;
        const xx = ox * stride - info.padInfo.left + fx;
        if (y >= 0 && y < shape[1] && xx >= 0 && xx < shape[2]) cells.push(((b * shape[1] + y) * shape[2] + xx) * shape[3] + c);
      }
      const best = cells.reduce((a, i) => (xv[i] > xv[a] ? i : a));
      reference[best] += wv[o];
    }
    for (const backend of ['wasm', 'cpu']) {
      await tf.setBackend(backend);
      const g = tf.grad((xx: tf.Tensor) => tf.sum(tf.mul(tf.maxPool(xx as tf.Tensor4D, size, stride, pad), weights)))(x).dataSync() as Float32Array;
      expect(maxRelDiff(g, reference), backend).toBeLessThan(1e-6);
    }
  });

  it.each([
    [false, false],
    [true, false],
    [false, true],
    [true, true],
  ])('matMul with transposeA %s, transposeB %s (plain, batched, broadcast, fused with bias and relu or sigmoid) equals the cpu backend', async (ta, tb) => {
    const run = () =>
      tf.tidy(() => {
        // 37×53 · 53×29 (odd sizes: no tile divides them), as 2-D, as a batch of 3, and fused.
        const a = tf.randomUniform(ta ? [53, 37] : [37, 53], -1, 1, 'float32', 11);
        const b = tf.randomUniform(tb ? [29, 53] : [53, 29], -1, 1, 'float32', 12);
        const a3 = tf.randomUniform(ta ? [3, 53, 37] : [3, 37, 53], -1, 1, 'float32', 13);
        const b3 = tf.randomUniform(tb ? [3, 29, 53] : [3, 53, 29], -1, 1, 'float32', 14);
        const bias = tf.randomUniform([29], -1, 1, 'float32', 15);
        return [
          tf.matMul(a, b, ta, tb),
          tf.matMul(a3, b3, ta, tb),
          tf.matMul(a3, b, ta, tb), // one right operand for the whole batch
          tf.matMul(a, b3, ta, tb), // one left operand for the whole batch
          tf.fused.matMul({ a, b, transposeA: ta, transposeB: tb, bias, activation: 'relu' }),
          tf.fused.matMul({ a: a3, b: b3, transposeA: ta, transposeB: tb, bias: bias.reshape([1, 29]) }),
          tf.fused.matMul({ a, b, transposeA: ta, transposeB: tb, bias, activation: 'sigmoid' }), // not ours: the backend's kernel runs it
        ].map((t) => t.dataSync() as Float32Array);
      });
    await tf.setBackend('wasm');
    const wasm = run();
    await tf.setBackend('cpu');
    const cpu = run();
    wasm.forEach((w, i) => expect(maxRelDiff(w, cpu[i]), `result ${i}`).toBeLessThan(1e-5));
  });

  it('leaves no tensors behind and keeps its inputs alive', async () => {
    await tf.setBackend('wasm');
    const x = tf.randomUniform([2, 8, 8, 3]) as tf.Tensor4D;
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) {
      tf.tidy(() => {
        tf.grad((w: tf.Tensor) => tf.sum(tf.conv2d(x, w as tf.Tensor4D, 2, 'same')))(tf.ones([3, 3, 3, 4]) as tf.Tensor4D);
      });
    }
    expect(tf.memory().numTensors).toBe(before);
    expect(x.isDisposed).toBe(false);
    expect(Number.isFinite(x.sum().dataSync()[0])).toBe(true);
    x.dispose();
  });
});

describe('wasm row gather', () => {
  it('gathers whole rows like the cpu backend, falls back for other axes and dtypes, and refuses an index out of range', async () => {
    const run = async (backend: 'cpu' | 'wasm') => {
      await chooseBackend(backend);
      return tf.tidy(() => {
        const x = tf.randomUniform([50, 6, 5, 2], -1, 1, 'float32', 3);
        const idx = tf.tensor1d([49, 0, 7, 7, 23], 'int32');
        const idx2d = tf.tensor2d([[1, 2], [3, 4]], [2, 2], 'int32');
        return [
          tf.gather(x, idx).arraySync(),
          tf.gather(x, idx2d).arraySync(), // indices of rank 2: output [2, 2, 6, 5, 2]
          tf.gather(x, tf.tensor1d([4, 1], 'int32'), 1).arraySync(), // axis 1: the backend's own kernel
          tf.gather(tf.tensor2d([[1, 2], [3, 4], [5, 6]], [3, 2], 'int32'), tf.tensor1d([2, 0], 'int32')).arraySync(), // int32 values
        ];
      });
    };
    const cpu = await run('cpu');
    const wasm = await run('wasm');
    expect(wasm).toEqual(cpu);
    const before = tf.memory().numTensors;
    expect(() => tf.tidy(() => tf.gather(tf.zeros([3, 4]), tf.tensor1d([3], 'int32')))).toThrow(/index 3 is not in \[0, 2\]/);
    expect(tf.memory().numTensors).toBe(before);
  });
});
