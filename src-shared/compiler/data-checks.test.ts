import { describe, expect, it } from 'vitest';
import type { DatasetSummary } from '../datasets/dataset-ref';
import { dataDiagnostics, trainingRange } from './data-checks';

const summary = (s: Partial<DatasetSummary>): DatasetSummary => ({ name: 'rows.csv', shape: [16], count: 100, sourceRange: [0, 1], normalization: 'none', labelCount: 0, ...s });
const output = (params: Record<string, string>) => [{ id: 'out', kind: 'output', label: 'Output', params }, { id: 'enc', kind: 'encoder', params: { activation: 'sigmoid' } }];

describe('data checks on the output node', () => {
  it('asks for a linear output when standardised data meets a sigmoid', () => {
    const d = dataDiagnostics(output({ activation: 'sigmoid', loss: 'mse' }), summary({ normalization: 'standardized', sourceRange: [-40, 900] }));
    expect(d).toHaveLength(1);
    expect(d[0]).toMatchObject({ severity: 'warning', code: 'data-activation', nodeId: 'out', param: 'activation', hint: 'Use a linear output for standardised data.' });
    expect(d[0].message).toContain('rows.csv');
  });

  it('warns of BCE on data outside [0, 1], naming the range', () => {
    const d = dataDiagnostics(output({ activation: 'linear', loss: 'bce' }), summary({ sourceRange: [-2, 5] }));
    expect(d.map((x) => x.code)).toEqual(['data-loss']);
    expect(d[0].message).toContain('from -2 to 5');
  });

  it('says nothing when the data suits the output, and takes the catalog defaults for missing parameters', () => {
    expect(dataDiagnostics(output({ activation: 'sigmoid', loss: 'bce' }), summary({ normalization: 'scaled-0-1', sourceRange: [0, 255] }))).toEqual([]);
    expect(dataDiagnostics(output({ activation: 'linear', loss: 'mse' }), summary({ normalization: 'standardized' }))).toEqual([]);
    // Defaults are sigmoid and MSE: standardised data still needs the linear output.
    expect(dataDiagnostics(output({}), summary({ normalization: 'standardized' })).map((x) => x.code)).toEqual(['data-activation']);
  });

  it('knows the training range from how the data was normalised', () => {
    expect(trainingRange(summary({ normalization: 'scaled-0-1', sourceRange: [0, 255] }))).toEqual([0, 1]);
    expect(trainingRange(summary({ sourceRange: [3, 4] }))).toEqual([3, 4]);
    expect(trainingRange(summary({ normalization: 'standardized' }))).toBeNull();
  });
});
