import { describe, expect, it } from 'vitest';
import { templateSpec } from '../../../tests/helpers/specs';
import { WASM_HEAP_BYTES, checkModelMemory } from './memory-check';

const GB = 1e9;

describe('checkModelMemory', () => {
  const { spec, project } = templateSpec('vanilla');

  it('lets the vanilla autoencoder through and returns its estimate', () => {
    expect(checkModelMemory(spec, project.training, 'wasm', 8 * GB).totalBytes).toBe(3_691_776);
  });

  it('refuses a model whose estimate exceeds 75% of the machine, naming the estimate, the memory and the largest layer', () => {
    // At batch 65,536 the vanilla model's activations alone are 65,536 × 4048 × 4 bytes ≈ 1.06 GB.
    const settings = { ...project.training, batchSize: 65536 };
    expect(() => checkModelMemory(spec, settings, 'cpu', 1.4 * GB)).toThrow(/^The model needs about 1\.1 GB to train at batch size 65536 \(.*activations 1\.1 GB\), more than 75% of this machine's 1\.4 GB of memory \(1\.1 GB\)\. The largest layer is "dec" \(node dec, /);
    expect(checkModelMemory(spec, settings, 'cpu', 2 * GB).totalBytes).toBeGreaterThan(GB);
  });

  it('caps the wasm backend at its 4 GiB heap whatever the machine has, and says to try another backend', () => {
    const settings = { ...project.training, batchSize: 65536 };
    const wide = { ...spec, layers: spec.layers.map((l) => (l.type === 'dense' && l.name === 'code' ? { ...l, units: 4096, outputShape: [4096], paramCount: 784 * 4096 + 4096 } : l)) };
    const needs = checkModelMemory(wide, settings, 'cpu', 64 * GB).totalBytes;
    expect(needs).toBeGreaterThan(WASM_HEAP_BYTES);
    let error: unknown;
    try {
      checkModelMemory(wide, settings, 'wasm', 64 * GB);
    } catch (e) {
      error = e;
    }
    expect((error as Error).message).toMatch(/more than the WebAssembly backend's 4\.3 GB heap/);
    expect((error as { hint: string }).hint).toMatch(/or the cpu or node backend/);
  });

  it('refuses a batch whose activations would be one tensor larger than TF.js can allocate, naming the layer', () => {
    const wide = { ...spec, layers: spec.layers.map((l) => (l.type === 'dense' && l.name === 'code' ? { ...l, units: 65536, outputShape: [65536], paramCount: 784 * 65536 + 65536 } : l)) };
    expect(() => checkModelMemory(wide, { ...project.training, batchSize: 65536 }, 'cpu', 1e15)).toThrow(/^Layer "code" \(node code\) would output one tensor of 4,294,967,296 values per batch of 65536/);
  });
});
