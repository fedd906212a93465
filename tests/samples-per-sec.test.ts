/**
 * One speed, one wording: the dashboard's progress line, the CLI's progress
 * bar and the CLI's epoch line show the same figure for the same rate (a
 * slow run's 45.67 samples/s once read "46" on one and "45.7" on another).
 */
import { describe, expect, it } from 'vitest';
import { formatEpochLine, formatProgress } from '../src-main/cli/progress';
import { progressLine } from '../src-renderer/training/progress-line';
import { formatSamplesPerSec } from '../src-shared/util/throughput';

describe('samples/s in the dashboard and the CLI', () => {
  for (const rate of [45.67, 812.5, 12_345.4]) {
    it(`reads the same for ${rate} samples/s`, () => {
      const progress = { type: 'progress' as const, runId: 'r', epoch: 1, epochs: 1, batch: 10, batches: 10, loss: 0.1, samplesPerSec: rate, etaSeconds: 0 };
      const metrics = { epoch: 1, trainLoss: 0.1, valLoss: 0.2, penalties: {}, seconds: 1, samplesPerSec: rate };
      const figure = formatSamplesPerSec(rate);
      expect(progressLine(progress, 'running')).toContain(` · ${figure} · `);
      expect(formatProgress(progress, 30)).toContain(`  ${figure}  `);
      expect(formatEpochLine(metrics)).toContain(`  ${figure}  `);
    });
  }
});
