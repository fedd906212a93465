/** Seeded noise for the denoising panel: the same seed gives the same noisy images. */
import { mulberry32 } from '../util/random';
import type { NoiseSpec } from './analysis-messages';

/**
 * A noisy copy of `values` (data in [lo, hi]): gaussian adds N(0, (level·(hi−lo))²)
 * and clips to the range; salt-pepper sets a `level` fraction of values to lo or hi;
 * masking sets a `level` fraction to lo (the usual "dropout" corruption).
 */
export function addNoise(values: Float32Array, noise: NoiseSpec, range: readonly [number, number], seed: number): Float32Array {
  const [lo, hi] = range;
  const rand = mulberry32(seed);
  const out = new Float32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    let v = values[i];
    if (noise.type === 'gaussian') {
      // Box–Muller: two uniforms → one standard normal.
      const z = Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
      v = Math.min(hi, Math.max(lo, v + z * noise.level * (hi - lo)));
    } else if (rand() < noise.level) {
      v = noise.type === 'masking' || rand() < 0.5 ? lo : hi;
    }
    out[i] = v;
  }
  return out;
}
