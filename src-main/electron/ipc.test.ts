/**
 * IPC binding at the Electron boundary: ipcMain and ipcRenderer replaced by
 * recorders that behave as Electron's do (a handler that throws reaches the
 * renderer wrapped in "Error invoking remote method"), wired through the real
 * preload transport and the real client: the contract's channels, sender
 * checks, payload validation, the error envelope and typed events.
 */
import { describe, expect, it } from 'vitest';
import { channelOf } from '../../src-shared/protocol/channels';
import { STUDIO_CALLS } from '../../src-shared/protocol/studio-api';
import type { StudioHandlers } from '../../src-shared/protocol/studio-api';
import { createStudioClient } from '../../src-shared/protocol/studio-client';
import type { TrainerEvent } from '../../src-shared/protocol/trainer-messages';
import { ipcTransport } from '../../src-shared/protocol/ipc-transport';
import { bindStudioIpc, sendStudioEvent } from './ipc';

type Handler = (event: unknown, ...args: unknown[]) => Promise<unknown>;

function fakeIpcMain() {
  const handlers = new Map<string, Handler>();
  return {
    handlers,
    ipc: { handle: (ch: string, h: Handler) => void handlers.set(ch, h), removeHandler: (ch: string) => void handlers.delete(ch) },
  };
}

type Listener = (event: unknown, payload: unknown) => void;

/** ipcRenderer and a window's webContents joined to a fake ipcMain, with Electron's own rejection wording. */
function fakeElectron() {
  const main = fakeIpcMain();
  const listeners = new Map<string, Set<Listener>>();
  const renderer = {
    invoke: async (channel: string, ...args: unknown[]) => {
      const h = main.handlers.get(channel);
      if (!h) throw new Error(`Error invoking remote method '${channel}': Error: No handler registered for '${channel}'`);
      try {
        return await h({}, ...args);
      } catch (e) {
        throw new Error(`Error invoking remote method '${channel}': ${String(e)}`, { cause: e }); // what Electron does with a handler's throw
      }
    },
    on: (channel: string, l: Listener) => (listeners.set(channel, (listeners.get(channel) ?? new Set()).add(l)), renderer),
    removeListener: (channel: string, l: Listener) => (listeners.get(channel)?.delete(l), renderer),
  };
  const webContents = { send: (channel: string, payload: unknown) => listeners.get(channel)?.forEach((l) => l({}, structuredClone(payload))) };
  return { main, renderer, webContents, listeners };
}

const calls: string[] = [];
const handlers: StudioHandlers = {
  'app.getInfo': async () => ({ version: '1.2.3', shell: 'electron', platform: 'linux' }),
  'training.start': async () => 'run-1',
  'training.pause': async (id) => void calls.push(`pause ${id}`),
  'training.resume': async (id) => void calls.push(`resume ${id}`),
  'training.stop': async (id) => void calls.push(`stop ${id}`),
  'training.current': async () => [],
  'training.watch': async (id) => void calls.push(`watch ${id}`),
  'project.read': async () => '',
  'project.write': async () => undefined,
  'project.pickPath': async () => ({ kind: 'canceled' }),
  'project.recent': async () => [],
  'project.noteRecent': async () => [],
  'project.defaultDir': async () => '/home/u/projects',
  'project.writeRecovery': async () => undefined,
  'project.readRecovery': async () => null,
  'runs.list': async () => [],
  'runs.delete': async () => undefined,
  'runs.annotate': async () => undefined,
  'runs.reconstructions': async () => new Uint8Array(0),
  'runs.project': async () => '',
  'runs.resume': async () => 'r',
  'runs.export': async () => ({ folder: '/x', files: [] }),
  'runs.analyze': async () => {
    throw new Error('not used here');
  },
  'runs.decode': async () => ({ shape: [1, 1, 1], count: 0, pixels: new Uint8Array(0) }),
  'datasets.preview': async () => {
    throw new Error('not used here');
  },
};

describe('bindStudioIpc', () => {
  it('registers one prefixed channel per contract call, and removes them all again', () => {
    const f = fakeIpcMain();
    const unbind = bindStudioIpc(f.ipc as never, handlers, () => true);
    expect([...f.handlers.keys()].sort()).toEqual(Object.keys(STUDIO_CALLS).map(channelOf).sort());
    expect([...f.handlers.keys()].every((c) => c.startsWith('studio:'))).toBe(true);
    unbind();
    expect(f.handlers.size).toBe(0);
  });

  it('answers a trusted sender with the handler result in the envelope', async () => {
    const f = fakeIpcMain();
    bindStudioIpc(f.ipc as never, handlers, () => true);
    await expect(f.handlers.get('studio:app.getInfo')!({})).resolves.toEqual({ ok: true, value: { version: '1.2.3', shell: 'electron', platform: 'linux' } });
  });

  it('refuses a call from a frame that is not the app window', async () => {
    const f = fakeIpcMain();
    bindStudioIpc(f.ipc as never, handlers, () => false);
    await expect(f.handlers.get('studio:app.getInfo')!({})).resolves.toEqual({ ok: false, error: 'Refused app.getInfo: the call did not come from the Autoencoder Studio window.' });
  });

  it('refuses arguments the contract does not declare, without running the handler', async () => {
    const f = fakeIpcMain();
    bindStudioIpc(f.ipc as never, handlers, () => true);
    const refused = (p: Promise<unknown>) => expect(p).resolves.toMatchObject({ ok: false });
    await refused(f.handlers.get('studio:app.getInfo')!({}, 'extra'));
    await expect(f.handlers.get('studio:training.start')!({}, { spec: { layers: 'all of them' } })).resolves.toEqual({ ok: false, error: expect.stringMatching(/^Refused training.start: invalid arguments/) });
    await expect(f.handlers.get('studio:training.stop')!({}, 42)).resolves.toEqual({ ok: false, error: expect.stringMatching(/^Refused training.stop: invalid arguments/) });
    expect(calls).toEqual([]);
    await f.handlers.get('studio:training.stop')!({}, 'run-1');
    expect(calls).toEqual(['stop run-1']);
  });
});

describe('the renderer client over Electron IPC', () => {
  it('calls every namespace method of the table through its own channel', async () => {
    const e = fakeElectron();
    bindStudioIpc(e.main.ipc as never, handlers, () => true);
    const api = createStudioClient(ipcTransport(e.renderer));
    expect(Object.keys(api).sort()).toEqual(['app', 'datasets', 'on', 'project', 'runs', 'training']);
    const methods = Object.entries(api).flatMap(([ns, m]) => (typeof m === 'function' ? [] : Object.keys(m).map((k) => `${ns}.${k}`)));
    expect(methods.sort()).toEqual(Object.keys(STUDIO_CALLS).sort());
    await expect(api.app.getInfo()).resolves.toEqual({ version: '1.2.3', shell: 'electron', platform: 'linux' });
    await expect(api.project.defaultDir()).resolves.toBe('/home/u/projects');
    // An optional argument left out is not sent as undefined.
    await expect(api.runs.export('r', ['tfjs'])).resolves.toEqual({ folder: '/x', files: [] });
  });

  it("gives a handler's failure with its own message: Electron's 'Error invoking remote method' prefix never reaches it", async () => {
    const e = fakeElectron();
    const failing: StudioHandlers = { ...handlers, 'project.read': async (path) => Promise.reject(new Error(`Cannot read ${path}: no such file. Check the path.`)) };
    bindStudioIpc(e.main.ipc as never, failing, () => true);
    const api = createStudioClient(ipcTransport(e.renderer));
    const error = await api.project.read('/nope.aes.json').catch((x: unknown) => x as Error);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toBe('Cannot read /nope.aes.json: no such file. Check the path.');
    // Refusals and a channel Electron has no handler for read the same way.
    const refused = await api.training.stop(42 as unknown as string).catch((x: unknown) => (x as Error).message);
    expect(refused).toMatch(/^Refused training.stop: invalid arguments/);
    const transport = ipcTransport(e.renderer);
    const gone = await createStudioClient({ ...transport, invoke: (_name, args) => transport.invoke('no.suchCall', args) })
      .app.getInfo()
      .catch((x: unknown) => (x as Error).message);
    expect(gone).toBe("No handler registered for 'studio:no.suchCall'");
  });

  it('delivers events by name with their payloads, and unsubscribes', () => {
    const e = fakeElectron();
    const api = createStudioClient(ipcTransport(e.renderer));
    const got: TrainerEvent[] = [];
    const commands: string[] = [];
    const off = api.on('training.event', (event) => got.push(event));
    api.on('app.command', (c) => commands.push(c));
    sendStudioEvent(e.webContents, 'training.event', { type: 'paused', runId: 'r' });
    sendStudioEvent(e.webContents, 'app.command', 'save');
    off();
    sendStudioEvent(e.webContents, 'training.event', { type: 'resumed', runId: 'r' });
    expect(got).toEqual([{ type: 'paused', runId: 'r' }]);
    expect(commands).toEqual(['save']);
  });
});

describe('the derived types (checked by tsc: a wrong line here fails the typecheck)', () => {
  it('types each method from its table entry and each event payload by its name', () => {
    const api = createStudioClient(ipcTransport(fakeElectron().renderer));
    const typed = () => {
      // @ts-expect-error training.start takes a request
      void api.training.start();
      // @ts-expect-error a run id is a string
      void api.training.stop(1);
      // @ts-expect-error no such call in the table
      void api.training.rewind('r');
      // @ts-expect-error app.command's payload is a command name, not a trainer event
      api.on('app.command', (c: TrainerEvent) => c);
      // @ts-expect-error no such event
      api.on('training.events', () => undefined);
      const info: Promise<{ version: string }> = api.app.getInfo();
      return info;
    };
    expect(typeof typed).toBe('function');
  });
});
