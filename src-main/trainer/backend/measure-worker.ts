/**
 * Entry of the thread that times one wasm trial of the backend measurement
 * (measure-backends.ts). Timing a step grows the wasm heap to the step's
 * activations, and a wasm heap never shrinks: on the trainer's own thread
 * the one-thread trial left it a whole batch's size for the rest of the run
 * (466 MB at 64×64×3, batch 128). Here the heap ends with the thread.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { chooseBackend } from './choose-backend';
import { timeSteps, type WasmTrial } from './measure-backends';

const { trial } = workerData as { trial: WasmTrial };
try {
  await chooseBackend('wasm');
  parentPort!.postMessage({ ms: await timeSteps(trial.spec, trial.settings, 'wasm', trial.threads) });
} catch (e) {
  parentPort!.postMessage({ error: e instanceof Error ? e.message : String(e) });
}
