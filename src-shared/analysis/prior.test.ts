/** The codes generation decodes: normal quantiles against tabulated values, the grid's layout, seeded draws, straight paths. */
import { describe, expect, it } from 'vitest';
import { codeStatistics, normalDraws, normalQuantile, quantileGrid, straightPath } from './prior';

describe('normalQuantile', () => {
  it('matches tabulated quantiles of the standard normal, in the centre and both tails', () => {
    const table: [number, number][] = [[0.5, 0], [0.975, 1.959963985], [0.025, -1.959963985], [0.8413447461, 1], [0.001, -3.090232306], [0.999, 3.090232306], [1e-6, -4.753424309]];
    for (const [p, z] of table) expect(normalQuantile(p)).toBeCloseTo(z, 6);
  });

  it('refuses 0, 1 and anything outside, saying what it takes', () => {
    for (const p of [0, 1, -0.1, Number.NaN]) expect(() => normalQuantile(p)).toThrow(/strictly between 0 and 1/);
  });
});

describe('quantileGrid', () => {
  it('lays z₀ along the rows and z₁ down them from high to low, scaled by the mean and spread', () => {
    const g = quantileGrid(3, [1, -1], [2, 0.5]);
    const q = normalQuantile(0.5 / 3);
    expect(g.length).toBe(18);
    // Row 0: z₁ at its highest; column 0: z₀ at its lowest.
    expect(g[0]).toBeCloseTo(1 + 2 * q, 5);
    expect(g[1]).toBeCloseTo(-1 - 0.5 * q, 5);
    // The centre is the mean.
    expect(g[8]).toBeCloseTo(1, 6);
    expect(g[9]).toBeCloseTo(-1, 6);
    // Bottom-right: z₀ highest, z₁ lowest.
    expect(g[16]).toBeCloseTo(1 - 2 * q, 5);
    expect(g[17]).toBeCloseTo(-1 + 0.5 * q, 5);
  });
});

describe('normalDraws', () => {
  it('repeats with its seed, differs with another, and has the asked mean and spread', () => {
    const a = normalDraws(4000, [3, 0], [1, 2], 7);
    expect(Array.from(normalDraws(4000, [3, 0], [1, 2], 7))).toEqual(Array.from(a));
    expect(Array.from(normalDraws(4000, [3, 0], [1, 2], 8))).not.toEqual(Array.from(a));
    const { mean, std } = codeStatistics(a, 4000, 2);
    // Within four standard errors (σ/√4000 for the means, about σ/√8000 for the spreads).
    expect(Math.abs(mean[0] - 3)).toBeLessThan(4 * (1 / Math.sqrt(4000)));
    expect(Math.abs(mean[1] - 0)).toBeLessThan(4 * (2 / Math.sqrt(4000)));
    expect(Math.abs(std[0] - 1)).toBeLessThan(4 * (1 / Math.sqrt(8000)));
    expect(Math.abs(std[1] - 2)).toBeLessThan(4 * (2 / Math.sqrt(8000)));
  });
});

describe('straightPath', () => {
  it('starts at a, ends at b, and steps evenly', () => {
    expect(Array.from(straightPath([0, 10], [4, 2], 5))).toEqual([0, 10, 1, 8, 2, 6, 3, 4, 4, 2]);
  });
});
