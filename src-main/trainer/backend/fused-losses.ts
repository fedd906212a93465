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
import { nativeKernels, type WasmBackendHeap } from './native/wasm-kernels';

export const FUSED_LOSS = { bce: 'AestudioBce', bceGrad: 'AestudioBceGrad', mse: 'AestudioMse', mseGrad: 'AestudioMseGrad' } as const;

const size = (t: TensorInfo) => t.shape.reduce((a, b) => a * b, 1);

/** A float32 scalar output holding `value`. */
function scalarOutput(heap: WasmBackendHeap, value: number): TensorInfo {
  const out = heap.makeOutput([], 'float32');
  heap.typedArrayFromHeap(out)[0] = value;
  return out;
}

/** The four kernels: t (target) and p (prediction) of the same shape; the gradients also take dy, the loss's upstream scalar gradient. */
export function fusedLossKernels(): KernelConfig[] {
  const kernel = (kernelName: string, run: (heap: WasmBackendHeap, inputs: Record<string, TensorInfo>, attrs: { eps?: number }) => TensorInfo): KernelConfig => ({
    kernelName,
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend, attrs }) => run(backend as unknown as WasmBackendHeap, inputs as Record<string, TensorInfo>, attrs as { eps?: number }),
  });
  const at = (heap: WasmBackendHeap, t: TensorInfo) => heap.getMemoryOffset(t.dataId);
  const upstream = (heap: WasmBackendHeap, dy: TensorInfo) => heap.typedArrayFromHeap(dy)[0];
  return [
    kernel(FUSED_LOSS.bce, (heap, { t, p }, { eps }) => scalarOutput(heap, -nativeKernels(heap).bce_sum(at(heap, t), at(heap, p), size(p), eps!) / size(p))),
    kernel(FUSED_LOSS.bceGrad, (heap, { t, p, dy }, { eps }) => {
      const out = heap.makeOutput(p.shape, 'float32');
      nativeKernels(heap).bce_grad(at(heap, t), at(heap, p), size(p), eps!, upstream(heap, dy) / size(p), at(heap, out));
      return out;
    }),
    kernel(FUSED_LOSS.mse, (heap, { t, p }) => scalarOutput(heap, nativeKernels(heap).sq_diff_sum(at(heap, t), at(heap, p), size(p)) / size(p))),
    kernel(FUSED_LOSS.mseGrad, (heap, { t, p, dy }) => {
      const out = heap.makeOutput(p.shape, 'float32');
      nativeKernels(heap).scaled_diff(at(heap, t), at(heap, p), size(p), (2 * upstream(heap, dy)) / size(p), at(heap, out));
      return out;
    }),
  ];
}

/** Whether the current backend has the fused loss kernels. */
export function hasFusedLosses(): boolean {
  return tf.getKernel(FUSED_LOSS.bce, tf.getBackend()) !== undefined;
}
