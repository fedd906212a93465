/**
 * A model too large for TF.js or for the machine is refused by the trainer
 * before the dataset loads or any weight is allocated, with the layer to
 * shrink, instead of training to 17 GB and ending in "This looks like a bug".
 * The specs are written by hand, as a file could hold them: the compiler
 * refuses these graphs already (memory-estimate.test.ts), the trainer must too.
 */
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { MODEL_INPUT, MODEL_SPEC_VERSION } from '../../src-shared/compiler/model-spec';
import type { LayerSpec, ModelSpec } from '../../src-shared/compiler/model-spec';
import type { TrainerEvent } from '../../src-shared/protocol/trainer-messages';
import { TrainingService } from '../../src-main/services/training-service';
import { forkLauncher } from '../../src-main/trainer/host/trainer-child';
import { TEST_CACHE_DIR, templateSpec } from '../helpers/specs';

let service: TrainingService | null = null;
afterEach(() => service?.dispose());

const dense = (name: string, from: string, inputs: number, units: number): LayerSpec => ({ type: 'dense', units, activation: 'relu', name, nodeId: name, inputs: [from], auto: false, inputShape: [inputs], outputShape: [units], paramCount: inputs * units + units, kernelL2: 0 });

/** An MNIST autoencoder of dense layers of these widths (the last is the code's mirror: 784), as a spec file could hold it. */
function denseSpec(widths: number[]): ModelSpec {
  const layers: LayerSpec[] = [{ type: 'flatten', name: 'l0_flatten', nodeId: 'l0', inputs: [MODEL_INPUT], auto: true, inputShape: [28, 28, 1], outputShape: [784], paramCount: 0, kernelL2: 0 }];
  let inputs = 784;
  widths.forEach((units, i) => {
    layers.push(dense(`l${i}`, layers[layers.length - 1].name, inputs, units));
    inputs = units;
  });
  layers.push({ type: 'reshape', targetShape: [28, 28, 1], name: 'out_reshape', nodeId: 'out', inputs: [layers[layers.length - 1].name], auto: true, inputShape: [784], outputShape: [28, 28, 1], paramCount: 0, kernelL2: 0 });
  const totalParams = layers.reduce((a, l) => a + l.paramCount, 0);
  const nodes = [{ nodeId: 'in', kind: 'input', outputShape: [28, 28, 1], paramCount: 0 }, ...widths.map((u, i) => ({ nodeId: `l${i}`, kind: i === 0 ? 'bottleneck' : 'decoder', outputShape: [u], paramCount: layers[i + 1].paramCount })), { nodeId: 'out', kind: 'output', outputShape: [28, 28, 1], paramCount: 0 }];
  return { format: 'aestudio-model-spec', version: MODEL_SPEC_VERSION, dataset: 'mnist', inputShape: [28, 28, 1], layers, codeLayerIndex: 1, codeShape: [widths[0]], loss: 'mse', totalParams, compressionRatio: 784 / widths[0], nodes };
}

/** Peak resident memory of a process (Linux: VmHWM), in bytes; null elsewhere. */
function peakRss(pid: number): number | null {
  try {
    const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb ? Number(kb) * 1024 : null;
  } catch {
    return null;
  }
}

/** Starts a run of `spec` on MNIST in a fresh trainer; its end event and the trainer's peak memory when it ended. */
async function train(spec: ModelSpec): Promise<{ end: TrainerEvent; peak: number | null }> {
  let pid = 0;
  const fork = forkLauncher();
  service = new TrainingService(() => {
    const child = fork();
    pid = child.pid ?? 0;
    return child;
  });
  const s = service;
  const end = new Promise<TrainerEvent>((resolve) => s.onEvent((e) => (e.type === 'done' || e.type === 'error') && resolve(e)));
  const { project } = templateSpec('vanilla');
  await s.start({ spec, dataset: { kind: 'builtin', id: 'mnist' }, settings: { ...project.training, epochs: 1 }, options: { cacheDir: TEST_CACHE_DIR } });
  const event = await end;
  return { end: event, peak: peakRss(pid) };
}

describe('models too large to train', () => {
  it('refuses a 65,536-unit dense pair (4.3e9 parameters) before allocating it, naming the layer whose weights TF.js cannot hold, with the trainer under 1 GB', async () => {
    const { end, peak } = await train(denseSpec([65536, 65536, 784]));
    expect(end.type).toBe('error');
    if (end.type !== 'error') return;
    expect(end.message).toMatch(/^Layer "l1" \(node l1\) would hold its weights in one tensor of 4,294,967,296 values, more than TF\.js can allocate/);
    expect(end.hint).toMatch(/fewer units or filters in node l1/);
    if (peak !== null) expect(peak).toBeLessThan(1024 ** 3);
  });

  it('refuses a model whose every tensor fits but whose estimate exceeds the machine, naming the estimate, the machine\'s memory and the largest layer', async () => {
    // Forty layers of 32,767 × 65,536 weights: each tensor just under the limit, 1.4 TB of training memory in all.
    const widths = Array.from({ length: 40 }, (_, i) => (i % 2 === 0 ? 65536 : 32767));
    const { end, peak } = await train(denseSpec([...widths, 784]));
    expect(end.type).toBe('error');
    if (end.type !== 'error') return;
    expect(end.message).toMatch(/^The model needs about [\d.]+ TB to train at batch size 128 \(weights .*, gradients .*, adam slots .*, activations .*\), more than (\d+% of this machine's [\d.]+ GB of memory|the WebAssembly backend's 4\.3 GB heap) \([\d.]+ GB\)\. The largest layer is "l\d+" \(node l\d+, [\d.]+ GB\)\.$/);
    expect(end.hint).toMatch(/fewer units or filters in node l\d+, or a smaller batch size/);
    if (peak !== null) expect(peak).toBeLessThan(1024 ** 3);
  });
});
