/**
 * The StudioApi calls implemented on the services, shared by the Electron
 * IPC binding and the browser mode's WebSocket binding.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { StudioHandlers } from '../../src-shared/protocol/studio-api';
import type { TrainingService } from './training-service';

/** Where the services keep things, per shell. */
export interface HandlerContext {
  version: string;
  shell: 'electron' | 'browser';
  cacheDir: string;
  /** Each run writes its metrics, weights and reconstructions to a folder of its own here. */
  runsDir: string;
  training: TrainingService;
}

/** Every call of the contract, bound to the services. */
export function createStudioHandlers(ctx: HandlerContext): StudioHandlers {
  return {
    'app.getInfo': async () => ({ version: ctx.version, shell: ctx.shell, platform: process.platform }),
    'training.start': async (req) => {
      const runId = randomUUID();
      const options = { cacheDir: ctx.cacheDir, outDir: join(ctx.runsDir, runId), backend: req.backend, maxSamples: req.maxSamples };
      return ctx.training.start({ runId, spec: req.spec, dataset: req.dataset, settings: req.settings, options });
    },
    'training.pause': async (runId) => ctx.training.pause(runId),
    'training.resume': async (runId) => ctx.training.resume(runId),
    'training.stop': async (runId) => ctx.training.stop(runId),
  };
}
