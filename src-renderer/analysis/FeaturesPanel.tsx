/** Feature extraction: the codes of a dataset written to CSV / NPY, and whether they are useful: k-NN on codes against raw values. */
import { useState } from 'react';
import type { DatasetRef } from '../../src-shared/datasets/dataset-ref';
import { useAnalysis, useResult } from './analysis-store';
import { downloadToken } from '../studio/studio';
import { DatasetChoice } from './DatasetChoice';
import { OutputFiles } from './OutputFiles';
import { CompareTable, Controls, pct } from './PanelParts';

export function FeaturesPanel() {
  const r = useResult('features');
  const runId = useAnalysis((s) => s.run?.runId ?? '');
  const [dataset, setDataset] = useState<DatasetRef | undefined>(undefined);
  const [csv, setCsv] = useState(true);
  const [npy, setNpy] = useState(true);
  const formats = [...(csv ? ['csv' as const] : []), ...(npy ? ['npy' as const] : [])];
  return (
    <div className="analysis__panel">
      <Controls task="features" onRun={() => formats.length > 0 && void useAnalysis.getState().analyze({ task: 'features', dataset, formats })} label="Encode and export">
        <DatasetChoice onChange={setDataset} />
        <label>
          <input type="checkbox" checked={csv} onChange={(e) => setCsv(e.target.checked)} /> CSV
        </label>
        <label>
          <input type="checkbox" checked={npy} onChange={(e) => setNpy(e.target.checked)} /> NPY
        </label>
      </Controls>
      {r ? (
        <>
          <p className="muted">
            {r.count.toLocaleString('en-US')} samples of {r.datasetName} encoded into {r.codeSize} values each.
          </p>
          {r.knn ? (
            <>
              <CompareTable testId="features-knn" head={[`codes (${r.codeSize} values)`, 'raw values']} rows={[{ name: `${r.knn.k}-NN accuracy`, a: r.knn.codes, b: r.knn.pixels, better: 'higher', fmt: pct }]} />
              <p className="muted">
                {r.knn.testCount} held-out samples classified by their {r.knn.k} nearest of {r.knn.trainCount} training samples: a quick check of how much of the labels' information the codes keep.
              </p>
            </>
          ) : (
            <p className="muted">The data has no labels, so there is no k-NN check.</p>
          )}
          <OutputFiles runId={runId} files={r.files} token={downloadToken()} testId="features-files" />
        </>
      ) : (
        <p className="placeholder">Use the encoder as a feature extractor: export the codes for another model, and see how well they classify compared with raw pixels.</p>
      )}
    </div>
  );
}
