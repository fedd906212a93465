import { describe, expect, it } from 'vitest';
import { mulberry32, permutation, splitIndices } from './random';

describe('seeded randomness', () => {
  it('repeats exactly for a seed and differs between seeds', () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const c = mulberry32(43);
    const xs = Array.from({ length: 5 }, a);
    expect(Array.from({ length: 5 }, b)).toEqual(xs);
    expect(Array.from({ length: 5 }, c)).not.toEqual(xs);
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
  });

  it('permutes every index exactly once', () => {
    const p = permutation(1000, mulberry32(1));
    expect([...p].sort((x, y) => x - y)).toEqual([...Array(1000).keys()]);
    expect([...p.subarray(0, 10)]).not.toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('splits deterministically into disjoint train and validation sets of the asked sizes', () => {
    const s = splitIndices(10000, 0.1, 42);
    expect(s.val.length).toBe(1000);
    expect(s.train.length).toBe(9000);
    expect(new Set([...s.train, ...s.val]).size).toBe(10000);
    expect(splitIndices(10000, 0.1, 42)).toEqual(s);
    const few = splitIndices(10000, 0.2, 42, 500);
    expect([few.train.length, few.val.length]).toEqual([400, 100]);
  });
});
