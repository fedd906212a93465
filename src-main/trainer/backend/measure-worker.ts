/**
 * Entry of the thread or process that times one trial of the backend
 * measurement (measure-backends.ts), so that what the trial grows goes with
 * it. wasm on a thread: timing a step grows the wasm heap to the step's
 * activations, and a wasm heap never shrinks (on the trainer's own thread
 * the one-thread trial left it a whole batch's size for the rest of the run:
 * 466 MB at 64×64×3, batch 128). tfjs-node in a child process: loading it
 * and timing a step left ~900 MB resident at 64×64×3 (its TensorFlow
 * runtime's allocations and libraries), which nothing short of the process
 * ending gave back, and most models train on wasm.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { MeasureTrial } from './measure-backends';
import { chooseBackend } from './choose-backend';
import { timeSteps } from './measure-backends';

/** Times `trial`: { ms } or, where it cannot run (tfjs-node failing to load included), { error }. */
async function time(trial: MeasureTrial): Promise<{ ms: number } | { error: string }> {
  try {
    await chooseBackend(trial.backend);
    return { ms: await timeSteps(trial.spec, trial.settings, trial.backend, trial.threads) };
  } catch (e) {
    return { error: e instanceof Error ? e.message : String(e) };
  }
}

if (parentPort) {
  parentPort.postMessage(await time((workerData as { trial: MeasureTrial }).trial));
} else {
  // A child process: the trial comes as its one message; the answer is sent before it exits.
  // A trainer that goes away (stopped, killed) takes this process with it.
  process.once('disconnect', () => process.exit(0));
  process.once('message', (m: { trial: MeasureTrial }) => {
    void time(m.trial).then((answer) => process.send!(answer, () => process.exit(0)));
  });
}
