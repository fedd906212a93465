/**
 * Dimensionality reduction: the autoencoder's code against PCA with as many
 * components, fitted on the same training samples; reconstruction errors on
 * held-out samples, 2-D scatters, and how well each separates the labels.
 */
import type { AnalysisRequestFull, AnalysisResultOf } from '../../../src-shared/analysis/analysis-messages';
import { silhouette } from '../../../src-shared/analysis/separation';
import type { AnalysisContext } from './analysis-context';
import { heldOut, labelsAt } from './analysis-context';
import { imageRow } from './images';
import { knnAccuracy } from './knn';
import { fitPca, pcaProject, pcaReconstruct, project2d } from './pca';
import { gatherSamples, predictAll, reconstructionLosses } from './tensors';

type Request = Extract<AnalysisRequestFull, { task: 'pca' }>;

/** Held-out samples scored and drawn (silhouette is O(n²)). */
const HELD_OUT = 1000;
/** Training samples the k-NN compares against. */
const KNN_REFERENCES = 5000;
const SHOWN = 8;

/** Runs the comparison. */
export function analyzePca(ctx: AnalysisContext, req: Request): AnalysisResultOf<'pca'> {
  const trainIdx = ctx.split.train.subarray(0, Math.min(req.maxSamples, ctx.split.train.length));
  const valIdx = heldOut(ctx, HELD_OUT);
  const k = Math.min(ctx.codeSize, ctx.size, trainIdx.length - 1);
  const train = gatherSamples(ctx.data.values, ctx.size, trainIdx);
  const val = gatherSamples(ctx.data.values, ctx.size, valIdx);
  const nVal = valIdx.length;
  const valLabels = labelsAt(ctx.data, valIdx);
  const knnIdx = trainIdx.subarray(0, Math.min(KNN_REFERENCES, trainIdx.length));
  const knnLabels = labelsAt(ctx.data, knnIdx);

  // The model first: broken weights are refused before the seconds the PCA fit takes.
  const aeRecon = predictAll(ctx.model.inference, val, nVal, ctx.sampleShape, valIdx);
  const aeValCodes = predictAll(ctx.model.encoder, val, nVal, ctx.sampleShape, valIdx);
  const aeScatter = project2d(aeValCodes, nVal, ctx.codeSize);
  const fit = fitPca(train, trainIdx.length, ctx.size, k);
  const pcaValCodes = pcaProject(fit, val, nVal);
  const pcaRecon = pcaReconstruct(fit, pcaValCodes, nVal);
  const pcaPoints = pcaProject(fit, val, nVal, Math.min(2, fit.k));
  const score = (points: Float32Array, codesTrain: Float32Array, codesVal: Float32Array, dim: number) =>
    valLabels && knnLabels
      ? { silhouette: silhouette(points, points.length / nVal, valLabels), knnAccuracy: knnAccuracy(codesTrain, knnLabels, codesVal, valLabels, dim) }
      : { silhouette: null, knnAccuracy: null };
  const knnTrain = train.subarray(0, knnIdx.length * ctx.size);
  const aeScores = score(aeScatter.points, predictAll(ctx.model.encoder, knnTrain, knnIdx.length, ctx.sampleShape, knnIdx), aeValCodes, ctx.codeSize);
  const pcaScores = score(pcaPoints, pcaProject(fit, knnTrain, knnIdx.length), pcaValCodes, fit.k);
  const shown = Math.min(SHOWN, nVal);
  const nanToNull = (v: number | null) => (v === null || Number.isNaN(v) ? null : v);
  return {
    task: 'pca',
    components: fit.k,
    trainCount: trainIdx.length,
    valCount: nVal,
    labels: valLabels,
    ae: { ...reconstructionLosses(val, aeRecon), ...aeScatter, silhouette: nanToNull(aeScores.silhouette), knnAccuracy: nanToNull(aeScores.knnAccuracy) },
    pca: {
      ...reconstructionLosses(val, pcaRecon),
      projection: 'pca',
      points: project2d(pcaPoints, nVal, Math.min(2, fit.k)).points,
      silhouette: nanToNull(pcaScores.silhouette),
      knnAccuracy: nanToNull(pcaScores.knnAccuracy),
      explainedVariance: fit.variances.reduce((a, b) => a + b, 0) / (fit.totalVariance || 1),
    },
    samples: {
      clean: imageRow(val, shown, ctx.sampleShape, ctx.range),
      ae: imageRow(aeRecon, shown, ctx.sampleShape, ctx.range),
      pca: imageRow(pcaRecon, shown, ctx.sampleShape, ctx.range),
    },
  };
}
