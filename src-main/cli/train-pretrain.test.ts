/** `aestudio train --pretrain N` as a person runs it: a real process on MNIST, the stages printed and kept in metrics.json. */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseRunRecord } from '../../src-shared/run/run-record';
import { aestudio } from '../../tests/helpers/cli';
import { TEMPLATES_DIR } from '../../tests/helpers/templates';

describe('aestudio train --pretrain', () => {
  it('pretrains the multilayer template stage by stage, prints each stage, then fine-tunes; metrics.json keeps the stages', async () => {
    const out = await mkdtemp(join(tmpdir(), 'aes-pretrain-'));
    try {
      const r = await aestudio('train', join(TEMPLATES_DIR, 'multilayer.aestudio'), '--pretrain', '1', '--epochs', '1', '--max-samples', '300', '--out', out);
      expect(r.code).toBe(0);
      const lines = r.stderr.split('\n');
      const at = (re: RegExp) => lines.findIndex((l) => re.test(l));
      expect(lines[at(/^Layer-wise pretraining/)]).toBe('Layer-wise pretraining, 1 epoch per stage: enc1 ↔ dec2, then code ↔ dec1; then 1 epoch of fine-tuning.');
      expect(lines[at(/^pretraining stage 1\/2/)]).toMatch(/^pretraining stage 1\/2: enc1 ↔ dec2 \(trains enc1_flatten, enc1, dec2, output_reshape\) {2}bce \d\.\d{5} → \d\.\d{5} {2}validation \d\.\d{5}/);
      expect(lines[at(/^pretraining stage 2\/2/)]).toMatch(/^pretraining stage 2\/2: code ↔ dec1 \(trains code, dec1\) {2}mse /);
      expect(at(/^pretraining stage 1\/2/)).toBeLessThan(at(/^pretraining stage 2\/2/));
      expect(at(/^pretraining stage 2\/2/)).toBeLessThan(at(/^epoch 1:/));
      const read = parseRunRecord(JSON.parse(await readFile(join(out, 'metrics.json'), 'utf8')));
      if (!read.ok) throw new Error(read.error);
      expect(read.record.pretrain.map((s) => s.pair)).toEqual([['enc1', 'dec2'], ['code', 'dec1']]);
      expect(read.record.settings?.pretrain).toBe(1);
      expect(read.record.epochs).toHaveLength(1);
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  });

  it('refuses a graph with no mirrored pairs before starting a trainer, naming why', async () => {
    const r = await aestudio('train', join(TEMPLATES_DIR, 'convolutional.aestudio'), '--pretrain', '2', '--out', join(tmpdir(), 'aes-never-written'));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: Layer-wise pretraining cannot run on this graph: the stacks are unequal: the encoder has 2 weighted layers \(enc1_1, code_1\) and the decoder 3 \(dec1, dec2, dec3\)/);
    expect(r.stderr).toMatch(/→ Set pretraining to 0 epochs per stage/);
    expect(r.stderr).not.toMatch(/Training "/);
  });

  it('refuses a negative --pretrain, and --pretrain with --resume', async () => {
    const neg = await aestudio('train', join(TEMPLATES_DIR, 'multilayer.aestudio'), '--pretrain=-1');
    expect(neg).toMatchObject({ code: 2, stderr: '--pretrain must be a whole number, not "-1".\n' });
    const resume = await aestudio('train', '--resume', join(tmpdir(), 'no-such-run'), '--pretrain', '1');
    expect(resume.code).toBe(2);
    expect(resume.stderr).toMatch(/--pretrain does not apply to --resume/);
  });
});
