/**
 * Loads TensorFlow.js backends inside the trainer process: tfjs-node (native
 * libtensorflow), WebAssembly, plain JavaScript. A training run picks among
 * the ones that load by measuring its own model (measure-backends.ts); work
 * with no model to measure (exports, analyses) takes WebAssembly first, the
 * backend whose kernels this app tunes and checks. Loaded only here:
 * tfjs-node's addon must never load in the main process or a worker thread.
 */
import * as tf from '@tensorflow/tfjs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { BackendMeasurement, BackendName } from '../../../src-shared/protocol/trainer-messages';
import { registerCpuTrainingKernels, registerNodeTrainingKernels, registerWasmTrainingKernels, registerWebgpuTrainingKernels } from './kernel-fixes';
import type { NodeKernelBackendModule } from './kernel-fixes';
import { ensureWebgpuAdapter, webgpuAdapter } from './webgpu-device';

/** A backend that was asked for by name and cannot load. */
export class BackendError extends Error {
  /** What to try. */
  readonly hint = 'Choose another backend (wasm or cpu), or none to use the best one that loads.';
}

/** The backend in use, why others were passed over, and what was measured to choose it. */
export interface BackendChoice {
  name: BackendName;
  /** Backends that did not load, and why. */
  notes: string[];
  /** The timed training steps behind the choice (null when forced or when only one backend loads). */
  measurement: BackendMeasurement | null;
  /** Threads each batch is split across, where chosen with the backend (null: the split planner decides). */
  threads: number | null;
}

// Not named `require`: the bundler injects its own `require` into chunks shared by several entries.
const requireHere = createRequire(import.meta.url);

/** Names of the backends as TF.js registers them. */
export const TF_NAME: Record<BackendName, string> = { node: 'tensorflow', wasm: 'wasm', webgpu: 'webgpu', cpu: 'cpu' };

/** Throws, saying so, where tfjs-node is not installed; loads nothing. */
function nodeInstalled(): void {
  try {
    requireHere.resolve('@tensorflow/tfjs-node');
  } catch (e) {
    throw new Error('tfjs-node is not installed (its native TensorFlow library could not be downloaded when the app was installed)', { cause: e });
  }
}

async function loadNode(): Promise<void> {
  nodeInstalled();
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

async function loadWebgpu(): Promise<void> {
  const adapter = await ensureWebgpuAdapter();
  const specifier = '@tensorflow/tfjs-backend-webgpu'; // registers the backend; loaded only when asked for
  await import(/* @vite-ignore */ specifier);
  registerWebgpuTrainingKernels();
  registerCpuTrainingKernels(); // gradients checked against cpu's need cpu's fixes too
  if (!(await tf.setBackend(TF_NAME.webgpu))) throw new Error(`the WebGPU backend did not initialise on ${adapter.description || 'the adapter'}`);
}

async function loadCpu(): Promise<void> {
  registerCpuTrainingKernels();
  if (!(await tf.setBackend(TF_NAME.cpu))) throw new Error('the JavaScript backend did not initialise');
}

const LOADERS: Record<BackendName, () => Promise<void>> = { node: loadNode, wasm: loadWasm, webgpu: loadWebgpu, cpu: loadCpu };

/** Without a model to measure: WebAssembly (our tuned kernels) before tfjs-node, plain JavaScript last (WebGPU only when asked for). */
const UNMEASURED_ORDER: readonly BackendName[] = ['wasm', 'node', 'cpu'];
/** Worth measuring against each other; plain JavaScript only runs when none loads. */
const MEASURED: readonly BackendName[] = ['node', 'wasm', 'webgpu'];

/** Makes `name` the active backend (loading it the first time). */
export async function activateBackend(name: BackendName): Promise<void> {
  await LOADERS[name]();
}

/**
 * The backends worth measuring that load here, and why the others did not.
 * With `nodeUnloaded`, tfjs-node is listed where it is installed without
 * loading it into this process.
 */
export async function loadableBackends(options: { nodeUnloaded?: boolean } = {}): Promise<{ loaded: BackendName[]; notes: string[] }> {
  tf.env().set('PROD', true);
  const loaded: BackendName[] = [];
  const notes: string[] = [];
  for (const name of MEASURED) {
    try {
      if (name === 'node' && options.nodeUnloaded) {
        // Listed where installed, not loaded: its trial loads it in a process of its own (measure-backends.ts), and a load that fails there is that trial's error.
        nodeInstalled();
        loaded.push(name);
        continue;
      }
      // A software adapter (SwiftShader, llvmpipe) is the CPU pretending to be a GPU: never faster, and slow to time.
      if (name === 'webgpu' && (await ensureWebgpuAdapter()).software) throw new Error(`only a software adapter (${webgpuAdapter()!.description}), not a GPU`);
      await LOADERS[name]();
      loaded.push(name);
    } catch (e) {
      notes.push(`${name}: ${(e as Error).message}`);
    }
  }
  return { loaded, notes };
}

/**
 * Activates `forced`, or the first of {@link UNMEASURED_ORDER} that loads. A
 * forced backend that cannot load is an error that says why; nothing falls
 * back silently then.
 */
export async function chooseBackend(forced?: BackendName): Promise<BackendChoice> {
  tf.env().set('PROD', true); // no debug checks in the hot loop, no console banners: our notes say which backend and why
  if (forced) {
    try {
      await LOADERS[forced]();
    } catch (e) {
      throw new BackendError(`The ${forced} backend cannot be used: ${(e as Error).message}`, { cause: e });
    }
    return { name: forced, notes: [], measurement: null, threads: null };
  }
  const notes: string[] = [];
  for (const name of UNMEASURED_ORDER) {
    try {
      await LOADERS[name]();
      return { name, notes, measurement: null, threads: null };
    } catch (e) {
      notes.push(`${name}: ${(e as Error).message}`);
    }
  }
  throw new Error(`No TensorFlow.js backend could be started (${notes.join('; ')})`);
}
