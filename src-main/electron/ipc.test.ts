/** IPC binding with ipcMain replaced by a recorder: the contract's channels, sender checks and payload validation. */
import { describe, expect, it } from 'vitest';
import { channelOf } from '../../src-shared/protocol/channels';
import { STUDIO_CALLS } from '../../src-shared/protocol/studio-api';
import type { StudioHandlers } from '../../src-shared/protocol/studio-api';
import { bindStudioIpc } from './ipc';

type Handler = (event: unknown, ...args: unknown[]) => Promise<unknown>;

function fakeIpcMain() {
  const handlers = new Map<string, Handler>();
  return {
    handlers,
    ipc: { handle: (ch: string, h: Handler) => void handlers.set(ch, h), removeHandler: (ch: string) => void handlers.delete(ch) },
  };
}

const calls: string[] = [];
const handlers: StudioHandlers = {
  'app.getInfo': async () => ({ version: '1.2.3', shell: 'electron', platform: 'linux' }),
  'training.start': async () => 'run-1',
  'training.pause': async (id) => void calls.push(`pause ${id}`),
  'training.resume': async (id) => void calls.push(`resume ${id}`),
  'training.stop': async (id) => void calls.push(`stop ${id}`),
  'training.current': async () => [],
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

  it('answers a trusted sender with the handler result', async () => {
    const f = fakeIpcMain();
    bindStudioIpc(f.ipc as never, handlers, () => true);
    await expect(f.handlers.get('studio:app.getInfo')!({})).resolves.toEqual({ version: '1.2.3', shell: 'electron', platform: 'linux' });
  });

  it('refuses a call from a frame that is not the app window', async () => {
    const f = fakeIpcMain();
    bindStudioIpc(f.ipc as never, handlers, () => false);
    await expect(f.handlers.get('studio:app.getInfo')!({})).rejects.toThrow('Refused app.getInfo: the call did not come from the Autoencoder Studio window.');
  });

  it('refuses arguments the contract does not declare', async () => {
    const f = fakeIpcMain();
    bindStudioIpc(f.ipc as never, handlers, () => true);
    await expect(f.handlers.get('studio:app.getInfo')!({}, 'extra')).rejects.toThrow(/Refused app.getInfo: invalid arguments/);
    await expect(f.handlers.get('studio:training.start')!({}, { spec: { layers: 'all of them' } })).rejects.toThrow(/Refused training.start: invalid arguments/);
    await expect(f.handlers.get('studio:training.stop')!({}, 42)).rejects.toThrow(/Refused training.stop: invalid arguments/);
    expect(calls).toEqual([]);
    await f.handlers.get('studio:training.stop')!({}, 'run-1');
    expect(calls).toEqual(['stop run-1']);
  });
});
