/**
 * The preload script: the only code with both the renderer's window and
 * Electron's IPC. It exposes `window.studio` (the StudioApi contract) and
 * nothing else; it runs sandboxed, so it may import only electron's
 * contextBridge/ipcRenderer and src-shared.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { channelOf } from '../../src-shared/protocol/channels';
import type { AppCommand, StudioApi, StudioCallArgs, StudioCallName, StudioCallResult, StudioEventName } from '../../src-shared/protocol/studio-api';
import type { TrainerEvent } from '../../src-shared/protocol/trainer-messages';

function invoke<K extends StudioCallName>(name: K, ...args: StudioCallArgs<K>): Promise<StudioCallResult<K>> {
  return ipcRenderer.invoke(channelOf(name), ...args) as Promise<StudioCallResult<K>>;
}

function subscribe<T>(name: StudioEventName, listener: (payload: T) => void): () => void {
  const channel = channelOf(name);
  const handler = (_event: unknown, payload: T) => listener(payload);
  ipcRenderer.on(channel, handler);
  return () => void ipcRenderer.removeListener(channel, handler);
}

const studio = {
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
    export: (runId, formats, folder) => invoke('runs.export', runId, formats, folder),
  },
  datasets: {
    preview: (ref) => invoke('datasets.preview', ref),
  },
  onCommand: (listener) => subscribe<AppCommand>('app.command', listener),
} satisfies StudioApi;

contextBridge.exposeInMainWorld('studio', studio);
