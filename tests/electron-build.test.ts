/**
 * The desktop shell as `electron-vite build` produces it (the Electron binary
 * cannot run here, so its wiring is checked in the bundles): the three
 * bundles exist and are wired to each other, the sandboxed preload needs
 * nothing but electron, and the page sets a CSP.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

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

