/**
 * The desktop shell as `electron-vite build` produces it (the Electron binary
 * cannot run here, so its wiring is checked in the bundles): the three
 * bundles exist and are wired to each other, the sandboxed preload needs
 * nothing but electron, the main process loads no heavy module, and the page
 * sets a CSP.
 */
import { execFileSync, fork } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative } from 'node:path';
import { parseAst } from 'vite';
import { beforeAll, describe, expect, it } from 'vitest';
import type { TrainerEvent } from '../src-shared/protocol/trainer-messages';
import { TrainingService } from '../src-main/services/training-service';
import { TEST_CACHE_DIR, templateSpec } from './helpers/specs';
import { HAS_TFJS_NODE } from './helpers/tfjs-node';

const ROOT = join(import.meta.dirname, '..');
const OUT = join(ROOT, 'out');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { main: string };

/** Modules only the trainer may load: TF.js, sharp (libvips), csv-parse, ml-matrix, Dawn's WebGPU binding (with their subpaths). */
const HEAVY = /^(@tensorflow\/|(sharp|csv-parse|ml-matrix|webgpu)(\/|$))/;
/** Entries of out/main that are separate processes or threads, not part of the main process. */
const OTHER_ENTRIES = new Set(['trainer.js', 'gradient-helper.js', 'dense-chain-worker.js', 'measure-worker.js']);

/** Every module a bundle file names: static imports, re-exports, literal dynamic imports and require(...) calls. */
function specifiers(file: string): string[] {
  const found: string[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!node || typeof node !== 'object') return;
    const n = node as { type?: string; source?: { value?: unknown }; callee?: { type: string; name?: string; property?: { name?: string } }; arguments?: { type: string; value?: unknown }[] };
    if ((n.type === 'ImportDeclaration' || n.type === 'ExportNamedDeclaration' || n.type === 'ExportAllDeclaration' || n.type === 'ImportExpression') && typeof n.source?.value === 'string') found.push(n.source.value);
    const callee = n.type === 'CallExpression' ? (n.callee?.name ?? n.callee?.property?.name) : undefined;
    if (callee && /require/i.test(callee) && n.arguments?.[0]?.type === 'Literal' && typeof n.arguments[0].value === 'string') found.push(n.arguments[0].value);
    for (const value of Object.values(node)) if (value && typeof value === 'object') visit(value);
  };
  visit(parseAst(readFileSync(file, 'utf8')));
  return found;
}

/**
 * The files `entry` loads, each with what it imports, following local imports (static and dynamic)
 * from chunk to chunk; imports of the other entries are not followed (they run in other processes).
 */
function importGraph(entry: string): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  const queue = [entry];
  for (let file = queue.pop(); file; file = queue.pop()) {
    if (graph.has(file)) continue;
    const specs = specifiers(file);
    graph.set(file, specs);
    const local = specs.filter((s) => s.startsWith('.')).map((s) => join(dirname(file), s));
    queue.push(...local.filter((target) => target === entry || !OTHER_ENTRIES.has(basename(target))));
  }
  return graph;
}

/** "chunk.js imports sharp" for each heavy import in a graph. */
const heavyImports = (graph: Map<string, string[]>) => [...graph].flatMap(([file, specs]) => specs.filter((s) => HEAVY.test(s)).map((s) => `${relative(OUT, file)} imports ${s}`));

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

  it.each([
    ['convolutional', 'the bundled gradient helper thread', /^as asked$/],
    ['vanilla', "the bundled dense chain's worker thread", /one call into our WebAssembly/],
  ])('the built trainer runs a %s training whose batches it splits across %s (as Electron forks it, here as a Node child)', async (template, _, reason) => {
    expect(existsSync(join(OUT, 'main/gradient-helper.js'))).toBe(true);
    expect(existsSync(join(OUT, 'main/dense-chain-worker.js'))).toBe(true);
    const service = new TrainingService(() => {
      const child = fork(join(OUT, 'main/trainer.js'), [], { serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
      return { pid: child.pid, send: (m) => void child.send(m as never), onMessage: (h) => void child.on('message', h), onExit: (h) => void child.on('exit', (c) => h(`exit code ${c}`)), kill: () => void child.kill() };
    });
    try {
      const { spec, project } = templateSpec(template);
      const events: TrainerEvent[] = [];
      const end = new Promise<TrainerEvent>((resolve) => service.onEvent((e) => (events.push(e), (e.type === 'done' || e.type === 'error') && resolve(e))));
      await service.start({ spec, dataset: { kind: 'builtin', id: 'mnist' }, settings: { ...project.training, epochs: 1, batchSize: 64 }, options: { cacheDir: TEST_CACHE_DIR, maxSamples: 640, quiet: true, threads: 2, backend: 'wasm' } }); // wasm: the backend whose batches split across threads
      expect(await end).toMatchObject({ type: 'done', status: 'finished' });
      expect(events.find((e) => e.type === 'started')).toMatchObject({ threads: 2, threadsReason: expect.stringMatching(reason) });
    } finally {
      service.dispose();
    }
  }, 120_000);

  it('the built trainer chooses its backend by measurement, timing wasm on the bundled measuring thread and tfjs-node in a bundled measuring process', async () => {
    expect(existsSync(join(OUT, 'main/measure-worker.js'))).toBe(true);
    // A cache folder without remembered choices, so this run measures (the decoded MNIST copied in where the suite has made it).
    const cacheDir = await mkdtemp(join(tmpdir(), 'aes-measure-'));
    if (existsSync(join(TEST_CACHE_DIR, 'mnist.aesds'))) await copyFile(join(TEST_CACHE_DIR, 'mnist.aesds'), join(cacheDir, 'mnist.aesds'));
    const service = new TrainingService(() => {
      const child = fork(join(OUT, 'main/trainer.js'), [], { serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
      return { pid: child.pid, send: (m) => void child.send(m as never), onMessage: (h) => void child.on('message', h), onExit: (h) => void child.on('exit', (c) => h(`exit code ${c}`)), kill: () => void child.kill() };
    });
    try {
      const { spec, project } = templateSpec('convolutional');
      const events: TrainerEvent[] = [];
      const end = new Promise<TrainerEvent>((resolve) => service.onEvent((e) => (events.push(e), (e.type === 'done' || e.type === 'error') && resolve(e))));
      await service.start({ spec, dataset: { kind: 'builtin', id: 'mnist' }, settings: { ...project.training, epochs: 1, batchSize: 32 }, options: { cacheDir, maxSamples: 320, quiet: true } });
      expect(await end).toMatchObject({ type: 'done', status: 'finished' });
      const started = events.find((e) => e.type === 'started') as Extract<TrainerEvent, { type: 'started' }>;
      expect(started.backendMeasurement?.cached).toBe(false);
      const wasm = started.backendMeasurement?.trials.filter((t) => t.backend === 'wasm') ?? [];
      expect(wasm.length).toBeGreaterThan(0);
      for (const t of wasm) expect(t, JSON.stringify(t)).toMatchObject({ error: null, msPerStep: expect.any(Number) });
      // tfjs-node, where installed, was timed in a child process running the same bundled entry.
      if (HAS_TFJS_NODE) expect(started.backendMeasurement?.trials.find((t) => t.backend === 'node')).toMatchObject({ error: null, msPerStep: expect.any(Number) });
    } finally {
      service.dispose();
      await rm(cacheDir, { recursive: true, force: true });
    }
  }, 180_000);

  it('the main process and every chunk it loads import no TensorFlow.js, sharp, csv-parse or ml-matrix, not even lazily (the trainer process alone loads them)', () => {
    expect(heavyImports(importGraph(join(OUT, 'main/main.js')))).toEqual([]);
    // The same reading finds them where they belong, in the trainer and in the chunks it shares, so the check above can fail.
    const trainer = heavyImports(importGraph(join(OUT, 'main/trainer.js')));
    expect(trainer).toEqual(expect.arrayContaining([expect.stringMatching(/imports @tensorflow\/tfjs$/), expect.stringMatching(/imports sharp$/)]));
    expect(trainer.filter((s) => !s.startsWith('main/trainer.js '))).not.toEqual([]);
  });

  it('the sandboxed preload requires electron and nothing else (a sandbox cannot load packages)', () => {
    const preload = readFileSync(join(OUT, 'preload/index.cjs'), 'utf8');
    const required = [...preload.matchAll(/require\(["']([^"']+)["']\)/g)].map((m) => m[1]);
    expect(required).toEqual(['electron']);
    expect(preload).toContain('exposeInMainWorld("studioIpc"');
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

