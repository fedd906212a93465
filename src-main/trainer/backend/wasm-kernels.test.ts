/**
 * The wasm replacement kernels against the cpu backend's own: gradients of
 * real convolutions (every stride/padding/kernel the catalog can produce a
 * mix of) must agree within 1e-5 relative.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { chooseBackend } from './choose-backend';

type Shape4 = [number, number, number, number];

function maxRelDiff(a: Float32Array, b: Float32Array): number {
  let scale = 0;
  let diff = 0;
  for (let i = 0; i < a.length; i++) {
    scale = Math.max(scale, Math.abs(b[i]));
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
  }
  return diff / Math.max(scale, 1e-12);
}

/** Gradients of sum(conv(x, w)·r) with respect to x and w, with fixed random inputs, on the current backend. */
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
    return [dx.dataSync() as Float32Array, dw.dataSync() as Float32Array];
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
];

describe('wasm training kernels match the cpu backend', () => {
  beforeAll(async () => {
    await chooseBackend('wasm');
  });

  it('the wasm backend now lacks no kernel of the cpu backend but ones no catalog layer uses (complex numbers, FFT, ragged, strings, …)', () => {
    const wasm = new Set(tf.getKernelsForBackend('wasm').map((k) => k.kernelName));
    const missing = tf.getKernelsForBackend('cpu').map((k) => k.kernelName).filter((k) => !wasm.has(k)).sort();
    expect(missing).toEqual(['Complex', 'ComplexAbs', 'DepthwiseConv2dNativeBackpropFilter', 'DepthwiseConv2dNativeBackpropInput', 'Draw', 'Einsum', 'FFT', 'IFFT', 'Imag', 'RaggedGather', 'RaggedRange', 'RaggedTensorToTensor', 'Real', 'StaticRegexReplace', 'UnsortedSegmentSum']);
  });

  it.each(CASES)('%s: input and weight gradients within 1e-5 relative', async (_name, kind, sx, sw, stride, pad) => {
    await tf.setBackend('wasm');
    const [dxWasm, dwWasm] = convGrads(kind, sx, sw, stride, pad, 7);
    await tf.setBackend('cpu');
    const [dxCpu, dwCpu] = convGrads(kind, sx, sw, stride, pad, 7);
    expect(maxRelDiff(dwWasm, dwCpu)).toBeLessThan(1e-5);
    expect(maxRelDiff(dxWasm, dxCpu)).toBeLessThan(1e-5);
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
