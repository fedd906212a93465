/**
 * `aestudio analyze RUN --task generate,anomaly` on a dense VAE the CLI
 * trained (one short epoch on real MNIST digits), as a person runs it: the
 * manifold and interpolation PNGs and the JSON are written, and the anomaly
 * summary compares reconstruction error with the negative ELBO on the same labels.
 */
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { aestudio } from '../../tests/helpers/cli';
import { TEMPLATES_DIR } from '../../tests/helpers/templates';

describe('aestudio analyze --task generate', () => {
  it('writes the 2-D manifold and the interpolations as PNGs, and the anomaly summary compares both scores', async () => {
    const out = await mkdtemp(join(tmpdir(), 'aes-vae-cli-'));
    const trained = await aestudio('train', join(TEMPLATES_DIR, 'vae-dense.aestudio'), '--epochs', '1', '--max-samples', '400', '--out', out);
    expect(trained.code, trained.stderr).toBe(0);
    const r = await aestudio('analyze', out, '--task', 'generate,anomaly', '--anomalous', '9', '--out', join(out, 'a'));
    expect(r.code, r.stderr).toBe(0);
    const [generate, anomaly] = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(generate).toMatchObject({ task: 'generate', codeSize: 2, mode: 'grid', generated: 225, columns: 15, prior: { kind: 'standard-normal' } });
    expect(generate.interpolations).toHaveLength(4);
    for (const f of ['generate.json', 'generate.png', 'generate-interpolations.png']) expect(r.stderr).toContain(join(out, 'a', f));
    // 15 digits of 28 pixels edge to edge, drawn at twice their size.
    expect(await sharp(join(out, 'a/generate.png')).metadata()).toMatchObject({ format: 'png', width: 15 * 28 * 2, height: 15 * 28 * 2 });
    expect((await sharp(join(out, 'a/generate-interpolations.png')).metadata()).format).toBe('png');
    expect(JSON.parse(await readFile(join(out, 'a/generate.json'), 'utf8'))).toEqual(generate);
    expect(anomaly.rocAuc).toBeGreaterThan(0);
    expect(anomaly.negativeElbo.rocAuc).toBeGreaterThan(0);
  }, 180_000);
});
