/**
 * The StudioApi calls implemented on the services, shared by the Electron
 * IPC binding and the browser mode's WebSocket binding.
 */
import type { StudioHandlers } from '../../src-shared/protocol/studio-api';
import type { TrainingService } from './training-service';

/** Where the services keep things, per shell. */
export interface HandlerContext {
  version: string;
  shell: 'electron' | 'browser';
  cacheDir: string;
  training: TrainingService;
}

/** Every call of the contract, bound to the services. */
export function createStudioHandlers(ctx: HandlerContext): StudioHandlers {
  return {
    'app.getInfo': async () => ({ version: ctx.version, shell: ctx.shell, platform: process.platform }),
    'training.start': async (req) => ctx.training.start({ spec: req.spec, dataset: req.dataset, settings: req.settings, options: { cacheDir: ctx.cacheDir, backend: req.backend, maxSamples: req.maxSamples } }),
    'training.pause': async (runId) => ctx.training.pause(runId),
    'training.resume': async (runId) => ctx.training.resume(runId),
    'training.stop': async (runId) => ctx.training.stop(runId),
  };
}
