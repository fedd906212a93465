/**
 * window.studio in browser mode: the StudioApi over the server's WebSocket.
 * The rest of the renderer cannot tell it from the Electron preload.
 */
import type { AppCommand, StudioApi, StudioCallName } from '../../src-shared/protocol/studio-api';
import type { TrainerEvent } from '../../src-shared/protocol/trainer-messages';
import { decodeWire, encodeWire } from '../../src-shared/protocol/wire';
import type { WireMessage } from '../../src-shared/protocol/wire';

/** Connects to the server that served this page, with the token from the page URL. */
export function createWsStudio(pageUrl: URL): StudioApi {
  const token = pageUrl.searchParams.get('token') ?? '';
  const ws = new WebSocket(`ws://${pageUrl.host}/studio?token=${encodeURIComponent(token)}`);
  ws.binaryType = 'arraybuffer';
  const open = new Promise<void>((resolve, reject) => {
    ws.addEventListener('open', () => resolve());
    ws.addEventListener('error', () => reject(new Error('Cannot reach the Autoencoder Studio server. Is `npm run serve` running, and is the token in the URL right?')));
  });
  let nextId = 1;
  const pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  const trainingListeners = new Set<(e: TrainerEvent) => void>();

  ws.addEventListener('message', (event) => {
    const m = decodeWire(new Uint8Array(event.data as ArrayBuffer)) as WireMessage;
    if (m.t === 'result') {
      const p = pending.get(m.id);
      pending.delete(m.id);
      if (m.ok) p?.resolve(m.value);
      else p?.reject(new Error(m.error));
    } else if (m.t === 'event' && m.name === 'training.event') {
      trainingListeners.forEach((l) => l(m.payload as TrainerEvent));
    }
  });
  ws.addEventListener('close', () => {
    for (const p of pending.values()) p.reject(new Error('Lost the connection to the Autoencoder Studio server. Restart `npm run serve` and reload the page.'));
    pending.clear();
  });

  const call = async <T>(name: StudioCallName, ...args: unknown[]): Promise<T> => {
    await open;
    const id = nextId++;
    // MessagePack has no undefined: a missing optional argument would arrive as null and fail the contract.
    while (args.length && args[args.length - 1] === undefined) args.pop();
    return new Promise<T>((resolve, reject) => {
      pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      ws.send(encodeWire({ t: 'call', id, name, args }));
    });
  };

  return {
    app: { getInfo: () => call('app.getInfo') },
    training: {
      start: (request) => call('training.start', request),
      pause: (runId) => call('training.pause', runId),
      resume: (runId) => call('training.resume', runId),
      stop: (runId) => call('training.stop', runId),
      onEvent: (listener) => {
        trainingListeners.add(listener);
        return () => trainingListeners.delete(listener);
      },
      current: () => call('training.current'),
    },
    project: {
      read: (path) => call('project.read', path),
      write: (path, text) => call('project.write', path, text),
      pickPath: (options) => call('project.pickPath', options),
      recent: () => call('project.recent'),
      noteRecent: (path) => call('project.noteRecent', path),
      defaultDir: () => call('project.defaultDir'),
      writeRecovery: (r) => call('project.writeRecovery', r),
      readRecovery: () => call('project.readRecovery'),
    },
    runs: {
      list: () => call('runs.list'),
      delete: (runId) => call('runs.delete', runId),
      project: (runId) => call('runs.project', runId),
      export: (runId, formats, folder) => call('runs.export', runId, formats, folder),
    },
    datasets: { preview: (ref) => call('datasets.preview', ref) },
    // No native menu in a browser: commands come from the page's own shortcuts and toolbar.
    onCommand: (_listener: (c: AppCommand) => void) => () => undefined,
  };
}
