import { describe, expect, it } from 'vitest';
import { useDocument } from './document-store';
import { followTitle } from './node-title';
import { TEMPLATES } from '../templates';

describe('titles that follow parameters', () => {
  it('replaces the old value where the title spells it as a whole token', () => {
    expect(followTitle('Code 64', { size: 64 }, { size: 16 })).toBe('Code 16');
    expect(followTitle('Conv 8 → 28×28×8 (skip 2)', { filters: 8 }, { filters: 16 })).toBe('Conv 16 → 28×28×16 (skip 2)');
    expect(followTitle('Gaussian σ 0.3', { stddev: 0.3 }, { stddev: 0.5 })).toBe('Gaussian σ 0.5');
  });

  it('leaves numbers that only contain the old value, and titles that do not mention it', () => {
    expect(followTitle('Decoder 784', { units: 78 }, { units: 10 })).toBe('Decoder 784');
    expect(followTitle('Layer 3.5', { rate: 3 }, { rate: 4 })).toBe('Layer 3.5');
    expect(followTitle('My bottleneck', { size: 64 }, { size: 16 })).toBe('My bottleneck');
    expect(followTitle(undefined, { size: 64 }, { size: 16 })).toBeUndefined();
  });

  it('in the editor: a template title follows, a typed title stays the person\'s', () => {
    const vanilla = TEMPLATES.find((t) => t.id === 'vanilla')!;
    const doc = useDocument.getState();
    doc.load(structuredClone(vanilla.project), null);
    const code = () => useDocument.getState().nodes.find((n) => n.id === 'code')!;
    expect(code().data.label).toBe('Code 64');
    useDocument.getState().setParam('code', 'size', 16);
    expect(code().data.label).toBe('Code 16');
    useDocument.getState().undo();
    expect(code().data.label).toBe('Code 64');
    useDocument.getState().setLabel('code', 'Code 64 for the demo');
    useDocument.getState().setParam('code', 'size', 16);
    expect(code().data.label).toBe('Code 64 for the demo');
  });
});
