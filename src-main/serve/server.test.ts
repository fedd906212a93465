/**
 * Browser mode's guards, tested with real HTTP and WebSocket clients on
 * 127.0.0.1: nothing for another Host, no socket without the token and our
 * own Origin, no file outside the renderer build, calls validated against
 * the contract, oversized, over-structured and malformed messages refused.
 */
import { mkdtempSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { runFileHref } from '../../src-shared/protocol/run-files';
import type { StudioHandlers } from '../../src-shared/protocol/studio-api';
import { decodeWire, encodeWire } from '../../src-shared/protocol/wire';
import type { WireResult } from '../../src-shared/protocol/wire';
import { TrainingService } from '../services/training-service';
import { MAX_MESSAGE_BYTES, startServer } from './server';
import type { RunningServer } from './server';
import { resolveStaticPath } from './static-files';

let server: RunningServer;
let root: string;
const calls: string[] = [];

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'aes-serve-'));
  mkdirSync(join(root, 'renderer'));
  writeFileSync(join(root, 'renderer/index.html'), '<!doctype html><title>app</title>');
  writeFileSync(join(root, 'secret.txt'), 'not for the browser');
  mkdirSync(join(root, 'runs/run-1/analysis'), { recursive: true });
  mkdirSync(join(root, 'runs/run-2'), { recursive: true });
  writeFileSync(join(root, 'runs/run-1/analysis/anomaly scores.csv'), 'index,score\n0,0.5\n');
  writeFileSync(join(root, 'runs/run-2/metrics.json'), '{}');
  symlinkSync(join(root, 'secret.txt'), join(root, 'runs/run-1/analysis/link.csv'));
  const handlers = {
    'app.getInfo': async () => ({ version: 't', shell: 'browser', platform: 'linux' }),
    'project.read': async (path: string) => {
      calls.push(`read ${path}`);
      return 'text';
    },
    'project.write': async (path: string) => {
      throw new Error(`Cannot write ${path}: the disk is full. Free some space and save again.`);
    },
  } as unknown as StudioHandlers;
  // A training service that never starts a process: these tests make no training calls.
  const training = new TrainingService(() => {
    throw new Error('no trainer in these tests');
  });
  server = await startServer({ port: 0, rendererDir: join(root, 'renderer'), handlers, training, token: 'secret-token', runsDir: join(root, 'runs') });
});

afterAll(() => server.close());

function connect(token: string, origin: string | undefined, host?: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/studio?token=${token}`, { ...(origin && { origin }), ...(host && { headers: { host } }) });
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

function call(ws: WebSocket, name: string, args: unknown[]): Promise<WireResult> {
  return new Promise((resolve) => {
    ws.once('message', (data) => resolve(decodeWire(new Uint8Array(data as Buffer)) as WireResult));
    ws.send(encodeWire({ t: 'call', id: 1, name, args }));
  });
}

describe('browser-mode server', () => {
  it('listens on 127.0.0.1 only', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=secret-token$/);
  });

  it('refuses a socket without the token, with a wrong token, or from a foreign Origin', async () => {
    const own = `http://127.0.0.1:${server.port}`;
    await expect(connect('', own)).rejects.toThrow('HTTP 403');
    await expect(connect('secret-tokeX', own)).rejects.toThrow('HTTP 403');
    await expect(connect('secret-token', 'http://evil.example')).rejects.toThrow('HTTP 403');
    await expect(connect('secret-token', undefined)).rejects.toThrow('HTTP 403');
    const ok = await connect('secret-token', own);
    ok.close();
  });

  it('answers contract calls, and refuses unknown calls and invalid arguments without running them', async () => {
    const ws = await connect('secret-token', `http://127.0.0.1:${server.port}`);
    expect(await call(ws, 'app.getInfo', [])).toMatchObject({ ok: true, value: { shell: 'browser' } });
    expect(await call(ws, 'shell.exec', ['rm -rf /'])).toMatchObject({ ok: false, error: 'Refused shell.exec: not part of the Studio API.' });
    expect(await call(ws, 'project.read', [42])).toMatchObject({ ok: false, error: expect.stringMatching(/^Refused project\.read: invalid arguments/) });
    expect(calls).toEqual([]);
    ws.close();
  });

  it("answers a handler's failure in the same envelope as IPC, with the handler's own message", async () => {
    const ws = await connect('secret-token', `http://127.0.0.1:${server.port}`);
    expect(await call(ws, 'project.write', ['/p.aes.json', '{}'])).toEqual({ t: 'result', id: 1, ok: false, error: 'Cannot write /p.aes.json: the disk is full. Free some space and save again.' });
    ws.close();
  });

  it('closes the socket on a malformed or oversized message', async () => {
    const own = `http://127.0.0.1:${server.port}`;
    const a = await connect('secret-token', own);
    const closedA = new Promise<number>((r) => a.once('close', (code) => r(code)));
    a.send(Buffer.from([0xc1, 0x00]));
    expect(await closedA).toBe(1003);
    const b = await connect('secret-token', own);
    const closedB = new Promise<number>((r) => b.once('close', (code) => r(code)));
    b.send(Buffer.alloc(MAX_MESSAGE_BYTES + 1));
    expect(await closedB).toBe(1009); // "message too big"
  });

  it('refuses HTTP requests and sockets that name another host (DNS rebinding), and answers to 127.0.0.1 and localhost', async () => {
    const status = (host: string) =>
      new Promise<number>((resolve, reject) => {
        get({ host: '127.0.0.1', port: server.port, path: '/', headers: { host } }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        }).once('error', reject);
      });
    expect(await status(`evil.example:${server.port}`)).toBe(421);
    expect(await status('127.0.0.1')).toBe(421); // our name, but not our port
    expect(await status(`127.0.0.1:${server.port}`)).toBe(200);
    expect(await status(`localhost:${server.port}`)).toBe(200);
    const own = `http://127.0.0.1:${server.port}`;
    await expect(connect('secret-token', own, `evil.example:${server.port}`)).rejects.toThrow('HTTP 403');
    (await connect('secret-token', own, `localhost:${server.port}`)).close();
  });

  it('refuses a 19 MB frame of nested empty arrays before decoding it, and still answers another client afterwards', async () => {
    const own = `http://127.0.0.1:${server.port}`;
    const other = await connect('secret-token', own);
    const attacker = await connect('secret-token', own);
    const closed = new Promise<number>((r) => attacker.once('close', (code) => r(code)));
    const bomb = Buffer.alloc(19 * 1024 * 1024, 0x91); // [[[[…]]]]: fixarray of one, nested 19 million deep
    bomb[bomb.length - 1] = 0x90;
    attacker.send(bomb);
    expect(await closed).toBe(1009);
    expect(await call(other, 'app.getInfo', [])).toMatchObject({ ok: true, value: { shell: 'browser' } });
    // A flat frame of a million empty arrays is over the item limit too.
    const flat = await connect('secret-token', own);
    const flatClosed = new Promise<number>((r) => flat.once('close', (code) => r(code)));
    flat.send(Buffer.concat([Buffer.from([0xdd, 0x00, 0x0f, 0x42, 0x40]), Buffer.alloc(1_000_000, 0x90)]));
    expect(await flatClosed).toBe(1009);
    expect(await call(other, 'app.getInfo', [])).toMatchObject({ ok: true });
    other.close();
  });

  it('serves the renderer build and nothing outside it', async () => {
    const get = (path: string) => fetch(`http://127.0.0.1:${server.port}${path}`).then((r) => r.status);
    expect(await get('/')).toBe(200);
    expect(await get('/../secret.txt')).toBe(404);
    expect(await get('/%2e%2e/secret.txt')).toBe(404);
    expect(await get('/..%2fsecret.txt')).toBe(404);
    expect(resolveStaticPath('/srv/app', '/../../etc/passwd')).toBe('/srv/app/etc/passwd'); // dot-dots cannot climb out: still inside the root
    expect(resolveStaticPath('/srv/app', '/a%00.html')).toBeNull();
    expect(resolveStaticPath('/srv/app', '/assets/x.js')).toBe('/srv/app/assets/x.js');
  });

  it("offers a run's files for download with the token, as attachments, and nothing outside that run's folder", async () => {
    const get = (runId: string, file: string, token = 'secret-token') => fetch(`http://127.0.0.1:${server.port}${runFileHref({ runId, file, token })}`);
    const ok = await get('run-1', join(root, 'runs/run-1/analysis/anomaly scores.csv'));
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-disposition')).toBe(`attachment; filename="anomaly_scores.csv"; filename*=UTF-8''anomaly%20scores.csv`);
    expect(ok.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(await ok.text()).toBe('index,score\n0,0.5\n');
    expect((await get('run-1', 'analysis/anomaly scores.csv')).status).toBe(200); // relative to the run folder too

    expect((await get('run-1', join(root, 'runs/run-1/analysis/anomaly scores.csv'), '')).status).toBe(403);
    expect((await get('run-1', join(root, 'runs/run-1/analysis/anomaly scores.csv'), 'secret-tokeX')).status).toBe(403);
    const refused = async (runId: string, file: string) => {
      const r = await get(runId, file);
      return [r.status, (await r.text()).includes('not for the browser')];
    };
    expect(await refused('run-1', join(root, 'secret.txt'))).toEqual([404, false]); // another folder
    expect(await refused('run-1', '../../secret.txt')).toEqual([404, false]);
    expect(await refused('run-1', join(root, 'runs/run-2/metrics.json'))).toEqual([404, false]); // another run
    expect(await refused('run-1', join(root, 'runs/run-1/analysis/link.csv'))).toEqual([404, false]); // a link that leads out
    expect(await refused('run-1', join(root, 'runs/run-1/analysis'))).toEqual([404, false]); // a folder
    expect(await refused('../runs', 'run-1/analysis/anomaly scores.csv')).toEqual([400, false]);
    expect(await refused('/etc', 'passwd')).toEqual([400, false]);
  });
});
