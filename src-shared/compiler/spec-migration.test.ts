/**
 * Version 1 project files and specs load unchanged. tests/fixtures/specs-v1/compiled-by-v1.json
 * holds what the release before graphs (commit 50b60b3, ModelSpec version 1: chains) made of
 * every template and every project fixture: whether the file loaded, whether it compiled, its
 * spec or its error codes. Compiling the same files now must give the same layers, and those
 * version 1 specs must still read as the chains they were.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseProject, projectGraph } from '../project/project-file';
import { compile } from './compile';
import { MODEL_INPUT, MODEL_SPEC_VERSION, ModelSpecSchema } from './model-spec';
import type { ModelSpec } from './model-spec';
import { codeParts } from './spec-graph';

const ROOT = join(import.meta.dirname, '../..');
type Before = { loads: false } | { loads: true; ok: true; spec: ModelSpec } | { loads: true; ok: false; errors: string[] };
const BEFORE = JSON.parse(readFileSync(join(ROOT, 'tests/fixtures/specs-v1/compiled-by-v1.json'), 'utf8')) as Record<string, Before>;

describe('version 1 files under the graph compiler', () => {
  it('the record covers every template and project fixture', () => {
    const files = Object.keys(BEFORE);
    expect(files.filter((f) => f.startsWith('resources/templates/')).length).toBeGreaterThanOrEqual(5);
    expect(files.filter((f) => f.startsWith('tests/fixtures/projects/')).length).toBeGreaterThanOrEqual(10);
  });

  it.each(Object.keys(BEFORE))('%s: compiles to the same layers as before, each taking the one before it', (file) => {
    const before = BEFORE[file];
    const parsed = parseProject(readFileSync(join(ROOT, file), 'utf8'), file);
    expect(parsed.ok).toBe(before.loads);
    if (!parsed.ok || !before.loads) return;
    const now = compile(projectGraph(parsed.project));
    expect(now.ok).toBe(before.ok);
    if (!before.ok || !now.ok) {
      // "fan-out" is no error any more (a node's output may feed several nodes); every other refusal stays.
      const errors = [...new Set(now.diagnostics.filter((d) => d.severity === 'error').map((d) => d.code))].sort();
      if (!before.ok) expect(errors).toEqual(before.errors.filter((c) => c !== 'fan-out'));
      return;
    }
    const { spec } = now;
    expect(spec.version).toBe(MODEL_SPEC_VERSION);
    // Read through today's schema: parameters added since (a pooling's padding) take the default that means what version 1 did,
    // and each layer without inputs takes the one before it, which is what the compiler now writes down.
    expect(spec.layers).toEqual(ModelSpecSchema.parse(before.spec).layers);
    expect(spec.layers.map((l) => l.inputs)).toEqual(spec.layers.map((_, i) => [i === 0 ? MODEL_INPUT : spec.layers[i - 1].name]));
    const { version: _v, layers: _l, ...restNow } = spec;
    const { version: _w, layers: _m, ...restBefore } = before.spec;
    expect(restNow).toEqual(restBefore);
    expect(spec.decoderAbsent).toBeUndefined();
  });

  it.each(Object.keys(BEFORE).filter((f) => { const b = BEFORE[f]; return b.loads && b.ok; }))('%s: its version 1 spec still parses, as a chain with a decoder', (file) => {
    const before = BEFORE[file] as { spec: ModelSpec };
    const spec = ModelSpecSchema.parse(before.spec);
    expect(spec.version).toBe(1);
    const parts = codeParts(spec.layers, spec.codeLayerIndex);
    expect(parts.encoder).toEqual(spec.layers.slice(0, spec.codeLayerIndex + 1).map((_, i) => i));
    expect(parts.decoder).toEqual(spec.layers.map((_, i) => i).slice(spec.codeLayerIndex + 1));
    expect(parts.bypass).toEqual([]);
    expect(spec.layers.map((l) => l.inputs)).toEqual(spec.layers.map((_, i) => [i === 0 ? MODEL_INPUT : spec.layers[i - 1].name]));
  });
});
