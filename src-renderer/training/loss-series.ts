/**
 * The loss chart's series: the running batch loss, the epoch losses, and each
 * term of the objective (every regularizer penalty, a VAE's KL and −ELBO) as its
 * own line, from the epochs the store holds. Pure, so the chart and its test
 * read the same list.
 */
import type { EpochMetrics } from '../../src-shared/protocol/trainer-messages';

/** One line of the chart. */
export interface LossSeries {
  key: string;
  label: string;
  colour: string;
  /** The batch series is thin and unmarked; epoch series get points. */
  perBatch: boolean;
}

const TERM_COLOURS = ['#e15759', '#76b7b2', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#59a14f'];

/** The series to draw for these epochs, in a stable order (so colours do not jump as epochs arrive). */
export function lossSeries(epochs: readonly EpochMetrics[]): LossSeries[] {
  const vae = epochs.some((e) => e.vae);
  const out: LossSeries[] = [
    { key: 'batch', label: 'batch (running)', colour: '#6b7280', perBatch: true },
    { key: 'train', label: vae ? 'reconstruction (train)' : 'train', colour: '#3f83f8', perBatch: false },
    { key: 'val', label: vae ? 'reconstruction (validation)' : 'validation', colour: '#f28e2b', perBatch: false },
  ];
  const terms: string[] = [];
  if (vae) terms.push('vae:kl', 'vae:negativeElbo');
  for (const name of [...new Set(epochs.flatMap((e) => Object.keys(e.penalties)))].sort()) terms.push(`penalty:${name}`);
  terms.forEach((key, i) => {
    const label = key === 'vae:kl' ? 'KL' : key === 'vae:negativeElbo' ? '−ELBO' : `penalty ${key.slice('penalty:'.length)}`;
    out.push({ key, label, colour: TERM_COLOURS[i % TERM_COLOURS.length], perBatch: false });
  });
  return out;
}

function epochValue(e: EpochMetrics, key: string): number | null {
  if (key === 'train') return e.trainLoss;
  if (key === 'val') return e.valLoss;
  if (key === 'vae:kl') return e.vae?.kl ?? null;
  if (key === 'vae:negativeElbo') return e.vae?.negativeElbo ?? null;
  if (key.startsWith('penalty:')) return e.penalties[key.slice('penalty:'.length)] ?? null;
  return null;
}

/**
 * uPlot's aligned columns: x (epochs seen, fractional for batches) then one
 * column per series. On a log axis a value ≤ 0 (a KL of exactly 0) has no
 * place: it becomes a gap rather than breaking the scale.
 */
export function lossColumns(series: readonly LossSeries[], batchLoss: readonly [number, number][], epochs: readonly EpochMetrics[], log: boolean): [number[], ...(number | null)[][]] {
  const xs = [...new Set([...batchLoss.map(([x]) => x), ...epochs.map((e) => e.epoch)])].sort((a, b) => a - b);
  const batch = new Map(batchLoss);
  const byEpoch = new Map(epochs.map((e) => [e.epoch, e]));
  const keep = (v: number | null | undefined) => (v === null || v === undefined || !Number.isFinite(v) || (log && v <= 0) ? null : v);
  return [
    xs,
    ...series.map((s) =>
      xs.map((x) => {
        if (s.perBatch) return keep(batch.get(x));
        const e = byEpoch.get(x);
        return e ? keep(epochValue(e, s.key)) : null;
      }),
    ),
  ];
}
