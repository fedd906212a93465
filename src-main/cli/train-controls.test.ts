/**
 * `aestudio train` with the training controls as a person runs it (real
 * processes, MNIST): the settings' flags come from the field table (help and
 * messages alike), early stopping says why it stopped, and a run that stopped
 * early continues for more epochs with --more-epochs, its patience counted afresh.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TRAINING_FIELDS, fieldMessage } from '../../src-shared/project/training-fields';
import { readRunRecord } from '../common/run-folder';
import { aestudio } from '../../tests/helpers/cli';
import { TEMPLATES_DIR } from '../../tests/helpers/templates';

const VANILLA = join(TEMPLATES_DIR, 'vanilla.aestudio');

describe('aestudio train: schedules, early stopping, keep best, more epochs', () => {
  it('--help lists each setting flag with its label, range and default from the field table', async () => {
    const r = await aestudio('--help');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('--lr-schedule none|plateau|cosine|step');
    expect(r.stdout).toContain(`${TRAINING_FIELDS.lrFactor.label}: ${TRAINING_FIELDS.lrFactor.help} (a number from 0.01 to 0.99; default: the project's, else 0.5).`);
    expect(r.stdout).toContain('--more-epochs N');
  });

  it('an out-of-range flag is refused with the schema\'s message (the form shows the same), before a trainer starts', async () => {
    const r = await aestudio('train', VANILLA, '--lr-factor', '2', '--out', join(tmpdir(), 'aes-never-written'));
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`error: lrFactor: ${fieldMessage(TRAINING_FIELDS.lrFactor)} (--lr-factor)\n`);
    const word = await aestudio('train', VANILLA, '--lr-schedule', 'exponential');
    expect(word).toMatchObject({ code: 2, stderr: '--lr-schedule must be one of none, plateau, cosine, step, not "exponential".\n' });
    const alone = await aestudio('train', VANILLA, '--more-epochs', '2');
    expect(alone.code).toBe(2);
    expect(alone.stderr).toMatch(/^--more-epochs continues a run: give it with --resume RUN_DIR/);
  });

  it('stops early and says why; the run then continues with --more-epochs, its patience counted afresh', async () => {
    const out = await mkdtemp(join(tmpdir(), 'aes-cli-early-'));
    try {
      // No epoch beats the first by more than 1000, so patience 2 ends the run after epoch 3.
      const r = await aestudio('train', VANILLA, '--epochs', '9', '--max-samples', '300', '--early-stopping', '--patience', '2', '--min-delta', '1000', '--keep-best', '--lr-schedule', 'step', '--lr-step-every', '1', '--lr-factor', '0.5', '--out', out);
      expect(r.code).toBe(0);
      expect(r.stderr).toContain("Stopped early after epoch 3: the validation loss had not improved by more than 1000 for 2 epochs (best: epoch 1); the model keeps epoch 1's weights (the lowest validation loss).");
      const first = await readRunRecord(out);
      if (!first.ok) throw new Error(first.error);
      expect(first.record).toMatchObject({ status: 'finished', stopReason: 'earlyStopping', bestEpoch: 1, keptEpoch: 1, checkpointEpoch: 3, settings: { lrSchedule: 'step', earlyStopping: true, keepBest: true } });
      expect(first.record.epochs.map((e) => e.learningRate)).toEqual([0.001, 0.0005, 0.00025]);
      expect(r.stderr).toMatch(/^epoch 3: train loss .* {2}lr 0\.000250$/m);

      const plain = await aestudio('train', '--resume', out);
      expect(plain.code).toBe(1);
      expect(plain.stderr).toMatch(/has stopped early; there is nothing to resume\. Continue it for more epochs instead \(aestudio train --resume RUN_DIR --more-epochs N/);

      // Patience counts afresh from epoch 3, not from the best (epoch 1, which would stop after epoch 4): epochs 4 and 5, then it stops again.
      const more = await aestudio('train', '--resume', out, '--more-epochs', '3');
      expect(more.code).toBe(0);
      expect(more.stderr).toContain(`Resuming from epoch 3 of 6 in ${out}.`);
      expect(more.stderr).toMatch(/epoch 5: train loss/);
      const after = await readRunRecord(out);
      if (!after.ok) throw new Error(after.error);
      expect(after.record.epochs.map((e) => e.epoch)).toEqual([1, 2, 3, 4, 5]);
      expect(after.record).toMatchObject({ stopReason: 'earlyStopping', patienceFrom: 3, settings: { epochs: 6 }, resumes: [{ fromEpoch: 3 }], keptEpoch: 1 });
      expect(after.record.epochs.slice(0, 3)).toEqual(first.record.epochs);
      expect(after.record.epochs.slice(3).map((e) => e.learningRate)).toEqual([0.000125, 0.0000625]);
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  });
});
