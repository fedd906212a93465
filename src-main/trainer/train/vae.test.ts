/**
 * The dense VAE template (resources/templates/vae-dense.aestudio) trains on
 * real MNIST digits: over two short epochs its negative ELBO falls, each
 * epoch's reconstruction and KL terms add up to it, and metrics.json keeps
 * both terms; a β warm-up trains each epoch with its scheduled weight.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { compile } from '../../../src-shared/compiler/compile';
import type { EpochMetrics } from '../../../src-shared/protocol/trainer-messages';
import { projectGraph } from '../../../src-shared/project/project-file';
import { TEST_CACHE_DIR } from '../../../tests/helpers/specs';
import { loadTemplate } from '../../../tests/helpers/templates';
import { trainerSetup } from '../../../tests/helpers/trainer-setup';
import { readRunRecord } from '../../common/run-folder';
import type { BackendChoice } from '../backend/choose-backend';
import type { LoadedDataset } from '../data/dataset';
import { metricsCsv } from '../export/export-run';
import { RunWriter } from './outputs';
import type { SessionInput } from './session';
import { RunControl, disposeSession, runSession } from './session';

let backend: BackendChoice;
let mnist: LoadedDataset;

beforeAll(async () => {
  ({ backend, mnist } = await trainerSetup());
});

/** Trains the dense VAE template, with its bottleneck's β warm-up set to `warmup`, for 2 epochs on 400 digits into a run folder; the epochs metrics.json holds. */
async function train(warmup: number): Promise<EpochMetrics[]> {
  const project = loadTemplate('vae-dense.aestudio');
  const code = project.graph.nodes.find((n) => n.kind === 'bottleneck')!;
  code.params = { ...code.params, warmup };
  const compiled = compile(projectGraph(project));
  if (!compiled.ok) throw new Error('the dense VAE template does not compile');
  const dir = await mkdtemp(join(tmpdir(), 'aes-vae-'));
  const input: SessionInput = {
    runId: 'vae', spec: compiled.spec, dataset: { kind: 'builtin', id: 'mnist' },
    settings: { ...project.training, epochs: 2, batchSize: 32, validationSplit: 0.2 },
    options: { cacheDir: TEST_CACHE_DIR, outDir: dir, maxSamples: 400, progressIntervalMs: 0, reconstructionIntervalMs: 60_000, quiet: true },
  };
  const writer = await RunWriter.begin(dir, input);
  const result = await runSession(input, backend, mnist, () => {}, new RunControl(), writer);
  try {
    await writer.finish(result);
  } finally {
    disposeSession(result);
  }
  const read = await readRunRecord(dir);
  if (!read.ok) throw new Error(`metrics.json of ${dir} does not read back`);
  expect(read.record.epochs).toEqual(result.epochs);
  return read.record.epochs;
}

describe('the dense VAE on MNIST', () => {
  it('trains two epochs whose negative ELBO falls; metrics.json keeps the reconstruction and KL terms of each', async () => {
    const epochs = await train(0);
    expect(epochs).toHaveLength(2);
    for (const e of epochs) {
      // The reconstruction term is BCE summed over a digit's 784 pixels (hundreds of nats at first), not its mean (below 1).
      expect(e.trainLoss).toBeGreaterThan(20);
      expect(e.vae!.kl).toBeGreaterThan(0);
      expect(e.vae!.beta).toBe(1);
      expect(e.vae!.negativeElbo).toBeCloseTo(e.trainLoss + e.vae!.kl, 6);
      expect(e.valLoss).toBeGreaterThan(20); // validation reconstruction through μ, summed likewise
      expect(e.penalties).toEqual({});
    }
    expect(epochs[1].vae!.negativeElbo).toBeLessThan(epochs[0].vae!.negativeElbo);
    // The metrics CSV export has the terms as columns.
    const [head, first] = metricsCsv({ epochs }).split('\n').map((line) => line.split(','));
    expect(head).toEqual(['epoch', 'train_loss', 'val_loss', 'kl', 'beta', 'negative_elbo', 'seconds', 'samples_per_s', 'learning_rate']);
    expect(first.slice(3, 6).map(Number)).toEqual([epochs[0].vae!.kl, 1, epochs[0].vae!.negativeElbo]);
  }, 60_000);

  it('with a β warm-up over 2 epochs trains epoch 1 with β/2 and epoch 2 with β, and reports the KL term unweighted', async () => {
    const epochs = await train(2);
    expect(epochs.map((e) => e.vae!.beta)).toEqual([0.5, 1]);
    for (const e of epochs) expect(e.vae!.negativeElbo).toBeCloseTo(e.trainLoss + e.vae!.kl, 6);
  }, 60_000);
});
