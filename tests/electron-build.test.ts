/**
 * The desktop shell as `electron-vite build` produces it (the Electron binary
 * cannot run here, so its wiring is checked in the bundles): the three
 * bundles exist and are wired to each other, the sandboxed preload needs
 * nothing but electron, and the page sets a CSP.
 */
import { execFileSync, fork } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { TrainerEvent } from '../src-shared/protocol/trainer-messages';
import { TrainingService } from '../src-main/services/training-service';
import { TEST_CACHE_DIR, templateSpec } from './helpers/specs';

const ROOT = join(import.meta.dirname, '..');
const OUT = join(ROOT, 'out');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { main: string };

describe('electron-vite build', () => {
  beforeAll(() => {
    rmSync(OUT, { recursive: true, force: true });
    execFileSync(process.execPath, [join(ROOT, 'node_modules/electron-vite/bin/electron-vite.js'), 'build'], { cwd: ROOT, stdio: 'pipe' });
  }, 120_000);

  it('package.json "main" points at the built main process', () => {
    expect(existsSync(join(import.meta.dirname, '..', pkg.main))).toBe(true);
  });

  it('the main process loads the preload bundle that exists', () => {
    const main = readFileSync(join(OUT, 'main/main.js'), 'utf8');
    expect(main).toContain('../preload/index.cjs');
    expect(existsSync(join(OUT, 'preload/index.cjs'))).toBe(true);
    expect(main).toContain('../renderer/index.html');
    expect(existsSync(join(OUT, 'renderer/index.html'))).toBe(true);
  });

  it('the trainer is bundled beside main, where the utilityProcess launcher forks it', () => {
    expect(readFileSync(join(OUT, 'main/main.js'), 'utf8')).toMatch(/"trainer\.js"/);
    const trainer = readFileSync(join(OUT, 'main/trainer.js'), 'utf8');
    expect(trainer).toContain('@tensorflow/tfjs');
    expect(trainer).not.toMatch(/from "electron"|require\("electron"\)/); // the trainer never needs Electron
  });

  it('the built trainer runs a training whose batches it splits across the bundled helper thread (as Electron forks it, here as a Node child)', async () => {
    expect(existsSync(join(OUT, 'main/gradient-helper.js'))).toBe(true);
    const service = new TrainingService(() => {
      const child = fork(join(OUT, 'main/trainer.js'), [], { serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
      return { pid: child.pid, send: (m) => void child.send(m as never), onMessage: (h) => void child.on('message', h), onExit: (h) => void child.on('exit', (c) => h(`exit code ${c}`)), kill: () => void child.kill() };
    });
    try {
      const { spec, project } = templateSpec('convolutional');
      const events: TrainerEvent[] = [];
      const end = new Promise<TrainerEvent>((resolve) => service.onEvent((e) => (events.push(e), (e.type === 'done' || e.type === 'error') && resolve(e))));
      await service.start({ spec, dataset: { kind: 'builtin', id: 'mnist' }, settings: { ...project.training, epochs: 1, batchSize: 64 }, options: { cacheDir: TEST_CACHE_DIR, maxSamples: 640, quiet: true, threads: 2 } });
      expect(await end).toMatchObject({ type: 'done', status: 'finished' });
      expect(events.find((e) => e.type === 'started')).toMatchObject({ threads: 2 });
    } finally {
      service.dispose();
    }
  }, 120_000);

  it('the sandboxed preload requires electron and nothing else (a sandbox cannot load packages)', () => {
    const preload = readFileSync(join(OUT, 'preload/index.cjs'), 'utf8');
    const required = [...preload.matchAll(/require\(["']([^"']+)["']\)/g)].map((m) => m[1]);
    expect(required).toEqual(['electron']);
    expect(preload).toContain('exposeInMainWorld("studio"');
  });

  it('the renderer page sets a Content-Security-Policy without remote sources, inline scripts or styles, eval or wasm', () => {
    const html = readFileSync(join(OUT, 'renderer/index.html'), 'utf8');
    const csp = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1] ?? '';
    expect(csp).toMatch(/default-src 'self'/);
    expect(csp).toMatch(/script-src 'self';/);
    expect(csp).toMatch(/style-src 'self';/);
    expect(csp).toMatch(/object-src 'none'/);
    expect(csp).not.toMatch(/https?:|unsafe|wasm/);
  });
});

