/** Runs one analysis of a finished run, in the trainer process (where TF.js and the data live). */
import type { RunFolderAccess } from '../../../src-shared/protocol/trainer-messages';
import { AnalysisRequestSchema } from '../../../src-shared/analysis/analysis-messages';
import type { AnalysisRequest, AnalysisResult, ImageRow } from '../../../src-shared/analysis/analysis-messages';
import { analysisContext } from './analysis-context';
import { analyzeAnomaly } from './anomaly';
import { analyzeCompression } from './compression';
import { analyzeDenoise } from './denoise';
import { analyzeFeatures } from './features';
import { analyzeGenerate } from './generate';
import { analyzeLatent, decodeCodes } from './latent';
import { analyzePca } from './reduce';

/** Analyses the run in `runDir`; files it writes (scores, codes) go to `outDir`. */
export async function runAnalysis(runDir: string, request: AnalysisRequest, cacheDir: string, outDir: string, access: RunFolderAccess = {}): Promise<AnalysisResult> {
  const req = AnalysisRequestSchema.parse(request);
  const ctx = await analysisContext(runDir, cacheDir, access);
  switch (req.task) {
    case 'denoise':
      return analyzeDenoise(ctx, req);
    case 'pca':
      return analyzePca(ctx, req);
    case 'anomaly':
      return analyzeAnomaly(ctx, req, cacheDir, outDir);
    case 'features':
      return analyzeFeatures(ctx, req, cacheDir, outDir);
    case 'compression':
      return analyzeCompression(ctx, req);
    case 'latent':
      return analyzeLatent(ctx, req);
    case 'generate':
      return analyzeGenerate(ctx, req);
  }
}

/** Decodes codes with the run's decoder (the latent explorer's sliders). */
export async function decodeForRun(runDir: string, codes: Float32Array, count: number, cacheDir: string, access: RunFolderAccess = {}): Promise<ImageRow> {
  return decodeCodes(await analysisContext(runDir, cacheDir, access), codes, count);
}
