/**
 * Starts the trainer as an Electron utilityProcess (a Node process managed
 * by Electron, as VS Code and Actual Budget run their backends): tfjs-node's
 * native addon then loads in a plain Node context, never in the main process.
 */
import { utilityProcess } from 'electron';
import { join } from 'node:path';
import type { TrainerLauncher } from '../trainer/host/trainer-child';

/** A launcher for the bundled trainer (out/main/trainer.js). */
export function utilityProcessLauncher(): TrainerLauncher {
  return () => {
    const child = utilityProcess.fork(join(import.meta.dirname, 'trainer.js'), [], { serviceName: 'Autoencoder Studio trainer', stdio: 'inherit' });
    return {
      pid: child.pid,
      send: (m) => child.postMessage(m),
      onMessage: (h) => void child.on('message', h),
      onExit: (h) => void child.on('exit', (code) => h(`exit code ${code}`)),
      kill: () => void child.kill(),
    };
  };
}
