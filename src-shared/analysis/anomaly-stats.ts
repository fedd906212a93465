/**
 * Pure statistics over anomaly scores, shared by the panel (which recomputes
 * them as the threshold moves, without a round trip) and the CLI.
 */

/** The value below which `p` percent of `scores` lie (linear interpolation between order statistics). */
export function percentile(scores: ArrayLike<number>, p: number): number {
  if (scores.length === 0) return NaN;
  const sorted = Float64Array.from(scores).sort();
  const pos = (Math.min(100, Math.max(0, p)) / 100) * (sorted.length - 1);
  const i = Math.floor(pos);
  return i + 1 < sorted.length ? sorted[i] + (pos - i) * (sorted[i + 1] - sorted[i]) : sorted[i];
}

/** Counts of scores in `bins` equal-width bins from min to max, split by whether each sample is anomalous. */
export function histogram(scores: ArrayLike<number>, bins: number, isAnomalous?: (i: number) => boolean): { min: number; max: number; normal: number[]; anomalous: number[] } {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < scores.length; i++) {
    min = Math.min(min, scores[i]);
    max = Math.max(max, scores[i]);
  }
  const normal = new Array<number>(bins).fill(0);
  const anomalous = new Array<number>(bins).fill(0);
  const width = (max - min) / bins || 1;
  for (let i = 0; i < scores.length; i++) {
    const b = Math.min(bins - 1, Math.floor((scores[i] - min) / width));
    (isAnomalous?.(i) ? anomalous : normal)[b]++;
  }
  return { min, max, normal, anomalous };
}

/** How a threshold sorts labelled samples: flagged = score above the threshold. */
export interface ThresholdStats {
  flagged: number;
  truePositives: number;
  precision: number;
  recall: number;
  f1: number;
}

/** Precision and recall of flagging every sample whose score is above `threshold`, where `isAnomalous` says the truth. */
export function thresholdStats(scores: ArrayLike<number>, isAnomalous: (i: number) => boolean, threshold: number): ThresholdStats {
  let flagged = 0;
  let tp = 0;
  let positives = 0;
  for (let i = 0; i < scores.length; i++) {
    const truth = isAnomalous(i);
    if (truth) positives++;
    if (scores[i] > threshold) {
      flagged++;
      if (truth) tp++;
    }
  }
  const precision = flagged ? tp / flagged : 0;
  const recall = positives ? tp / positives : 0;
  return { flagged, truePositives: tp, precision, recall, f1: precision + recall ? (2 * precision * recall) / (precision + recall) : 0 };
}

/** Area under the ROC curve: the chance that a random anomalous sample scores above a random normal one (ties count half). */
export function rocAuc(scores: ArrayLike<number>, isAnomalous: (i: number) => boolean): number {
  const idx = Array.from({ length: scores.length }, (_, i) => i).sort((a, b) => scores[a] - scores[b]);
  let pos = 0;
  let neg = 0;
  let rankSum = 0;
  // Mann–Whitney U with average ranks for ties.
  for (let i = 0; i < idx.length; ) {
    let j = i;
    while (j + 1 < idx.length && scores[idx[j + 1]] === scores[idx[i]]) j++;
    const rank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) {
      if (isAnomalous(idx[k])) {
        pos++;
        rankSum += rank;
      } else neg++;
    }
    i = j + 1;
  }
  return pos && neg ? (rankSum - (pos * (pos + 1)) / 2) / (pos * neg) : NaN;
}
