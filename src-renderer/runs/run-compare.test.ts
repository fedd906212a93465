import { describe, expect, it } from 'vitest';
import type { Graph } from '../../src-shared/graph/types';
import { templateSpec } from '../../tests/helpers/specs';
import { architectureRows, graphDiffRows, settingLabel, settingRows } from './run-compare';

const vanilla = (): Graph => structuredClone(templateSpec('vanilla').project.graph);

describe('comparing runs', () => {
  it('labels settings as the form does, marks the ones that differ, and reads new settings in words', () => {
    const rows = settingRows([
      { settings: { epochs: 10, learningRate: 0.001, batchSize: 128 } },
      { settings: { epochs: 10, learningRate: 0.0003, batchSize: 128, warmRestarts: { period: 5, decayRate: 0.5 } } },
    ]);
    expect(rows.map((r) => [r.label, r.cells, r.differs])).toEqual([
      ['Epochs', ['10', '10'], false],
      ['Batch size', ['128', '128'], false],
      ['Learning rate', ['0.001', '0.0003'], true],
      ['Warm restarts', ['—', 'period 5, decay rate 0.5'], true], // a setting newer than this list, in words
    ]);
    expect(settingLabel('validationSplit')).toBe('Validation split');
    expect(settingLabel('earlyStopping')).toBe('Stop early'); // the training form's own label (src-shared/project/training-fields.ts)
  });

  it('shows parameters and code size of each model', () => {
    const rows = architectureRows([
      { paramCount: 101_200, codeShape: [64] },
      { paramCount: 26_000, codeShape: [4, 4, 8] },
    ]);
    expect(rows).toEqual([
      { label: 'Parameters', cells: ['101,200', '26,000'], differs: true },
      { label: 'Code size', cells: ['64 (64)', '128 (4×4×8)'], differs: true },
    ]);
  });

  it('diffs two graphs node by node: a changed parameter, a node only one has, and a graph that was not kept', () => {
    const a = vanilla();
    const b = vanilla();
    b.nodes.find((n) => n.id === 'code')!.params.size = 16;
    b.nodes.find((n) => n.id === 'output')!.params.activation = 'linear';
    b.nodes.push({ id: 'noise1', kind: 'noise', params: {}, position: { x: 0, y: 0 } });
    const rows = graphDiffRows([a, b, null]);
    const byLabel = Object.fromEntries(rows.map((r) => [r.label, r.cells]));
    expect(Object.keys(byLabel)).toHaveLength(3);
    expect(Object.entries(byLabel).find(([l]) => l.startsWith('Bottleneck (code)') || l.includes('(code)'))?.[1]).toEqual(['64', '16', '—']);
    expect(Object.entries(byLabel).find(([l]) => l.includes('(output)'))?.[1]).toEqual(['sigmoid', 'linear', '—']);
    expect(Object.entries(byLabel).find(([l]) => l.includes('(noise1)'))?.[1]).toEqual(['absent', expect.any(String), '—']);
    expect(graphDiffRows([a, vanilla()])).toEqual([]);
  });
});
