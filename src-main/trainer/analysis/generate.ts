/**
 * Generation: the decoder fed codes drawn from the prior, the manifold grid
 * over a 2-D code (Kingma & Welling's figure, Keras's VAE example plot) or
 * random draws for a larger one, and decoded straight paths between the codes
 * of held-out samples. A VAE's prior is N(0, I). A plain autoencoder has none,
 * so it is sampled from a normal fitted to its held-out codes (mean and spread
 * per value), and the result says so.
 */
import type { AnalysisRequestFull, AnalysisResultOf } from '../../../src-shared/analysis/analysis-messages';
import { codeStatistics, normalDraws, quantileGrid, straightPath } from '../../../src-shared/analysis/prior';
import type { AnalysisContext } from './analysis-context';
import { heldOut, labelsAt } from './analysis-context';
import { requireFinite } from './finite';
import { imageRow } from './images';
import { decodeCodes, decoderOf } from './latent';
import { gatherSamples, predictAll } from './tensors';

type Request = Extract<AnalysisRequestFull, { task: 'generate' }>;

/** Held-out samples whose codes give a plain autoencoder's mean and spread. */
const STATISTICS_SAMPLES = 1000;

/** Runs the generation analysis. */
export function analyzeGenerate(ctx: AnalysisContext, req: Request): AnalysisResultOf<'generate'> {
  decoderOf(ctx, 'Generating'); // refuse before encoding anything
  const dim = ctx.codeSize;
  const pool = heldOut(ctx, STATISTICS_SAMPLES);
  const n = pool.length;
  // The encoder gives a VAE's μ (its sampling layer passes μ outside training).
  const codes = predictAll(ctx.model.encoder, gatherSamples(ctx.data.values, ctx.size, pool), n, ctx.sampleShape, pool);
  const vae = ctx.model.vae !== null;
  const { mean, std } = vae ? { mean: new Float32Array(dim), std: new Float32Array(dim).fill(1) } : codeStatistics(codes, n, dim);
  // Finite codes can still be so large that their spread overflows float32: refuse here, not as a code "to decode".
  requireFinite(std, dim, { what: "The spread of the held-out codes (a plain autoencoder's stand-in for a prior)", unit: 'code value set' });
  const note = vae
    ? 'The VAE\'s prior N(0, I): the distribution its KL term pulls the codes toward, so every region of it should decode to something like the data.'
    : `A plain autoencoder has no prior: codes drawn from a normal with the mean and spread of each code value over ${n} held-out samples. Regions no sample's code reached may decode to nothing recognisable.`;
  const grid = dim === 2;
  const columns = grid ? req.grid : Math.ceil(Math.sqrt(req.samples));
  const drawn = grid ? quantileGrid(req.grid, mean, std) : normalDraws(req.samples, mean, std, req.seed);
  const count = drawn.length / dim;

  const pairCount = Math.min(req.pairs, Math.floor(n / 2));
  const pairs = pool.slice(0, 2 * pairCount);
  const interpolations = Array.from({ length: pairCount }, (_, p) => decodeCodes(ctx, straightPath(codes.subarray(2 * p * dim, (2 * p + 1) * dim), codes.subarray((2 * p + 1) * dim, (2 * p + 2) * dim), req.steps), req.steps));
  return {
    task: 'generate',
    codeShape: [...ctx.spec.codeShape],
    codeSize: dim,
    prior: { kind: vae ? 'standard-normal' : 'code-statistics', note, mean, std },
    mode: grid ? 'grid' : 'random',
    columns,
    images: decodeCodes(ctx, drawn, count),
    codes: drawn,
    pairs: Int32Array.from(pairs),
    labels: labelsAt(ctx.data, pairs),
    originals: imageRow(gatherSamples(ctx.data.values, ctx.size, pairs), pairs.length, ctx.sampleShape, ctx.range),
    interpolations,
  };
}
