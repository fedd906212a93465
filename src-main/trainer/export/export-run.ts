/**
 * Exports a finished run: the autoencoder, the encoder (input → code) and
 * the decoder (code → output) in TF.js layers format and as ONNX, the Keras script, the
 * latent codes of its dataset as CSV, and its metrics as CSV. Noise and
 * regularizer nodes are absent from every exported model (identity). A VAE's
 * encoder has two outputs, its heads μ and log σ² (named by their layers in
 * TF.js and Keras, "mean" and "log_var" in ONNX); its decoder generates from z.
 */
import * as tf from '@tensorflow/tfjs';
import { copyFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { MODEL_INPUT } from '../../../src-shared/compiler/model-spec';
import type { LayerSpec } from '../../../src-shared/compiler/model-spec';
import { codeParts } from '../../../src-shared/compiler/spec-graph';
import { kerasScript } from '../../../src-shared/export/keras-script';
import { samplingLayerOf } from '../../../src-shared/layers/ops/variational';
import { EXPORT_FORMATS } from '../../../src-shared/export/export-formats';
import type { ExportFormat } from '../../../src-shared/export/export-formats';
import type { RunFolderAccess } from '../../../src-shared/protocol/trainer-messages';
import { DatasetError } from '../data/dataset';
import { loadDataset } from '../data/load-dataset';
import { writeFileAtomic } from '../../common/atomic-write';
import { saveLayersModel } from '../model/save-layers-model';
import { disposeBuiltModel } from '../model/dispose-model';
import { loadRun } from './load-run';
import type { LoadedRun } from './load-run';
import { layerWeightsOf, onnxModelBytes } from './onnx-graph';

const ENCODE_BATCH = 512;

/** Metrics per epoch as CSV, one column per penalty, a VAE's KL term, β and negative ELBO (its train loss is the reconstruction term), and the learning rate (records that keep it). */
export function metricsCsv(run: Pick<LoadedRun, 'epochs'>): string {
  const penalties = [...new Set(run.epochs.flatMap((e) => Object.keys(e.penalties)))];
  const vae = run.epochs.some((e) => e.vae);
  const lr = run.epochs.some((e) => e.learningRate !== undefined);
  const head = ['epoch', 'train_loss', 'val_loss', ...penalties.map((p) => `penalty_${p.replace(/[^\w]+/g, '_')}`), ...(vae ? ['kl', 'beta', 'negative_elbo'] : []), 'seconds', 'samples_per_s', ...(lr ? ['learning_rate'] : [])];
  const vaeCells = (e: LoadedRun['epochs'][number]) => (vae ? [e.vae?.kl ?? '', e.vae?.beta ?? '', e.vae?.negativeElbo ?? ''] : []);
  const rows = run.epochs.map((e) => [e.epoch, e.trainLoss, e.valLoss ?? '', ...penalties.map((p) => e.penalties[p] ?? ''), ...vaeCells(e), e.seconds, e.samplesPerSec, ...(lr ? [e.learningRate ?? ''] : [])].join(','));
  return `${[head.join(','), ...rows].join('\n')}\n`;
}

async function latentCsv(run: LoadedRun, cacheDir: string): Promise<string> {
  if (!run.dataset) throw run.datasetProblem ?? new DatasetError('The run does not say which dataset it trained on', 'Export the latent codes from a run trained with this version.');
  const data = await loadDataset(run.dataset, cacheDir);
  const size = run.spec.inputShape.reduce((a, b) => a * b, 1);
  const lines: string[] = [];
  const codeSize = run.spec.codeShape.reduce((a, b) => a * b, 1);
  lines.push([...(data.labels ? ['label'] : []), ...Array.from({ length: codeSize }, (_, i) => `z${i}`)].join(','));
  for (let start = 0; start < data.summary.count; start += ENCODE_BATCH) {
    const n = Math.min(ENCODE_BATCH, data.summary.count - start);
    const codes = tf.tidy(() => (run.model.encoder.predict(tf.tensor(data.values.subarray(start * size, (start + n) * size), [n, ...run.spec.inputShape])) as tf.Tensor).reshape([n, codeSize]));
    const values = await codes.data();
    codes.dispose();
    for (let i = 0; i < n; i++) {
      const row = Array.from(values.subarray(i * codeSize, (i + 1) * codeSize), (v) => +v.toPrecision(7));
      lines.push([...(data.labels ? [data.labels[start + i]] : []), ...row].join(','));
    }
  }
  return `${lines.join('\n')}\n`;
}

/** The file that says why a model with connections around its code has no decoder export. */
export const NO_DECODER_FILE = 'decoder-not-exported.txt';

/**
 * Where connections go around the code, the decoder alone does not exist:
 * instead of a decoder that would silently compute something else, the
 * export writes why there is none. Returns the file written, if any.
 */
async function noteMissingDecoder(run: LoadedRun, outDir: string): Promise<string[]> {
  if (!run.spec.decoderAbsent) return [];
  await writeFileAtomic(join(outDir, NO_DECODER_FILE), `No decoder was exported: ${run.spec.decoderAbsent}.\nThe autoencoder and the encoder are exported as usual.\n`);
  return [NO_DECODER_FILE];
}

/** What a writer gets: the loaded run, where it came from and where to write. */
interface ExportContext {
  run: LoadedRun;
  runDir: string;
  outDir: string;
  cacheDir: string;
}

/**
 * One writer per export format; returns the files it wrote, relative to outDir.
 * Keyed by the format table, so a format without a writer does not compile.
 */
const WRITERS: Record<ExportFormat, (ctx: ExportContext) => Promise<string[]>> = {
  async tfjs({ run, outDir }) {
    const files: string[] = [];
    for (const [part, model] of [['autoencoder', run.model.inference], ['encoder', run.model.encoderHeads ?? run.model.encoder], ['decoder', run.model.decoder]] as const) {
      if (model) files.push(...(await saveLayersModel(model, join(outDir, part))).map((f) => `${part}/${f}`));
    }
    return files;
  },
  async onnx({ run, outDir }) {
    const w = layerWeightsOf(run.model.inference);
    const { layers, codeLayerIndex, inputShape, codeShape } = run.spec;
    const { encoder, decoder } = codeParts(layers, codeLayerIndex);
    // A VAE's encoder ends at its two heads (the sampling layer is training-only).
    const sampling = samplingLayerOf(layers);
    const heads = sampling ? sampling.inputs.map((layer, i) => ({ layer, name: ['mean', 'log_var'][i] })) : undefined;
    const parts: [string, LayerSpec[], readonly number[], string, typeof heads][] = [
      ['autoencoder', [...layers], inputShape, MODEL_INPUT, undefined],
      ['encoder', encoder.map((i) => layers[i]).filter((l) => l !== sampling), inputShape, MODEL_INPUT, heads],
    ];
    if (!run.spec.decoderAbsent) parts.push(['decoder', decoder.map((i) => layers[i]), codeShape, layers[codeLayerIndex].name, undefined]);
    for (const [part, partLayers, shape, source, outputs] of parts) await writeFileAtomic(join(outDir, `${part}.onnx`), onnxModelBytes(partLayers, shape, w, part, source, outputs));
    return parts.map(([part]) => `${part}.onnx`);
  },
  async keras({ run, outDir }) {
    await writeFileAtomic(join(outDir, 'model.py'), kerasScript(run.spec, 'Exported autoencoder', run.settings ?? undefined));
    return ['model.py'];
  },
  async 'latent-csv'({ run, outDir, cacheDir }) {
    await writeFileAtomic(join(outDir, 'latent.csv'), await latentCsv(run, cacheDir));
    return ['latent.csv'];
  },
  async 'metrics-csv'({ run, outDir }) {
    await writeFileAtomic(join(outDir, 'metrics.csv'), metricsCsv(run));
    return ['metrics.csv'];
  },
  async 'reconstructions-png'({ runDir, outDir }) {
    // The grid the run drew of its last reconstructions (input, noised, output rows).
    await copyFile(join(runDir, 'reconstructions.png'), join(outDir, 'reconstructions.png')).catch(() => {
      throw new DatasetError(`${join(runDir, 'reconstructions.png')} is missing`, 'The run ended before its first epoch finished; there are no reconstructions to export.');
    });
    return ['reconstructions.png'];
  },
};

/** Writes the asked formats of the run in `runDir` to `outDir`, in the table's order (then the note of a missing decoder, if any); returns the files written, relative to outDir. */
export async function exportRun(runDir: string, outDir: string, formats: readonly ExportFormat[], cacheDir: string, access: RunFolderAccess = {}): Promise<string[]> {
  const run = await loadRun(runDir, access);
  const files: string[] = [];
  try {
    await mkdir(outDir, { recursive: true });
    for (const format of EXPORT_FORMATS) {
      if (formats.includes(format)) files.push(...(await WRITERS[format]({ run, runDir, outDir, cacheDir })));
    }
    // The model formats leave the decoder out where connections go around the code; the note says why, once.
    if (formats.includes('tfjs') || formats.includes('onnx')) files.push(...(await noteMissingDecoder(run, outDir)));
    return files;
  } finally {
    disposeBuiltModel(run.model);
  }
}
