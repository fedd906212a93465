/**
 * Entry of a dense-chain worker thread (dense-chain.ts): instantiates
 * chain.c against the chain's shared memory and runs its part of every step
 * until told to stop. A trap marks the step failed in the shared header and
 * wakes the others, so the trainer thread's step throws instead of waiting.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { H, type ChainWorkerData, type ChainWorkerEvent } from './dense-chain-header';

const port = parentPort!;
const post = (e: ChainWorkerEvent) => port.postMessage(e);
const { module, memory, tid } = workerData as ChainWorkerData;
const header = new Int32Array(memory.buffer);
try {
  const chain = new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as { chain_worker(header: number, tid: number): number };
  post({ type: 'ready' });
  const code = chain.chain_worker(0, tid);
  post(code === 0 ? { type: 'stopped' } : { type: 'failed', message: 'another training thread failed' });
} catch (e) {
  Atomics.store(header, H.FAILED, 1);
  Atomics.notify(header, H.BAR_GEN);
  post({ type: 'failed', message: e instanceof Error ? e.message : String(e) });
}
