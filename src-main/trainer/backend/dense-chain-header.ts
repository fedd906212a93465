/**
 * The dense chain's shared header as chain.c lays it out, and what its worker
 * threads are told: shared by dense-chain.ts and its worker entry (which
 * must not load TF.js).
 */

/** Header words, as chain.c's enum numbers them (int32 index from the header's start). */
export const H = {
  GO: 0,
  BAR_COUNT: 16,
  BAR_GEN: 32,
  STOP: 48,
  FAILED: 49,
  THREADS: 64,
  LAYERS: 65,
  ROWS: 66,
  LOSS: 67,
  INPUT: 68,
  PARAMS: 69,
  MOM1: 70,
  MOM2: 71,
  GRADS: 72,
  GRADS_STRIDE: 73,
  PARAM_COUNT: 74,
  SCRATCH_STRIDE: 75,
  DELTA_A: 76,
  DELTA_B: 77,
  SPIN: 79,
  PATIENCE: 80,
  LR: 96,
  BETA1: 97,
  BETA2: 98,
  OMB1: 99,
  OMB2: 100,
  EPS: 101,
  C1: 102,
  C2: 103,
  BCE_EPS: 104,
  LAYER0: 128,
  LOSS_PARTS: 448,
} as const;
/** Messages from a chain worker thread. */
export type ChainWorkerEvent = { type: 'ready' } | { type: 'stopped' } | { type: 'failed'; message: string };
/** What a chain worker thread is started with (workerData). */
export interface ChainWorkerData {
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  tid: number;
}

