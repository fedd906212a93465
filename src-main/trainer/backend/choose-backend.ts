/**
 * Picks the TensorFlow.js backend inside the trainer process: tfjs-node
 * (native libtensorflow) first, then WebAssembly, then plain JavaScript,
 * saying why each better one was not used. Loaded only here: tfjs-node's
 * addon must never load in the main process or a worker thread.
 */
import * as tf from '@tensorflow/tfjs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { BackendName } from '../../../src-shared/protocol/trainer-messages';
import { registerCpuTrainingKernels, registerNodeTrainingKernels, registerWasmTrainingKernels } from './kernel-fixes';
import type { NodeKernelBackendModule } from './kernel-fixes';

/** A backend that was asked for by name and cannot load. */
export class BackendError extends Error {
  /** What to try. */
  readonly hint = 'Choose another backend (wasm or cpu), or none to use the best one that loads.';
}

/** The backend in use and why better ones were passed over. */
export interface BackendChoice {
  name: BackendName;
  notes: string[];
}

// Not named `require`: the bundler injects its own `require` into chunks shared by several entries.
const requireHere = createRequire(import.meta.url);

/** Names of the backends as TF.js registers them. */
const TF_NAME: Record<BackendName, string> = { node: 'tensorflow', wasm: 'wasm', cpu: 'cpu' };

async function loadNode(): Promise<void> {
  try {
    requireHere.resolve('@tensorflow/tfjs-node');
  } catch (e) {
    throw new Error('tfjs-node is not installed (its native TensorFlow library could not be downloaded when the app was installed)', { cause: e });
  }
  try {
    const specifier = '@tensorflow/tfjs-node'; // optional: a variable, so nothing resolves it at build time
    await import(/* @vite-ignore */ specifier);
  } catch (e) {
    throw new Error(`tfjs-node is installed but its native library failed to load: ${(e as Error).message.split('\n')[0]}`, { cause: e });
  }
  registerNodeTrainingKernels(requireHere('@tensorflow/tfjs-node/dist/nodejs_kernel_backend') as NodeKernelBackendModule);
  registerCpuTrainingKernels(); // gradients checked against cpu's need cpu's fixes too
  if (!(await tf.setBackend(TF_NAME.node))) throw new Error('tfjs-node loaded but its backend did not initialise');
}

async function loadWasm(): Promise<void> {
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  // In Node the .wasm binaries are read from the package folder (trailing slash: it is a prefix).
  wasm.setWasmPaths(`${join(dirname(requireHere.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist')}/`);
  registerWasmTrainingKernels();
  registerCpuTrainingKernels(); // the wasm backend falls back to cpu kernels for some ops
  if (!(await tf.setBackend(TF_NAME.wasm))) throw new Error('the WebAssembly backend did not initialise');
}

async function loadCpu(): Promise<void> {
  registerCpuTrainingKernels();
  if (!(await tf.setBackend(TF_NAME.cpu))) throw new Error('the JavaScript backend did not initialise');
}

const LOADERS: Record<BackendName, () => Promise<void>> = { node: loadNode, wasm: loadWasm, cpu: loadCpu };

/**
 * Activates `forced`, or the best backend that loads. A forced backend that
 * cannot load is an error that says why; nothing falls back silently then.
 */
export async function chooseBackend(forced?: BackendName): Promise<BackendChoice> {
  tf.env().set('PROD', true); // no debug checks in the hot loop, no console banners: our notes say which backend and why
  if (forced) {
    try {
      await LOADERS[forced]();
    } catch (e) {
      throw new BackendError(`The ${forced} backend cannot be used: ${(e as Error).message}`, { cause: e });
    }
    return { name: forced, notes: [] };
  }
  const notes: string[] = [];
  for (const name of ['node', 'wasm', 'cpu'] as const) {
    try {
      await LOADERS[name]();
      return { name, notes };
    } catch (e) {
      notes.push(`${name}: ${(e as Error).message}`);
    }
  }
  throw new Error(`No TensorFlow.js backend could be started (${notes.join('; ')})`);
}
