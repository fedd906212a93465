import { describe, expect, it } from 'vitest';
import { countNoun } from './count-noun';

describe('countNoun', () => {
  it('uses the singular for exactly one, the plural otherwise, with thousands separated', () => {
    expect(countNoun(1, 'epoch')).toBe('1 epoch');
    expect(countNoun(0, 'epoch')).toBe('0 epochs');
    expect(countNoun(2, 'epoch')).toBe('2 epochs');
    expect(countNoun(12_000, 'sample')).toBe('12,000 samples');
    expect(countNoun(1, 'child', 'children')).toBe('1 child');
    expect(countNoun(3, 'child', 'children')).toBe('3 children');
  });
});
