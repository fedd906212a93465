/**
 * The StudioApi object over any transport, from two functions: one that
 * makes a call by name and one that subscribes to an event. The Electron
 * preload (IPC) and browser mode (WebSocket) both build `window.studio` here,
 * so the list of calls exists once. Types only from studio-api: no zod, so
 * the sandboxed preload bundle stays small and dependency-free.
 */
import type { AppCommand, StudioApi, StudioCallArgs, StudioCallName, StudioCallResult, StudioEventName } from './studio-api';
import type { TrainerEvent } from './trainer-messages';

/** Makes one call of the contract. */
export type Invoke = <K extends StudioCallName>(name: K, ...args: StudioCallArgs<K>) => Promise<StudioCallResult<K>>;
/** Subscribes to one event of the contract; returns the unsubscribe function. */
export type Subscribe = <T>(name: StudioEventName, listener: (payload: T) => void) => () => void;

/** `window.studio` over the given transport. */
export function createStudioClient(invoke: Invoke, subscribe: Subscribe): StudioApi {
  return {
    app: {
      getInfo: () => invoke('app.getInfo'),
    },
    training: {
      start: (request) => invoke('training.start', request),
      pause: (runId) => invoke('training.pause', runId),
      resume: (runId) => invoke('training.resume', runId),
      stop: (runId) => invoke('training.stop', runId),
      onEvent: (listener) => subscribe<TrainerEvent>('training.event', listener),
      current: () => invoke('training.current'),
    },
    project: {
      read: (path) => invoke('project.read', path),
      write: (path, text) => invoke('project.write', path, text),
      pickPath: (options) => invoke('project.pickPath', options),
      recent: () => invoke('project.recent'),
      noteRecent: (path) => invoke('project.noteRecent', path),
      defaultDir: () => invoke('project.defaultDir'),
      writeRecovery: (r) => invoke('project.writeRecovery', r),
      readRecovery: () => invoke('project.readRecovery'),
    },
    runs: {
      list: () => invoke('runs.list'),
      delete: (runId) => invoke('runs.delete', runId),
      project: (runId) => invoke('runs.project', runId),
      resume: (runId) => invoke('runs.resume', runId),
      export: (runId, formats, folder) => invoke('runs.export', runId, formats, folder),
      // Defaults are filled in where the request is validated (main), so the caller may leave them out.
      analyze: (runId, request) => invoke('runs.analyze', runId, request as StudioCallArgs<'runs.analyze'>[1]),
      decode: (runId, request) => invoke('runs.decode', runId, request),
    },
    datasets: {
      preview: (ref) => invoke('datasets.preview', ref),
    },
    onCommand: (listener) => subscribe<AppCommand>('app.command', listener),
  };
}
