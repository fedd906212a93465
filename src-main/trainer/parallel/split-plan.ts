/**
 * Whether a run splits each batch across threads (data-parallel), decided
 * from the model's arithmetic, not from timing, so a seeded run trains the
 * same way every time. Measured on the 2-core build machine (wasm, our own
 * GEMM/Adam/loss kernels): handing weights and gradients between threads
 * (copies, a message round trip, a helper thread that computes the same
 * gradient ~20 % slower) costs more than half a dense batch saves — vanilla
 * (≈ 77 MFLOP a step) 34,400 vs 43,900 samples/s, multilayer (≈ 180 MFLOP)
 * 19,700 vs 24,000 on two threads vs one — while the convolutional template
 * (≈ 0.54 GFLOP) trains 1.8× faster on two. Splitting pays once each
 * thread's share of the arithmetic is well above those costs.
 */
import type { ModelSpec } from '../../../src-shared/compiler/model-spec';
import { layerOp } from '../../../src-shared/layers/layer-ops';
import type { BackendName } from '../../../src-shared/protocol/trainer-messages';

/** Splitting starts to pay above about this much training arithmetic per thread per step. */
export const MIN_FLOP_PER_THREAD = 200e6;
/** More threads than this gain little at the batch sizes people use. */
export const MAX_THREADS = 4;

/** Multiply-adds of one sample's forward pass (each op's own count, in src-shared/layers). */
export function forwardMacsPerSample(spec: ModelSpec): number {
  return spec.layers.reduce((macs, l) => macs + layerOp(l.type).forwardMacs(l), 0);
}

/** Forward and backward (about twice the forward again) arithmetic of one step, in FLOP. */
export function stepFlop(spec: ModelSpec, batchSize: number): number {
  return 3 * 2 * forwardMacsPerSample(spec) * batchSize;
}

/** How many threads a run trains on, and why. */
export interface SplitPlan {
  threads: number;
  reason: string;
}

/**
 * The plan for a run. `requested` (the --threads option) wins where it can be
 * honoured; otherwise as many threads as the arithmetic pays for, up to the cores.
 */
export function planSplit(spec: ModelSpec, batchSize: number, backend: BackendName, cores: number, requested?: number): SplitPlan {
  if (backend === 'node') return { threads: 1, reason: 'tfjs-node runs each operation on all cores itself' };
  if (backend === 'webgpu') return { threads: 1, reason: 'the GPU runs each operation in parallel itself' };
  const whole = spec.layers.map((l) => layerOp(l.type).wholeBatchReason(l)).find((r) => r !== null);
  if (whole) return { threads: 1, reason: whole };
  const most = Math.max(1, Math.min(batchSize, requested ?? Math.min(cores, MAX_THREADS)));
  if (requested !== undefined) return { threads: most, reason: most === requested ? 'as asked' : `at most ${most} (the batch size)` };
  const byWork = Math.floor(stepFlop(spec, batchSize) / MIN_FLOP_PER_THREAD);
  const threads = Math.max(1, Math.min(most, byWork));
  return { threads, reason: threads > 1 ? `each step has enough arithmetic to share (${(stepFlop(spec, batchSize) / 1e9).toFixed(2)} GFLOP)` : 'too little arithmetic per step to gain from more threads' };
}
