/**
 * Exporting a run folder someone sent: a model.json whose weights manifest
 * leads out of the folder is refused before any byte outside it is read, so
 * nothing of the file it names reaches the export (the loader's own refusals
 * are tested in model/read-weights.test.ts).
 */
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { editManifest } from '../../../tests/helpers/model-json';
import { templateSpec } from '../../../tests/helpers/specs';
import { buildModel } from '../model/build-model';
import { saveLayersModel } from '../model/save-layers-model';
import { exportRun } from './export-run';

describe('exportRun on a hostile run folder', () => {
  it('exporting a run whose model.json names ../secret.txt is refused, and no byte of the secret reaches the export folder', async () => {
    const outer = mkdtempSync(join(tmpdir(), 'aes-export-hostile-'));
    const run = join(outer, 'run');
    mkdirSync(run);
    const { spec } = templateSpec('vanilla');
    const model = buildModel(spec, 0);
    await saveLayersModel(model.inference, run);
    model.train.dispose();
    writeFileSync(join(run, 'spec.json'), JSON.stringify(spec));
    writeFileSync(join(run, 'metrics.json'), '{"epochs": []}');
    const size = statSync(join(run, 'weights.bin')).size;
    writeFileSync(join(outer, 'secret.txt'), Buffer.alloc(size, 'S')); // the right size: only the path check stops it
    editManifest(run, (j) => (j.weightsManifest[0].paths = ['../secret.txt']));
    const out = join(outer, 'export');
    await expect(exportRun(run, out, ['tfjs', 'onnx'], join(outer, 'cache'))).rejects.toThrow(/names "\.\.\/secret\.txt", which leads out of /);
    const written = (() => {
      try {
        return readdirSync(out, { recursive: true, withFileTypes: true }).filter((f) => f.isFile()).map((f) => readFileSync(join(f.parentPath, f.name)));
      } catch {
        return [];
      }
    })();
    expect(written.some((b) => b.includes(Buffer.alloc(64, 'S')))).toBe(false);
  });
});
