/**
 * The exports read back by the tools they are for, in real Python: each
 * template trained for an epoch and exported as `aestudio export` does, and
 * each layer op of the table on its own example, rebuilt by the exported Keras
 * script in Keras 3 (tensorflow-cpu 2.21.0) with the TF.js weights loaded,
 * must give TF.js's outputs within 1e-5; so must each op variant, a chain of
 * every hand-placed kind and each merge mode (autoencoder, encoder, decoder);
 * every ONNX file must pass onnx.checker. One Python process checks all folders (scripts/python/check_exports.py).
 * Skips, saying so in its name, where scripts/python/setup-venv.sh has not run.
 */
import * as tf from '@tensorflow/tfjs';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import onnxProto from 'onnx-proto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compile } from '../src-shared/compiler/compile';
import type { LayerOp, ModelSpec } from '../src-shared/compiler/model-spec';
import type { Graph } from '../src-shared/graph/types';
import { mergeKind } from '../src-shared/catalog/kinds/merge';
import { kerasScript } from '../src-shared/export/keras-script';
import { LAYER_OPS, LAYER_OP_TYPES } from '../src-shared/layers/layer-ops';
import type { LayerOpType } from '../src-shared/layers/layer-op';
import { mulberry32, splitIndices } from '../src-shared/util/random';
import { chooseBackend } from '../src-main/trainer/backend/choose-backend';
import { loadBuiltin } from '../src-main/trainer/data/builtin';
import { exportRun } from '../src-main/trainer/export/export-run';
import { layerWeightsOf, onnxModelBytes } from '../src-main/trainer/export/onnx-graph';
import { buildModel } from '../src-main/trainer/model/build-model';
import { disposeBuiltModel } from '../src-main/trainer/model/dispose-model';
import { saveLayersModel } from '../src-main/trainer/model/save-layers-model';
import { writeRunOutputs } from '../src-main/trainer/train/outputs';
import { RunControl, disposeSession, runSession } from '../src-main/trainer/train/session';
import { OP_VARIANTS, specOfOps } from './helpers/layer-examples';
import { HAND_PLACED, branchMergeGraph, chainGraph, skipMergeGraph } from './helpers/graphs';
import { HAS_PY_VENV, NO_VENV_TITLE, PY_VENV, PY_VENV_REQUIRED, runPythonChecks, writeExpected } from './helpers/python-check';
import type { PyReport } from './helpers/python-check';
import { TEST_CACHE_DIR, templateSpec } from './helpers/specs';
import { TEMPLATE_FILES } from './helpers/templates';

const TEMPLATES = TEMPLATE_FILES.map((f) => f.replace(/\.aestudio$/, ''));
const ROWS = 16; // validation rows compared per model

let root: string;
let report: PyReport;
const folders = new Map<string, string>();

async function loadPart(dir: string): Promise<tf.LayersModel> {
  const json = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8'));
  const bin = await readFile(join(dir, 'weights.bin'));
  return tf.loadLayersModel(tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: json.weightsManifest[0].weights, weightData: bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength) as ArrayBuffer }));
}

/** Trains a template for one epoch on a few digits, exports it as the CLI does, and writes the exported TF.js parts' predictions on the run's own validation digits. */
async function templateCase(name: string, backend: Awaited<ReturnType<typeof chooseBackend>>, mnist: Awaited<ReturnType<typeof loadBuiltin>>): Promise<{ outDir: string; runDir: string }> {
  const { spec, project } = templateSpec(name);
  if (spec.dataset !== 'mnist') throw new Error(`template ${name} trains on ${spec.dataset}; this suite feeds it MNIST digits: load that dataset here`);
  const runDir = join(root, `${name}-run`);
  const outDir = join(root, name);
  const settings = { ...project.training, epochs: 1, batchSize: 32 };
  const input = { runId: name, spec, dataset: { kind: 'builtin' as const, id: 'mnist' }, settings, options: { cacheDir: TEST_CACHE_DIR, maxSamples: 200, progressIntervalMs: 1000, reconstructionIntervalMs: 1e6, quiet: true } };
  const result = await runSession(input, backend, mnist, () => undefined, new RunControl());
  await writeRunOutputs(runDir, input, result);
  disposeSession(result);
  await exportRun(runDir, outDir, ['tfjs', 'onnx', 'keras'], TEST_CACHE_DIR);

  const size = spec.inputShape.reduce((a, b) => a * b, 1);
  const val = splitIndices(mnist.summary.count, settings.validationSplit, settings.seed, 200).val.subarray(0, ROWS);
  const pixels = new Float32Array(val.length * size);
  val.forEach((row, i) => pixels.set(mnist.values.subarray(row * size, (row + 1) * size), i * size));
  // A graph whose connections go around the code has no decoder of its own (the export writes none).
  const hasDecoder = existsSync(join(outDir, 'decoder', 'model.json'));
  const [ae, enc, dec] = await Promise.all(['autoencoder', 'encoder', ...(hasDecoder ? ['decoder'] : [])].map((p) => loadPart(join(outDir, p))));
  const x = tf.tensor(pixels, [val.length, ...spec.inputShape]);
  // A VAE's encoder gives [μ, log σ²] (written side by side, as check_exports.py reads them); its decoder generates from z = μ.
  const heads = [enc.predict(x) as tf.Tensor | tf.Tensor[]].flat();
  const code = heads.length > 1 ? tf.concat(heads, -1) : heads[0];
  const [y, decoded] = [ae.predict(x) as tf.Tensor, dec?.predict(heads[0]) as tf.Tensor | undefined];
  await writeExpected(outDir, x, { autoencoder: y, encoder: code, decoder: decoded });
  tf.dispose([x, code, ...heads, y, ...(decoded ? [decoded] : [])]);
  for (const m of [ae, enc, dec]) m?.dispose();
  return { outDir, runDir };
}

/** An op's example as a spec; an op that Keras expresses as an argument of the layer before (a regularizer) gets a dense layer to carry it. */
function opSpec(type: LayerOpType): ModelSpec {
  const def = LAYER_OPS[type];
  const { op, input } = def.example;
  const carrier: LayerOp[] = 'argumentOfPrevious' in def.keras ? [{ type: 'dense', units: input[input.length - 1], activation: 'linear' }] : [];
  return specOfOps(input, [...carrier, op as LayerOp]);
}

/**
 * A spec as an export folder: random weights and biases (so a bias or a kernel read in the wrong layout shows),
 * TF.js autoencoder, Keras script, predictions on seeded inputs in [-1, 1]; with `onnx`, its ONNX file; with
 * `parts`, the encoder's and (where TF.js has one) the decoder's predictions too. Resolves with whether TF.js has a decoder.
 */
async function writeCase(dir: string, spec: ModelSpec, index: number, label: string, opts: { onnx?: boolean; parts?: boolean }): Promise<boolean> {
  await mkdir(dir, { recursive: true });
  const m = buildModel(spec, 7 + index);
  const rand = mulberry32(100 + index);
  for (const layer of m.inference.layers) {
    // A variance (batch normalisation's moving one) must stay positive; every other weight takes either sign.
    // TF.js suffixes a name it has given out before in this process ("moving_variance_1").
    const fresh = (t: tf.Tensor, name: string) => tf.tensor(Float32Array.from({ length: t.size }, () => (/variance(_\d+)?$/.test(name) ? 0.5 + rand() : rand() - 0.5)), t.shape);
    if (layer.weights.length) layer.setWeights(layer.getWeights().map((t, j) => fresh(t, layer.weights[j].name)));
  }
  await saveLayersModel(m.inference, join(dir, 'autoencoder'));
  if (opts.onnx) await writeFile(join(dir, 'autoencoder.onnx'), onnxModelBytes(spec.layers, spec.inputShape, layerWeightsOf(m.inference), 'autoencoder'));
  await writeFile(join(dir, 'model.py'), kerasScript(spec, label));
  const x = tf.tensor(Float32Array.from({ length: 8 * spec.inputShape.reduce((a, b) => a * b, 1) }, () => 2 * rand() - 1), [8, ...spec.inputShape]);
  const y = m.inference.predict(x) as tf.Tensor;
  const code = opts.parts ? (m.encoder.predict(x) as tf.Tensor) : undefined;
  const decoded = code && m.decoder ? (m.decoder.predict(code) as tf.Tensor) : undefined;
  await writeExpected(dir, x, { autoencoder: y, encoder: code, decoder: decoded });
  tf.dispose([x, y, ...(code ? [code] : []), ...(decoded ? [decoded] : [])]);
  const hasDecoder = !!m.decoder;
  disposeBuiltModel(m);
  return hasDecoder;
}

/** One op on its example input, with its ONNX file. */
async function opCase(type: LayerOpType, index: number): Promise<string> {
  const dir = join(root, `op-${type}`);
  await writeCase(dir, opSpec(type), index, `${type} example`, { onnx: true });
  return dir;
}

function compiled(graph: Graph): ModelSpec {
  const r = compile(graph);
  if (!r.ok) throw new Error(r.diagnostics.map((d) => d.message).join('; '));
  return r.spec;
}

/**
 * What the templates and single examples do not reach: each op variant, a chain of every hand-placed layer kind,
 * and each merge mode behind a skip around the code (no decoder) and in branches after it (a decoder); each merge's
 * two inputs differ, so inputs taken in the wrong order show. Checked without ONNX (build-dag.test.ts and
 * layer-ops.test.ts run these in onnxruntime).
 */
// Every mode the merge node offers (its parameter's options), so a mode added later is checked too.
const MERGE_MODES = (mergeKind.params.mode as { options: string[] }).options;

const GRAPH_CASES: [string, () => ModelSpec][] = [
  ...OP_VARIANTS.map(([name, input, ops]): [string, () => ModelSpec] => [`variant ${name}`, () => specOfOps(input, ops)]),
  ['every hand-placed layer kind', () => compiled(chainGraph(HAND_PLACED))],
  ...MERGE_MODES.flatMap((mode): [string, () => ModelSpec][] => [[`${mode} merge of a skip around the code`, () => compiled(skipMergeGraph(mode))], [`${mode} merge of branches after the code`, () => compiled(branchMergeGraph(mode))]]),
];
const decoders = new Set<string>();

/**
 * The dense example spoiled twice: TF.js predictions moved by 2e-5 (just over the tolerance) and an ONNX
 * graph whose weights are gone, so the suite shows that both checks can fail.
 */
async function spoiledCase(from: string): Promise<string> {
  const dir = join(root, 'spoiled');
  await cp(from, dir, { recursive: true });
  const path = join(dir, 'expected-autoencoder.npy');
  const bytes = new Uint8Array(await readFile(path));
  const header = 10 + new DataView(bytes.buffer, bytes.byteOffset).getUint16(8, true);
  const values = new Float32Array(bytes.slice(header).buffer);
  values[0] += 2e-5;
  bytes.set(new Uint8Array(values.buffer), header);
  await writeFile(path, bytes);
  const model = onnxProto.onnx.ModelProto.decode(await readFile(join(dir, 'autoencoder.onnx')));
  model.graph!.initializer = [];
  await writeFile(join(dir, 'autoencoder.onnx'), onnxProto.onnx.ModelProto.encode(model).finish());
  return dir;
}

function checksOf(key: string) {
  const folder = folders.get(key);
  const found = report.cases.find((c) => c.folder === folder);
  if (!found) throw new Error(`check_exports.py reported nothing for ${folder}`);
  return found.checks;
}

it.runIf(PY_VENV_REQUIRED && !HAS_PY_VENV)('the Python venv that AESTUDIO_REQUIRE_PY_VENV=1 requires is there', () => {
  expect.fail(`${PY_VENV} has no complete venv (no aestudio-requirements.txt): run scripts/python/setup-venv.sh and read its errors`);
});

describe.skipIf(!HAS_PY_VENV)(HAS_PY_VENV ? 'exports in real Keras 3 and onnx' : NO_VENV_TITLE, () => {
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'aes-pyexports-'));
    const backend = await chooseBackend();
    const mnist = await loadBuiltin('mnist', TEST_CACHE_DIR);
    for (const name of TEMPLATES) {
      const { outDir, runDir } = await templateCase(name, backend, mnist);
      folders.set(name, outDir);
      folders.set(`${name} run`, runDir);
    }
    for (const [i, type] of LAYER_OP_TYPES.entries()) folders.set(type, await opCase(type, i));
    for (const [i, [name, specOf]] of GRAPH_CASES.entries()) {
      const dir = join(root, `graph-${i}`);
      if (await writeCase(dir, specOf(), 1000 + i, name, { parts: true })) decoders.add(name);
      folders.set(name, dir);
    }
    folders.set('spoiled', await spoiledCase(folders.get('dense')!));
    report = await runPythonChecks([...folders.values()]);
  }, 300_000);

  // The folders stay where a check failed, so the paths in the failure can be opened.
  afterAll(async () => {
    if (report?.cases.every((c) => c.ok || c.folder === folders.get('spoiled'))) await rm(root, { recursive: true, force: true });
  });

  it.each(TEMPLATES)('template %s: the Keras script loads the exported weights and matches TF.js within 1e-5; its ONNX files pass onnx.checker', (name) => {
    const checks = checksOf(name);
    expect(checks.filter((c) => !c.ok)).toEqual([]);
    // The three parts compared and the three ONNX files checked: a case that silently compared nothing would pass.
    const parts = existsSync(join(folders.get(name)!, 'decoder')) ? ['autoencoder', 'encoder', 'decoder'] : ['autoencoder', 'encoder'];
    expect(checks.filter((c) => c.name.startsWith('Keras ')).map((c) => c.name)).toEqual(parts.map((p) => `Keras ${p} matches TF.js`));
    expect(checks.filter((c) => c.name.startsWith('onnx.checker')).map((c) => c.name)).toEqual(parts.map((p) => `onnx.checker accepts ${p}.onnx`).sort());
  });

  it.each(TEMPLATES)('template %s: the run folder\'s own model.py loads the run\'s weights (python model.py RUN_FOLDER)', (name) => {
    expect(checksOf(`${name} run`)).toEqual([{ name: 'model.py builds and loads the TF.js weights', ok: true }]);
  });

  it.each(LAYER_OP_TYPES)('op %s: its Keras line rebuilds the layer with TF.js\'s weights and outputs within 1e-5; its ONNX passes onnx.checker', (type) => {
    const checks = checksOf(type);
    expect(checks.filter((c) => !c.ok)).toEqual([]);
    expect(checks.map((c) => c.name)).toEqual(['model.py builds and loads the TF.js weights', 'Keras autoencoder matches TF.js', 'onnx.checker accepts autoencoder.onnx']);
  });

  it.each(GRAPH_CASES.map(([name]) => name))('%s: the Keras script rebuilds it with TF.js\'s weights; autoencoder, encoder and decoder (where TF.js has one) match within 1e-5', (name) => {
    const checks = checksOf(name);
    expect(checks.filter((c) => !c.ok)).toEqual([]);
    const parts = decoders.has(name) ? ['autoencoder', 'encoder', 'decoder'] : ['autoencoder', 'encoder'];
    expect(checks.map((c) => c.name)).toEqual(['model.py builds and loads the TF.js weights', ...parts.map((p) => `Keras ${p} matches TF.js`)]);
  });

  it('a skip around the code leaves no decoder; branches after the code keep one', () => {
    for (const mode of MERGE_MODES) {
      expect(decoders.has(`${mode} merge of a skip around the code`)).toBe(false);
      expect(decoders.has(`${mode} merge of branches after the code`)).toBe(true);
    }
  });

  it('a prediction 2e-5 off and an ONNX graph without its weights are both reported as failures', () => {
    const failed = checksOf('spoiled').filter((c) => !c.ok);
    expect(failed.map((c) => c.name)).toEqual(['Keras autoencoder matches TF.js', 'onnx.checker accepts autoencoder.onnx']);
    expect(failed[0].maxAbsDiff).toBeGreaterThan(1e-5);
    // Only these fail, and the summary and exit status say so.
    expect(report.cases.filter((c) => !c.ok).map((c) => c.folder)).toEqual([folders.get('spoiled')]);
    expect([report.ok, report.exitCode]).toEqual([false, 1]);
  });
});
