/**
 * An analysis result as numbers a person or a script reads (the CLI's JSON):
 * images and per-sample arrays left out (they go to PNG and CSV files),
 * anomaly scores summarised at a percentile threshold.
 */
import type { AnalysisResult } from './analysis-messages';
import { percentile, rocAuc, thresholdStats } from './anomaly-stats';

/** The percentile the CLI's anomaly summary puts its threshold at. */
export const DEFAULT_ANOMALY_PERCENTILE = 95;

/** The JSON-ready summary of a result. */
export function summarizeAnalysis(result: AnalysisResult): Record<string, unknown> {
  switch (result.task) {
    case 'denoise':
      return { task: result.task, noise: result.noise, evaluated: result.evaluated, psnrNoised: result.psnrNoised, psnrDenoised: result.psnrDenoised, files: result.files.map((f) => f.name), fileErrors: result.fileErrors };
    case 'pca': {
      const scores = (m: typeof result.ae) => ({ mse: m.mse, bce: m.bce, projection: m.projection, silhouette: m.silhouette, knnAccuracy: m.knnAccuracy });
      return { task: result.task, components: result.components, trainCount: result.trainCount, valCount: result.valCount, autoencoder: scores(result.ae), pca: { ...scores(result.pca), explainedVariance: result.pca.explainedVariance } };
    }
    case 'anomaly': {
      const { scores, labels } = result;
      const threshold = percentile(scores, DEFAULT_ANOMALY_PERCENTILE);
      const anomalous = new Set(result.anomalousLabels);
      const truth = labels && anomalous.size > 0 ? (i: number) => anomalous.has(labels[i]) : null;
      return {
        task: result.task,
        dataset: result.datasetName,
        count: scores.length,
        median: percentile(scores, 50),
        threshold: { percentile: DEFAULT_ANOMALY_PERCENTILE, value: threshold, ...(truth ? thresholdStats(scores, truth, threshold) : { flagged: scores.filter((s) => s > threshold).length }) },
        anomalousLabels: result.anomalousLabels,
        rocAuc: truth ? rocAuc(scores, truth) : null,
        // A VAE's other score, on the same labels: which of the two separates the anomalies better.
        ...(result.elbo && { negativeElbo: { median: percentile(result.elbo, 50), rocAuc: truth ? rocAuc(result.elbo, truth) : null } }),
        top: Array.from(result.top.indices, (i) => ({ index: i, score: scores[i], label: labels ? labels[i] : null })),
        files: result.files,
      };
    }
    case 'features':
      return { ...result };
    case 'compression':
      return { task: result.task, count: result.count, originalBytes: result.originalBytes, codeBytes: result.codeBytes, budget: result.budget, scores: result.scores, overBudget: result.overBudget };
    case 'latent':
      return { task: result.task, codeShape: result.codeShape, codeSize: result.codeSize, sliders: { kind: result.axes.kind, count: result.axes.min.length }, from: result.from, to: result.to, steps: result.interpolation.count };
    case 'generate':
      return {
        task: result.task,
        codeShape: result.codeShape,
        codeSize: result.codeSize,
        prior: { kind: result.prior.kind, note: result.prior.note },
        mode: result.mode,
        generated: result.images.count,
        columns: result.columns,
        interpolations: Array.from({ length: result.interpolations.length }, (_, p) => ({ from: result.pairs[2 * p], to: result.pairs[2 * p + 1], steps: result.interpolations[p].count })),
      };
  }
}
