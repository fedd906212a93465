/** Training progress for a terminal: a redrawn bar on a TTY, plain lines in logs and pipes. */
import type { EpochMetrics, TrainerEvent } from '../../src-shared/protocol/trainer-messages';
import { formatSamplesPerSec } from '../../src-shared/util/throughput';
import { CLEAR_LINE } from './io';
import type { CliIo } from './io';

type Progress = Extract<TrainerEvent, { type: 'progress' }>;

const duration = (s: number) => (s >= 3600 ? `${Math.floor(s / 3600)}h${Math.round((s % 3600) / 60)}m` : s >= 60 ? `${Math.floor(s / 60)}m${Math.round(s % 60)}s` : `${Math.round(s)}s`);

/** One progress line: bar (on a TTY), epoch, batch, loss, speed and ETA. */
export function formatProgress(p: Progress, barWidth: number): string {
  const done = ((p.epoch - 1) * p.batches + p.batch) / (p.epochs * p.batches);
  const bar = barWidth > 0 ? `[${'#'.repeat(Math.round(done * barWidth)).padEnd(barWidth, '.')}] ` : '';
  return `${bar}epoch ${p.epoch}/${p.epochs} batch ${p.batch}/${p.batches}  loss ${p.loss.toFixed(5)}  ${formatSamplesPerSec(p.samplesPerSec)}  ETA ${duration(p.etaSeconds)}`;
}

/** The line printed when an epoch ends: losses, penalties, speed (as the progress bar shows it) and time. */
export function formatEpochLine(m: EpochMetrics): string {
  const pens = Object.entries(m.penalties).map(([k, v]) => ` ${k} ${v.toExponential(2)}`).join('');
  // A VAE's train loss is its reconstruction term; the KL term and their sum, the negative ELBO, follow it.
  const loss = m.vae
    ? `reconstruction ${m.trainLoss.toFixed(3)}  KL ${m.vae.kl.toFixed(3)} (β ${m.vae.beta.toPrecision(3)})  −ELBO ${m.vae.negativeElbo.toFixed(3)}${m.valLoss !== null ? `  validation reconstruction ${m.valLoss.toFixed(3)}` : ''}`
    : `train loss ${m.trainLoss.toFixed(5)}${m.valLoss !== null ? `  validation loss ${m.valLoss.toFixed(5)}` : ''}`;
  return `epoch ${m.epoch}: ${loss}${pens}  ${formatSamplesPerSec(m.samplesPerSec)}  ${m.seconds.toFixed(1)} s`;
}

/** Writes progress: on a TTY one line redrawn in place, elsewhere a line at most every few seconds. */
export function progressPrinter(io: CliIo, isTty: boolean): { progress(p: Progress): void; line(s: string): void } {
  const write = (s: string) => io.err(s);
  const clear = () => io.control?.(CLEAR_LINE);
  let drawn = false;
  let lastPlain = 0;
  return {
    progress(p) {
      if (isTty) {
        clear();
        write(formatProgress(p, 30));
        drawn = true;
      } else if (Date.now() - lastPlain > 5000) {
        lastPlain = Date.now();
        write(`${formatProgress(p, 0)}\n`);
      }
    },
    line(s) {
      if (drawn) clear();
      write(`${s}\n`);
      drawn = false;
    },
  };
}
