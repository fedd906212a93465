/**
 * The reconstruction losses and their gradients as one wasm kernel call
 * each. On the wasm backend the cross-entropy's forward pass alone took
 * 1.1 ms of a 7.6 ms multilayer step (two Log kernels at ~3.6 ns a value,
 * then a clip, products and a mean, each a pass over the batch); the fused
 * pass computes its logs four at a time. Used by model/penalties.ts when the
 * current backend has these kernels; other backends keep the TF.js ops.
 */
import * as tf from '@tensorflow/tfjs';
import type { KernelConfig, TensorInfo } from '@tensorflow/tfjs';
import { heapKernel, type HeapContext } from './heap-kernel';

export const FUSED_LOSS = { bce: 'AestudioBce', bceGrad: 'AestudioBceGrad', mse: 'AestudioMse', mseGrad: 'AestudioMseGrad' } as const;

const size = (t: TensorInfo) => tf.util.sizeFromShape(t.shape);

/** A float32 scalar output holding `value`. */
function scalarOutput({ heap, output }: HeapContext, value: number): TensorInfo {
  const out = output([]);
  heap.typedArrayFromHeap(out)[0] = value;
  return out;
}

/** The four kernels: t (target) and p (prediction) of the same shape; the gradients also take dy, the loss's upstream scalar gradient. */
export function fusedLossKernels(): KernelConfig[] {
  const upstream = ({ heap }: HeapContext, dy: TensorInfo) => heap.typedArrayFromHeap(dy)[0];
  return [
    heapKernel<{ eps: number }>(FUSED_LOSS.bce, (ctx, { t, p }, { eps }) => scalarOutput(ctx, -ctx.native.bce_sum(ctx.at(t), ctx.at(p), size(p), eps) / size(p))),
    heapKernel<{ eps: number }>(FUSED_LOSS.bceGrad, (ctx, { t, p, dy }, { eps }) => {
      const out = ctx.output(p.shape);
      ctx.native.bce_grad(ctx.at(t), ctx.at(p), size(p), eps, upstream(ctx, dy) / size(p), ctx.at(out));
      return out;
    }),
    heapKernel(FUSED_LOSS.mse, (ctx, { t, p }) => scalarOutput(ctx, ctx.native.sq_diff_sum(ctx.at(t), ctx.at(p), size(p)) / size(p))),
    heapKernel(FUSED_LOSS.mseGrad, (ctx, { t, p, dy }) => {
      const out = ctx.output(p.shape);
      ctx.native.scaled_diff(ctx.at(t), ctx.at(p), size(p), (2 * upstream(ctx, dy)) / size(p), ctx.at(out));
      return out;
    }),
  ];
}

/** Whether the current backend has the fused loss kernels. */
export function hasFusedLosses(): boolean {
  return tf.getKernel(FUSED_LOSS.bce, tf.getBackend()) !== undefined;
}
