/**
 * The convolution weight gradient (Conv2DBackpropFilter) on wasm as GEMMs on
 * our own kernels: dW (kh·kw·Cin × Cout) = patchesᵀ · dY, a few images at a
 * time (their patch rows built by im2col into a scratch that stays in the
 * cache), the groups' products added up. wasm has no kernel of its own for it; the composite
 * it replaces (a convolution with the batch as channels and dy as a
 * 28×28 filter, conv-gradients.ts) spent ~45 % of the convolutional
 * template's step there, XNNPACK packing that filter on every call.
 */
import * as tf from '@tensorflow/tfjs';
import type { Conv2DBackpropFilterAttrs, KernelConfig } from '@tensorflow/tfjs';
import { directFilterGrad } from './conv-direct';
import { heapKernel } from './heap-kernel';

/** Patch values a group's scratch holds at most (128k floats, 512 KB: inside a core's L2 cache). */
const GROUP_VALUES = 131_072;
const F32 = 4;

export function convFilterGradKernel(): KernelConfig {
  return heapKernel<Conv2DBackpropFilterAttrs>('Conv2DBackpropFilter', (ctx, { x, dy }, attrs) => {
    const { heap, native, at, output } = ctx;
    if (attrs.dataFormat !== 'NHWC') throw new Error(`Conv2DBackpropFilter on wasm supports NHWC only, not ${attrs.dataFormat}`);
    const filterShape = attrs.filterShape as [number, number, number, number];
    const direct = output(filterShape);
    if (directFilterGrad(ctx, x, dy, attrs, direct)) return direct; // one output channel, or few input channels
    heap.disposeData(direct.dataId);
    const info = tf.backend_util.computeConv2DInfo(x.shape as [number, number, number, number], filterShape, attrs.strides, 1, attrs.pad, attrs.dimRoundingMode);
    const [b, h, w, cin] = x.shape;
    const [, ho, wo, cout] = dy.shape;
    const [kh, kw] = [info.filterHeight, info.filterWidth];
    const k2 = kh * kw * cin;
    const rowsPerImage = ho * wo;
    const group = Math.max(1, Math.min(b, Math.floor(GROUP_VALUES / (rowsPerImage * k2))));
    const out = output(filterShape);
    const cols = output([group * rowsPerImage, k2]);
    // Our GEMM vectorises along its output's columns: those are Cout where Cout is a multiple of 4 of
    // at least 8 (dW = patchesᵀ · dY, already [kh, kw, Cin, Cout]); else the patch columns
    // (dWᵀ = dYᵀ · patches, transposed at the end), as for a 1-channel output layer.
    const alongCout = cout >= 8 && cout % 4 === 0;
    const acc = alongCout ? out : output([cout, k2]);
    const part = output([alongCout ? k2 : cout, alongCout ? cout : k2]);
    try {
      const [xAt, dyAt, colsAt, accAt, partAt] = [at(x), at(dy), at(cols), at(acc), at(part)];
      for (let first = 0; first < b; first += group) {
        const images = Math.min(group, b - first);
        native.im2col(xAt + first * h * w * cin * F32, images, h, w, cin, ho, wo, kh, kw, info.strideHeight, info.strideWidth, info.padInfo.top, info.padInfo.left, colsAt);
        const target = first === 0 ? accAt : partAt;
        const dyRows = dyAt + first * rowsPerImage * cout * F32;
        if (alongCout) native.gemm(colsAt, 1, k2, dyRows, cout, target, cout, k2, cout, images * rowsPerImage, 0, 0);
        else native.gemm(dyRows, 1, cout, colsAt, k2, target, k2, cout, k2, images * rowsPerImage, 0, 0);
        if (first > 0) native.add_into(accAt, partAt, cout * k2);
      }
      if (!alongCout) native.transpose(accAt, cout, k2, at(out));
    } finally {
      for (const t of alongCout ? [cols, part] : [cols, acc, part]) heap.disposeData(t.dataId);
    }
    return out;
  });
}
