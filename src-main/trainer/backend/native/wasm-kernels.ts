/**
 * Our own WebAssembly kernels (kernels.c), instantiated against the TF.js
 * wasm backend's memory so they work on tensors in place: arguments are heap
 * offsets (bytes), as `backend.getMemoryOffset(dataId)` gives them.
 */
import type { TensorInfo } from '@tensorflow/tfjs';
import { setFlagsFromString } from 'node:v8';
import { KERNELS_RELAXED_WASM_BASE64, KERNELS_WASM_BASE64 } from './kernels-wasm';

export interface NativeKernels {
  /** C = op(A)·B (+ bias) (relu if act = 1); A's element (i, k) at A[i*ars + k*acs]. Offsets in bytes, strides in elements. */
  gemm(a: number, ars: number, acs: number, b: number, ldb: number, c: number, ldc: number, m: number, n: number, k: number, bias: number, act: number): void;
  /** dst (cols × rows) = src (rows × cols) transposed. */
  transpose(src: number, rows: number, cols: number, dst: number): void;
  /** Σ t·log(p̂) + (1−t)·log(1−p̂), p̂ = p clipped to [eps, 1−eps]. */
  bce_sum(t: number, p: number, n: number, eps: number): number;
  /** dst = (p̂ − t)/(p̂(1−p̂))·scale where p is within the clip range, else 0. */
  bce_grad(t: number, p: number, n: number, eps: number, scale: number, dst: number): void;
  /** Σ (p − t)². */
  sq_diff_sum(t: number, p: number, n: number): number;
  /** dst = (p − t)·scale. */
  scaled_diff(t: number, p: number, n: number, scale: number, dst: number): void;
  /** dst[c] = Σ_r src[r·cols + c] (float32 sums). */
  sum_rows(src: number, rows: number, cols: number, dst: number): void;
  /** sum_rows for long columns, summed in double. */
  sum_rows_long(src: number, rows: number, cols: number, dst: number): void;
  /** dst = dy·(y·(1 − y)). */
  sigmoid_grad(y: number, dy: number, n: number, dst: number): void;
  /** dst[r·cols + c] = x[r·cols + c] + bias[c], then relu if act = 1; dst may be x. */
  add_bias(x: number, bias: number, rows: number, cols: number, act: number, dst: number): void;
  /** dst = dy where y > 0, else 0. */
  relu_grad(y: number, dy: number, n: number, dst: number): void;
  /** relu_grad of rows × cols values, and db[c] = the column sums of dst; acc: scratch for cols doubles; cols a multiple of 4. */
  relu_grad_bias(y: number, dy: number, rows: number, cols: number, dst: number, db: number, acc: number): void;
  /** Rows of convolution patches of `images` NHWC images (kernels.c: im2col). */
  im2col(x: number, images: number, h: number, w: number, c: number, ho: number, wo: number, kh: number, kw: number, sh: number, sw: number, top: number, left: number, dst: number): void;
  /** The 2×2, stride 2 max-pooling gradient where no window reaches past an edge (kernels.c). */
  max_pool_2x2_grad(dy: number, x: number, batch: number, inH: number, inW: number, c: number, outH: number, outW: number, dx: number): void;
  /** Direct convolutions for few channels (kernels.c, chosen by conv-direct.ts); offsets of NHWC tensors and the filter [kh][kw][C][Co]. */
  conv_forward_cout1(x: number, w: number, batch: number, h: number, wd: number, c: number, ho: number, wo: number, kh: number, kw: number, sh: number, sw: number, top: number, left: number, bias: number, act: number, y: number): void;
  /** 2 to 4 output channels; wt: the filter as [kh][kw][Co][C]. */
  conv_forward_few(x: number, wt: number, batch: number, h: number, wd: number, c: number, ho: number, wo: number, co: number, kh: number, kw: number, sh: number, sw: number, top: number, left: number, bias: number, act: number, y: number): void;
  /** wt: the filter as [kh][kw][Co][C]; bias (0 for none) added to the sums, then relu if act = 1. */
  conv_input_grad(dy: number, wt: number, batch: number, h: number, wd: number, c: number, ho: number, wo: number, co: number, kh: number, kw: number, sh: number, sw: number, top: number, left: number, bias: number, act: number, dx: number): void;
  conv_filter_grad_cout1(x: number, dy: number, batch: number, h: number, wd: number, c: number, ho: number, wo: number, kh: number, kw: number, sh: number, sw: number, top: number, left: number, dw: number): void;
  /** 2 to 4 output channels; dwt: scratch for Co × kh × kw × C values. */
  conv_filter_grad_few(x: number, dy: number, batch: number, h: number, wd: number, c: number, ho: number, wo: number, co: number, kh: number, kw: number, sh: number, sw: number, top: number, left: number, dwt: number, dw: number): void;
  conv_filter_grad_narrow(x: number, dy: number, batch: number, h: number, wd: number, c: number, ho: number, wo: number, co: number, kh: number, kw: number, sh: number, sw: number, top: number, left: number, dw: number): void;
  /** rows × cols values from src (row stride srcStride, in values) to dst (row stride dstStride). */
  copy_rows(src: number, srcStride: number, dst: number, dstStride: number, rows: number, cols: number): void;
  /** Nearest-neighbour upsampling of NHWC x (H × W) by whole factors sy, sx into y (kernels.c). */
  upsample_nearest(x: number, batch: number, h: number, w: number, c: number, sy: number, sx: number, y: number): void;
  /** The gradient of nearest-neighbour upsampling by whole factors (kernels.c). */
  upsample_nearest_grad(dy: number, batch: number, h: number, w: number, c: number, sy: number, sx: number, dx: number): void;
  /** dst += src, n values. */
  add_into(dst: number, src: number, n: number): void;
  /** One Adam step over n values; see kernels.c. */
  adam(w: number, m: number, v: number, g: number, wOut: number, mOut: number, vOut: number, n: number, lr: number, beta1: number, beta2: number, oneMinusBeta1: number, oneMinusBeta2: number, eps: number, c1: number, c2: number): void;
}

/** The parts of tfjs-backend-wasm 4.22's backend object these kernels use. */
export interface WasmBackendHeap {
  wasm: { HEAPU8: Uint8Array; wasmMemory?: WebAssembly.Memory; asm?: { memory?: WebAssembly.Memory } };
  getMemoryOffset(dataId: object): number;
  makeOutput(shape: number[], dtype: 'float32'): TensorInfo;
  typedArrayFromHeap(info: TensorInfo): Float32Array;
  disposeData(dataId: object): void;
  /** One more reference on a buffer (the engine releases one per tensor it disposes). */
  incRef(dataId: object): void;
}

/** Which build of kernels.c runs: with relaxed SIMD's fused multiply-add in the GEMM (~20 % faster), or plain 128-bit SIMD. */
export type KernelsBuild = 'relaxed-simd' | 'simd';

const BUILDS: Record<KernelsBuild, string> = { 'relaxed-simd': KERNELS_RELAXED_WASM_BASE64, simd: KERNELS_WASM_BASE64 };

/**
 * The relaxed build where the engine takes it. Chromium ≥ 114 (Electron's
 * utility process) and Node ≥ 22 do by default; Node 20's V8 (11.3) behind a
 * flag, which V8 reads at compile time, so setting it here suffices (worker
 * threads share it). Anything else gets the plain SIMD build.
 */
export function bestKernelsBuild(): KernelsBuild {
  const relaxed = Buffer.from(KERNELS_RELAXED_WASM_BASE64, 'base64');
  if (WebAssembly.validate(relaxed)) return 'relaxed-simd';
  try {
    setFlagsFromString('--experimental-wasm-relaxed-simd');
  } catch {
    return 'simd';
  }
  return WebAssembly.validate(relaxed) ? 'relaxed-simd' : 'simd';
}

/** Instantiates a build of the kernels against `memory`. */
export function instantiateKernels(build: KernelsBuild, memory: WebAssembly.Memory): NativeKernels {
  compiled[build] ??= new WebAssembly.Module(Buffer.from(BUILDS[build], 'base64'));
  return new WebAssembly.Instance(compiled[build], { env: { memory } }).exports as unknown as NativeKernels;
}

const byBackend = new WeakMap<object, NativeKernels>();
const compiled: Partial<Record<KernelsBuild, WebAssembly.Module>> = {};
let chosen: KernelsBuild | null = null;

/** The kernels bound to `backend`'s memory (instantiated once per backend), in the best build this engine runs. */
export function nativeKernels(backend: WasmBackendHeap): NativeKernels {
  let kernels = byBackend.get(backend);
  if (kernels) return kernels;
  const memory = backend.wasm.wasmMemory ?? backend.wasm.asm?.memory;
  // The memory must be the one the tensors live in; a different TF.js build could hide it elsewhere.
  if (!memory || memory.buffer !== backend.wasm.HEAPU8.buffer) throw new Error("cannot reach the TF.js wasm backend's memory: this tfjs-backend-wasm version is not the one (4.22) our kernels were written for");
  chosen ??= bestKernelsBuild();
  kernels = instantiateKernels(chosen, memory);
  byBackend.set(backend, kernels);
  return kernels;
}
