/** Known answers for the linear-algebra pieces: PCA recovers data of known rank, k-NN sorts separable clusters, JPEG stays in budget, NPY reads back. */
import { beforeAll, describe, expect, it } from 'vitest';
import { TEST_CACHE_DIR } from '../../../tests/helpers/specs';
import { mulberry32 } from '../../../src-shared/util/random';
import { chooseBackend } from '../backend/choose-backend';
import { loadBuiltin } from '../data/builtin';
import { arrayLabels, arrayValues, decodeNpy } from '../data/import-arrays';
import { jpegScanBytes, jpegWithinBudget } from './jpeg-budget';
import { knnAccuracy } from './knn';
import { encodeNpy } from './npy-writer';
import { fitPca, pcaProject, pcaReconstruct } from './pca';

beforeAll(async () => {
  await chooseBackend();
});

/** n samples in `dim` dimensions that lie exactly in a random `rank`-dimensional affine subspace. */
function lowRank(n: number, dim: number, rank: number, seed: number): Float32Array {
  const rand = mulberry32(seed);
  const basis = Array.from({ length: rank }, () => Array.from({ length: dim }, () => rand() - 0.5));
  const offset = Array.from({ length: dim }, () => rand() * 3);
  const out = new Float32Array(n * dim);
  for (let i = 0; i < n; i++) {
    const coef = Array.from({ length: rank }, (_, r) => (rand() - 0.5) * (r + 1) * 4);
    for (let j = 0; j < dim; j++) out[i * dim + j] = offset[j] + coef.reduce((s, c, r) => s + c * basis[r][j], 0);
  }
  return out;
}

const mse = (a: Float32Array, b: Float32Array) => a.reduce((s, v, i) => s + (v - b[i]) ** 2, 0) / a.length;

describe('PCA', () => {
  const n = 300;
  const dim = 40;
  const rank = 5;
  const data = lowRank(n, dim, rank, 3);

  it('recovers data of rank 5 exactly with 5 components, and not with 4', () => {
    const fit = fitPca(data, n, dim, rank);
    const exact = mse(data, pcaReconstruct(fit, pcaProject(fit, data, n), n));
    const variance = mse(data, new Float32Array(data.length).map((_, i) => fit.mean[i % dim]));
    expect(exact / variance).toBeLessThan(1e-8);
    expect(fit.variances.reduce((a, b) => a + b) / fit.totalVariance).toBeCloseTo(1, 6);
    const short = fitPca(data, n, dim, rank - 1);
    expect(mse(data, pcaReconstruct(short, pcaProject(short, data, n), n)) / variance).toBeGreaterThan(1e-3);
  });

  it('returns unit-length, mutually orthogonal components in order of variance', () => {
    const fit = fitPca(data, n, dim, rank);
    for (let a = 0; a < rank; a++) {
      for (let b = 0; b < rank; b++) {
        let dot = 0;
        for (let j = 0; j < dim; j++) dot += fit.components[a * dim + j] * fit.components[b * dim + j];
        expect(dot).toBeCloseTo(a === b ? 1 : 0, 4);
      }
      if (a > 0) expect(fit.variances[a]).toBeLessThanOrEqual(fit.variances[a - 1]);
    }
  });
});

describe('k-NN accuracy', () => {
  it('is 1 on two well-separated clusters and near chance on random labels', () => {
    const rand = mulberry32(5);
    const points = (n: number, centre: number) => Float32Array.from({ length: n * 3 }, () => centre + rand());
    const train = new Float32Array([...points(50, 0), ...points(50, 10)]);
    const trainLabels = Int32Array.from({ length: 100 }, (_, i) => (i < 50 ? 0 : 1));
    const test = new Float32Array([...points(20, 0), ...points(20, 10)]);
    const testLabels = Int32Array.from({ length: 40 }, (_, i) => (i < 20 ? 0 : 1));
    expect(knnAccuracy(train, trainLabels, test, testLabels, 3)).toBe(1);
    const shuffled = Int32Array.from({ length: 100 }, () => (rand() < 0.5 ? 0 : 1));
    expect(knnAccuracy(train, shuffled, test, testLabels, 3)).toBeLessThan(0.8);
  });
});

describe('JPEG at a byte budget', () => {
  it('returns real MNIST digits within the budget, at the highest quality that fits', async () => {
    const mnist = await loadBuiltin('mnist', TEST_CACHE_DIR);
    const digit = Uint8Array.from(mnist.values.subarray(0, 784), (v) => Math.round(v * 255));
    for (const budget of [64, 256]) {
      const r = await jpegWithinBudget(digit, 28, 28, 1, budget);
      expect(r.fits).toBe(true);
      expect(r.bytes).toBeLessThanOrEqual(budget);
      expect(r.fileBytes).toBeGreaterThan(r.bytes); // headers and tables come on top
      expect(r.pixels.length).toBe(784);
      if (r.quality < 100) expect((await jpegWithinBudget(digit, 28, 28, 1, r.bytes - 1)).quality).toBeLessThanOrEqual(r.quality);
    }
    const tiny = await jpegWithinBudget(digit, 28, 28, 1, 3);
    expect(tiny.fits).toBe(false);
    expect(tiny.quality).toBe(1);
    expect(() => jpegScanBytes(Uint8Array.of(0xff, 0xd8, 0x00))).toThrow(/marker|start-of-scan/);
  });
});

describe('NPY writer', () => {
  it('writes float32 and int32 arrays that the NPY reader reads back, header aligned to 64 bytes', () => {
    const values = Float32Array.from({ length: 12 }, (_, i) => i / 3);
    const bytes = encodeNpy(values, [3, 4]);
    const headerLen = new DataView(bytes.buffer).getUint16(8, true);
    expect((10 + headerLen) % 64).toBe(0);
    const back = decodeNpy(bytes, 'codes.npy');
    expect(back.shape).toEqual([3, 4]);
    expect(Array.from(arrayValues(back, 'codes.npy'))).toEqual(Array.from(values));
    const labels = decodeNpy(encodeNpy(Int32Array.of(3, 1, 4), [3]), 'labels.npy');
    expect([labels.shape, Array.from(arrayLabels(labels, 3, 'labels.npy'))]).toEqual([[3], [3, 1, 4]]);
  });
});
