/**
 * The benchmark's scale row: the convolutional template's architecture on
 * 10,000 images at 28×28×1 and at 64×64×3, ours against PyTorch and Keras
 * (peers/conv_scale.py; each best of 1 and 2 threads), samples/s and peak
 * memory, and how both grow from the small images to the large ones.
 * The images are Fashion-MNIST (real photographs of clothes, 28×28 gray),
 * upscaled bilinearly to 64×64 with three channels: the image, its mirror
 * and its negative, so the colour channels differ.
 */
import * as tf from '@tensorflow/tfjs';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { compile } from '../../src-shared/compiler/compile';
import type { ModelSpec } from '../../src-shared/compiler/model-spec';
import { projectGraph } from '../../src-shared/project/project-file';
import type { TrainingSettings } from '../../src-shared/project/training-settings';
import type { BackendName } from '../../src-shared/protocol/trainer-messages';
import { splitIndices } from '../../src-shared/util/random';
import { chooseBackend } from '../../src-main/trainer/backend/choose-backend';
import { loadBuiltin } from '../../src-main/trainer/data/builtin';
import { PY_PYTHON } from '../../tests/helpers/python-check';
import { npyBytes } from '../../tests/helpers/array-files';
import { loadTemplate } from '../../tests/helpers/templates';
import { runOurs } from './run-ours';

const COUNT = 10_000;
const SIZES = [
  { size: 28, channels: 1 },
  { size: 64, channels: 3 },
] as const;
const PEER_SCRIPT = join(import.meta.dirname, 'peers/conv_scale.py');

/** One figure of the row. */
export interface ScaleFigure {
  size: string;
  /** The same trainer at both sizes: ours per requested backend, each peer by framework. */
  key: string;
  who: string;
  threads: number;
  samplesPerSec: number;
  valLoss: number | null;
  peakRssMb: number;
}

/** The convolutional template at `size`×`size`×`channels` in and out. */
function scaledSpec(size: number, channels: number): ModelSpec {
  const project = loadTemplate('convolutional.aestudio');
  const graph = projectGraph(project);
  const nodes = graph.nodes.map((n) => {
    if (n.kind === 'input') return { ...n, params: { ...n.params, dataset: 'custom', height: size, width: size, channels } }; // an imported set (the NPY below)
    if (n.id === 'dec3') return { ...n, params: { ...n.params, filters: channels } };
    return n;
  });
  const r = compile({ ...graph, nodes });
  if (!r.ok) throw new Error(`the scaled convolutional template does not compile: ${r.diagnostics.map((d) => d.message).join('; ')}`);
  return r.spec;
}

/** Writes the images as the app imports them (NPY) and as the peers read them (raw float32, the app's own split). */
async function writeScaleData(dir: string, cacheDir: string, seed: number, validationSplit: number) {
  await chooseBackend('wasm'); // this process only resizes (the plain-JS backend took minutes and gigabytes for the 64×64 set)
  const fashion = await loadBuiltin('fashion-mnist', cacheDir);
  const small = fashion.values.subarray(0, COUNT * 784);
  await mkdir(dir, { recursive: true });
  const split = splitIndices(COUNT, validationSplit, seed);
  const out: Record<string, { npy: string; train: string; val: string }> = {};
  for (const { size, channels } of SIZES) {
    const per = size * size * channels;
    const values = new Float32Array(COUNT * per);
    // In slices of 500 images: the whole set at once held several copies of 490 MB.
    for (let start = 0; start < COUNT; start += 500) {
      const part = tf.tidy(() => {
        const x = tf.tensor4d(small.subarray(start * 784, (start + 500) * 784), [500, 28, 28, 1]);
        if (size === 28 && channels === 1) return x.dataSync() as Float32Array;
        const up = tf.image.resizeBilinear(x, [size, size], false, true);
        return tf.concat([up, tf.reverse(up, 2), tf.sub(1, up)], 3).clipByValue(0, 1).dataSync() as Float32Array;
      });
      values.set(part, start * per);
    }
    const name = `scale-${size}x${size}x${channels}`;
    const rows = (idx: Int32Array) => {
      const o = new Float32Array(idx.length * per);
      idx.forEach((i, k) => o.set(values.subarray(i * per, (i + 1) * per), k * per));
      return Buffer.from(o.buffer);
    };
    const files = { npy: join(dir, `${name}.npy`), train: join(dir, `${name}-train.f32`), val: join(dir, `${name}-val.f32`) };
    await writeFile(files.npy, npyBytes('<f4', [COUNT, size, size, channels], new Uint8Array(values.buffer, values.byteOffset, values.byteLength)));
    await writeFile(files.train, rows(split.train));
    await writeFile(files.val, rows(split.val));
    out[`${size}`] = files;
  }
  return out;
}

function runPeer(framework: 'torch' | 'keras', size: number, channels: number, train: string, val: string, epochs: number, threads: number) {
  const json = execFileSync(PY_PYTHON, [PEER_SCRIPT, '--framework', framework, '--size', String(size), '--channels', String(channels), '--train', train, '--val', val, '--epochs', String(epochs), '--batch', '128', '--threads', String(threads)], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
    env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '3', OMP_NUM_THREADS: String(threads), OPENBLAS_NUM_THREADS: String(threads) },
  });
  return JSON.parse(json.trim().split('\n').at(-1)!) as { samples_per_s: number; val_loss: number; peak_rss_mb: number; version: string };
}

/** Why a peer cannot run here (null when it can). */
function peerMissing(framework: 'torch' | 'keras'): string | null {
  if (!existsSync(PY_PYTHON)) return `no venv Python at ${PY_PYTHON} (scripts/python/setup-venv.sh)`;
  try {
    execFileSync(PY_PYTHON, ['-c', `import ${framework === 'torch' ? 'torch' : 'keras'}`], { stdio: 'ignore' });
    return null;
  } catch {
    return framework === 'torch' ? `the venv has no torch (${PY_PYTHON} -m pip install torch==2.13.0+cpu)` : 'the venv has no keras';
  }
}

/** Runs the scale row and prints it; `backends` are ours ('auto': the app's choice). */
export async function compareScale(root: string, cacheDir: string, backends: (BackendName | 'auto')[], settingsBase: TrainingSettings, epochs: number): Promise<ScaleFigure[]> {
  const settings: TrainingSettings = { ...settingsBase, epochs, batchSize: 128, learningRate: 0.001, optimizer: 'adam' };
  const files = await writeScaleData(join(root, 'bench/data'), cacheDir, settings.seed, settings.validationSplit);
  const figures: ScaleFigure[] = [];
  const fmt = (n: number, d = 0) => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
  console.log(`\nScale: the convolutional template on ${fmt(COUNT)} Fashion-MNIST images (${fmt(COUNT * (1 - settings.validationSplit))} train), ${epochs} epoch${epochs > 1 ? 's' : ''}, batch 128, every epoch counted; peers best of 1 and 2 threads`);
  console.log('size        who                 samples/s   val loss   peak RSS');
  for (const { size, channels } of SIZES) {
    const label = `${size}×${size}×${channels}`;
    const f = files[`${size}`];
    for (const backend of backends) {
      try {
        const ours = await runOurs(scaledSpec(size, channels), settings, backend, cacheDir, true, undefined, { kind: 'npy', path: f.npy, options: {} });
        const who = `ours (${backend === 'auto' ? 'auto→' : ''}${ours.backend}${ours.threads > 1 ? `×${ours.threads}` : ''})`;
        figures.push({ size: label, key: `ours ${backend}`, who, threads: ours.threads, samplesPerSec: ours.samplesPerSec, valLoss: ours.valLoss, peakRssMb: ours.peakRssMb });
      } catch (e) {
        console.log(`${label.padEnd(11)} ours (${backend}) not run: ${(e as Error).message.split('(')[0]}`);
      }
    }
    for (const framework of ['torch', 'keras'] as const) {
      const missing = peerMissing(framework);
      if (missing) {
        console.log(`${label.padEnd(11)} ${framework} not run: ${missing}`);
        continue;
      }
      const runs = [1, 2].map((threads) => ({ threads, ...runPeer(framework, size, channels, f.train, f.val, epochs, threads) }));
      const best = runs.reduce((a, b) => (b.samples_per_s > a.samples_per_s ? b : a));
      figures.push({ size: label, key: framework, who: `${best.version.split(' /')[0]} ×${best.threads}`, threads: best.threads, samplesPerSec: best.samples_per_s, valLoss: best.val_loss, peakRssMb: best.peak_rss_mb });
    }
    for (const fig of figures.filter((x) => x.size === label)) console.log(`${fig.size.padEnd(11)} ${fig.who.padEnd(19)} ${fmt(fig.samplesPerSec).padStart(9)}   ${fig.valLoss === null ? '—' : fmt(fig.valLoss, 5)}   ${fmt(fig.peakRssMb)} MB`);
  }
  // Growth from 28×28×1 to 64×64×3 for each trainer that ran both.
  for (const key of new Set(figures.map((x) => x.key))) {
    const [a, b] = SIZES.map(({ size, channels }) => figures.find((x) => x.size === `${size}×${size}×${channels}` && x.key === key));
    if (a && b) console.log(`  ${key}: 28×28×1 → 64×64×3 (${((64 * 64 * 3) / 784).toFixed(1)}× the values a sample): samples/s ×${fmt(b.samplesPerSec / a.samplesPerSec, 2)}, peak memory ×${fmt(b.peakRssMb / a.peakRssMb, 2)}`);
  }
  return figures;
}
