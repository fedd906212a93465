/**
 * Browser mode with the token, through the real server, the real handlers and
 * real files: project.read and project.write touch only .aestudio project
 * files. /etc/passwd is not read, a shell start-up file is not written, a
 * file that is not a project is not overwritten, and FIFOs are refused at once
 * (four of them used to take all of the server's file-system threads, so
 * every later call waited forever).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { serializeProject } from '../../src-shared/project/project-file';
import { decodeWire, encodeWire } from '../../src-shared/protocol/wire';
import type { WireResult } from '../../src-shared/protocol/wire';
import { startServer } from '../../src-main/serve/server';
import type { RunningServer } from '../../src-main/serve/server';
import { createStudioHandlers } from '../../src-main/services/studio-handlers';
import { TrainingService } from '../../src-main/services/training-service';
import { loadTemplate } from '../helpers/templates';

const posix = process.platform !== 'win32';
const PROJECT = serializeProject(loadTemplate('vanilla.aestudio'));
let server: RunningServer;
let root: string;
let ws: WebSocket;
let nextId = 1;
const waiting = new Map<number, (r: WireResult) => void>();

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'aes-hostile-serve-'));
  mkdirSync(join(root, 'renderer'));
  writeFileSync(join(root, 'renderer/index.html'), '<!doctype html><title>app</title>');
  // These tests make no training calls; a launch would be a failure of the test.
  const training = new TrainingService(() => {
    throw new Error('no trainer in these tests');
  });
  const handlers = createStudioHandlers({ version: 't', shell: 'browser', cacheDir: join(root, 'cache'), runsDir: join(root, 'runs'), stateDir: join(root, 'state'), projectsDir: join(root, 'projects'), training, pickPath: async () => ({ kind: 'unsupported' }) });
  server = await startServer({ port: 0, rendererDir: join(root, 'renderer'), handlers, training, token: 'tok' });
  ws = await new Promise<WebSocket>((resolve, reject) => {
    const s = new WebSocket(`ws://127.0.0.1:${server.port}/studio?token=tok`, { origin: `http://127.0.0.1:${server.port}` });
    s.once('open', () => resolve(s));
    s.once('error', reject);
  });
  ws.on('message', (data) => {
    const r = decodeWire(new Uint8Array(data as Buffer)) as WireResult & { id: number };
    waiting.get(r.id)?.(r);
  });
});

afterAll(async () => {
  ws.close();
  await server.close();
});

function call(name: string, args: unknown[]): Promise<WireResult> {
  const id = nextId++;
  return new Promise((resolve) => {
    waiting.set(id, resolve);
    ws.send(encodeWire({ t: 'call', id, name, args }));
  });
}

describe('browser mode: project.read / project.write with the token', () => {
  it.skipIf(!posix)('project.read of /etc/passwd is refused (not a .aestudio file) and returns none of it', async () => {
    const r = await call('project.read', ['/etc/passwd']);
    expect(r).toMatchObject({ ok: false, error: expect.stringMatching(/^\/etc\/passwd is not a project file: only \.aestudio files/) });
    expect(JSON.stringify(r)).not.toContain('root:');
  });

  it.skipIf(!posix)('four FIFOs named .aestudio are refused at once, and the server still answers a real project after them', async () => {
    const fifos = [1, 2, 3, 4].map((i) => join(root, `pipe${i}.aestudio`));
    for (const f of fifos) execFileSync('mkfifo', [f]);
    const answers = await Promise.all(fifos.map((f) => call('project.read', [f])));
    for (const a of answers) expect(a).toMatchObject({ ok: false, error: expect.stringMatching(/is a named pipe \(FIFO\), not a project file/) });
    writeFileSync(join(root, 'real.aestudio'), PROJECT);
    expect(await call('project.read', [join(root, 'real.aestudio')])).toMatchObject({ ok: true, value: PROJECT });
  });

  it('project.write cannot overwrite a shell start-up file, nor a .aestudio file that is not a project; both stay byte for byte', async () => {
    const rc = join(root, '.profile');
    writeFileSync(rc, 'export PATH=$HOME/bin:$PATH\n');
    expect(await call('project.write', [rc, PROJECT])).toMatchObject({ ok: false, error: expect.stringMatching(/\.profile is not a project file: only \.aestudio files can be saved/) });
    const notes = join(root, 'notes.aestudio');
    writeFileSync(notes, 'my notes');
    expect(await call('project.write', [notes, PROJECT])).toMatchObject({ ok: false, error: expect.stringMatching(/^Refused to save over .*notes\.aestudio: it exists and is not an Autoencoder Studio project/) });
    expect(readFileSync(rc, 'utf8')).toBe('export PATH=$HOME/bin:$PATH\n');
    expect(readFileSync(notes, 'utf8')).toBe('my notes');
  });

  it('project.write saves a project, and saves over it again', async () => {
    const file = join(root, 'projects', 'mine.aestudio');
    expect(await call('project.write', [file, PROJECT])).toMatchObject({ ok: true });
    expect(await call('project.write', [file, PROJECT])).toMatchObject({ ok: true });
    expect(readFileSync(file, 'utf8')).toBe(PROJECT);
  });
});
