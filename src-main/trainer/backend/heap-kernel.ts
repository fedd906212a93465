/**
 * The shape every kernel of ours on the wasm backend shares: native code
 * (native/kernels.c) run on the backend's heap, given its tensors' offsets.
 */
import * as tf from '@tensorflow/tfjs';
import type { KernelConfig, TensorInfo } from '@tensorflow/tfjs';
import { nativeKernels, type NativeKernels, type WasmBackendHeap } from './native/wasm-kernels';

export interface HeapContext {
  heap: WasmBackendHeap;
  /** Our kernels, bound to this backend's memory. */
  native: NativeKernels;
  /** A tensor's byte offset on the heap. */
  at(t: TensorInfo): number;
  /** A new float32 tensor on the heap (offsets stay valid when it grows the heap; typed-array views do not). */
  output(shape: number[]): TensorInfo;
}

/** A wasm kernel named `kernelName` that `run` computes. */
export function heapKernel<Attrs = unknown>(kernelName: string, run: (ctx: HeapContext, inputs: Record<string, TensorInfo>, attrs: Attrs) => TensorInfo | TensorInfo[]): KernelConfig {
  return {
    kernelName,
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend, attrs }) => {
      const heap = backend as unknown as WasmBackendHeap;
      const ctx: HeapContext = { heap, native: nativeKernels(heap), at: (t) => heap.getMemoryOffset(t.dataId), output: (shape) => heap.makeOutput(shape, 'float32') };
      return run(ctx, inputs as Record<string, TensorInfo>, attrs as Attrs);
    },
  };
}

/**
 * An activation's gradient from its output: inputs y (the activation's
 * output) and dy, one native pass `pick(native)(y, dy, n, dst)`.
 */
export function outputGradKernel(kernelName: string, pick: (native: NativeKernels) => (y: number, dy: number, n: number, dst: number) => void): KernelConfig {
  return heapKernel(kernelName, ({ native, at, output }, { y, dy }) => {
    const out = output(y.shape);
    pick(native)(at(y), at(dy), tf.util.sizeFromShape(y.shape), at(out));
    return out;
  });
}
