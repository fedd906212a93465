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

/** The context of `backend` (the wasm backend) for our kernels. */
export function contextOf(backend: unknown): HeapContext {
  const heap = backend as WasmBackendHeap;
  return { heap, native: nativeKernels(heap), at: (t) => heap.getMemoryOffset(t.dataId), output: (shape) => heap.makeOutput(shape, 'float32') };
}

/** A wasm kernel named `kernelName` that `run` computes. */
export function heapKernel<Attrs = unknown>(kernelName: string, run: (ctx: HeapContext, inputs: Record<string, TensorInfo>, attrs: Attrs) => TensorInfo | TensorInfo[]): KernelConfig {
  return {
    kernelName,
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend, attrs }) => run(contextOf(backend), inputs as Record<string, TensorInfo>, attrs as Attrs),
  };
}

/**
 * The wasm backend's own kernel `kernelName`, with a faster path of ours
 * tried first: `fast` returns its output, or null where the inputs are not
 * its case (before allocating anything), and the backend's kernel runs then.
 */
export function withFastPath<Attrs = unknown>(kernelName: string, fast: (ctx: HeapContext, inputs: Record<string, TensorInfo>, attrs: Attrs) => TensorInfo | TensorInfo[] | null): KernelConfig {
  const config = tf.getKernel(kernelName, 'wasm')!;
  const original = config.kernelFunc;
  return {
    ...config, // keeps setupFunc, which binds the wasm function the fallback uses
    kernelFunc: (args) => fast(contextOf(args.backend), args.inputs as Record<string, TensorInfo>, args.attrs as Attrs) ?? original(args),
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
