/**
 * Training on WebGPU (Dawn's Node binding; here on SwiftShader, the software
 * Vulkan driver, so for correctness only): a short run gives the losses the
 * cpu backend gives for the same seed and batches, and its run folder exports
 * like any other. Every layer op's gradient on webgpu is checked in
 * op-gradients.test.ts.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { compile } from '../../../src-shared/compiler/compile';
import { DEFAULT_TRAINING_SETTINGS } from '../../../src-shared/project/training-settings';
import type { BackendName } from '../../../src-shared/protocol/trainer-messages';
import { chainGraph } from '../../../tests/helpers/graphs';
import { TEST_CACHE_DIR } from '../../../tests/helpers/specs';
import { HAS_WEBGPU, WEBGPU_REQUIRED } from '../../../tests/helpers/tfjs-node';
import { trainerSetup } from '../../../tests/helpers/trainer-setup';
import type { LoadedDataset } from '../data/dataset';
import { exportRun } from '../export/export-run';
import { RunWriter } from '../train/outputs';
import { RunControl, disposeSession, runSession } from '../train/session';
import type { SessionInput } from '../train/session';
import { chooseBackend } from './choose-backend';
import { webgpuAdapter } from './webgpu-device';

it.runIf(WEBGPU_REQUIRED && !HAS_WEBGPU)('WebGPU, which AESTUDIO_REQUIRE_WEBGPU=1 requires, can run', () => {
  expect.fail('no Vulkan loader (apt-get install -y libvulkan1) or no Vulkan driver (VK_ICD_FILENAMES; Debian\'s chromium brings SwiftShader) here');
});

describe.runIf(HAS_WEBGPU)('training on webgpu (runs where a Vulkan driver is found: SwiftShader in CI)', () => {
  let mnist: LoadedDataset;
  beforeAll(async () => {
    ({ mnist } = await trainerSetup());
  });

  it('trains a small conv + dense model to the losses the cpu backend reaches, and its run folder exports', async () => {
    const r = compile(chainGraph([
      ['in', 'input'],
      ['c1', 'encoder', { layer: 'conv', filters: 4, pool: 2 }],
      ['code', 'bottleneck', { size: 16 }],
      ['d1', 'decoder', { units: 784, activation: 'linear' }],
      ['out', 'output'],
    ]));
    if (!r.ok) throw new Error(r.diagnostics.map((d) => d.message).join('; '));
    const input = (out?: string): SessionInput => ({
      runId: 'webgpu',
      spec: r.spec,
      dataset: { kind: 'builtin', id: 'mnist' },
      settings: { ...DEFAULT_TRAINING_SETTINGS, epochs: 2, batchSize: 32, validationSplit: 0.25 },
      options: { cacheDir: TEST_CACHE_DIR, maxSamples: 128, progressIntervalMs: 0, reconstructionIntervalMs: 60_000, quiet: !out, outDir: out },
    });
    const losses: Record<string, number[]> = {};
    const runDir = await mkdtemp(join(tmpdir(), 'aes-webgpu-'));
    for (const backend of ['webgpu', 'cpu'] as BackendName[]) {
      const choice = await chooseBackend(backend);
      const sessionInput = input(backend === 'webgpu' ? runDir : undefined);
      const writer = backend === 'webgpu' ? await RunWriter.begin(runDir, sessionInput) : null;
      const result = await runSession(sessionInput, choice, mnist, () => {}, new RunControl(), writer);
      try {
        if (writer) await writer.finish(result);
        losses[backend] = result.epochs.flatMap((e) => [e.trainLoss, e.valLoss!]);
      } finally {
        disposeSession(result);
      }
    }
    expect(webgpuAdapter()?.description).toBeTruthy();
    for (let i = 0; i < losses.cpu.length; i++) expect(Math.abs(losses.webgpu[i] - losses.cpu[i]) / losses.cpu[i], `loss ${i}`).toBeLessThan(1e-4);
    expect(losses.webgpu[2]).toBeLessThan(losses.webgpu[0]); // it learned

    // Exports read tensors synchronously, so they run on wasm, as the trainer does for any export request.
    await chooseBackend();
    const files = await exportRun(runDir, join(runDir, 'export'), ['tfjs', 'onnx'], TEST_CACHE_DIR);
    expect(files).toEqual(expect.arrayContaining(['autoencoder/model.json', 'autoencoder.onnx']));
  });
});
