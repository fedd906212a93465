/**
 * A faster wasm GatherV2 for the case training uses on every batch: whole
 * rows (axis 0) of a float32 tensor. TF.js 4.22's wasm kernel walks the
 * output element by element (2.3 ms for 128 rows of 784 values here); rows
 * are contiguous, so each is one memory copy (≈ 0.05 ms). Every other case
 * goes to the backend's own kernel.
 */
import * as tf from '@tensorflow/tfjs';
import type { GatherV2Attrs, KernelConfig, TensorInfo } from '@tensorflow/tfjs';

interface WasmHeap {
  makeOutput(shape: number[], dtype: 'float32'): TensorInfo;
  typedArrayFromHeap(info: TensorInfo): Float32Array | Int32Array;
}

/** The replacement kernel; `original` handles what it does not. */
export function rowGatherKernel(): KernelConfig {
  const config = tf.getKernel('GatherV2', 'wasm')!;
  const original = config.kernelFunc;
  return {
    ...config, // keeps setupFunc, which binds the wasm function the fallback uses
    kernelFunc: (args) => {
      const { x, indices } = args.inputs as { x: TensorInfo; indices: TensorInfo };
      const { axis, batchDims } = args.attrs as unknown as GatherV2Attrs;
      const normalizedAxis = axis < 0 ? axis + x.shape.length : axis;
      if (normalizedAxis !== 0 || (batchDims ?? 0) !== 0 || x.dtype !== 'float32' || indices.dtype !== 'int32' || x.shape.length === 0) return original(args);
      const wasm = args.backend as unknown as WasmHeap;
      const rows = x.shape[0];
      const rowSize = x.shape.slice(1).reduce((a, b) => a * b, 1);
      const out = wasm.makeOutput([...indices.shape, ...x.shape.slice(1)], 'float32');
      // Views only after makeOutput: allocating may grow (and move) the wasm heap.
      const src = wasm.typedArrayFromHeap(x) as Float32Array;
      const idx = wasm.typedArrayFromHeap(indices) as Int32Array;
      const dst = wasm.typedArrayFromHeap(out) as Float32Array;
      for (let k = 0; k < idx.length; k++) {
        const r = idx[k];
        if (r < 0 || r >= rows) {
          (args.backend as unknown as { disposeData(id: object): void }).disposeData(out.dataId);
          throw new Error(`GatherV2: index ${r} is not in [0, ${rows - 1}]`);
        }
        dst.set(src.subarray(r * rowSize, (r + 1) * rowSize), k * rowSize);
      }
      return out;
    },
  };
}
