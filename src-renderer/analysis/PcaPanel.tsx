/** Dimensionality reduction: the autoencoder's code against PCA with as many components, side by side. */
import { useAnalysis, useResult } from './analysis-store';
import { ImageRows } from './ImageRows';
import { CompareTable, Controls, pct } from './PanelParts';
import { LabelLegend, ScatterCanvas } from './ScatterCanvas';

export function PcaPanel() {
  const r = useResult('pca');
  return (
    <div className="analysis__panel">
      <Controls task="pca" onRun={() => void useAnalysis.getState().analyze({ task: 'pca' })} label="Compare with PCA" />
      {r ? (
        <>
          <p className="muted">
            PCA with {r.components} components (as many as the code has values), fitted exactly on the same {r.trainCount} training samples; scored on {r.valCount} held-out samples.
          </p>
          <CompareTable
            testId="pca-table"
            head={['autoencoder', 'PCA']}
            rows={[
              { name: 'reconstruction MSE', a: r.ae.mse, b: r.pca.mse, better: 'lower' },
              { name: 'reconstruction BCE', a: r.ae.bce, b: r.pca.bce, better: 'lower' },
              { name: '5-NN accuracy on codes', a: r.ae.knnAccuracy, b: r.pca.knnAccuracy, better: 'higher', fmt: pct },
              { name: 'silhouette of the 2-D view', a: r.ae.silhouette, b: r.pca.silhouette, better: 'higher' },
              { name: 'variance kept', a: null, b: r.pca.explainedVariance, fmt: pct },
            ]}
          />
          <div className="analysis__pair">
            <figure>
              <ScatterCanvas points={r.ae.points} labels={r.labels} testId="pca-scatter-ae" />
              <figcaption className="muted">autoencoder code{r.ae.projection === 'pca' ? ' (its first two principal components)' : ''}</figcaption>
            </figure>
            <figure>
              <ScatterCanvas points={r.pca.points} labels={r.labels} testId="pca-scatter-pca" />
              <figcaption className="muted">PCA, first two components</figcaption>
            </figure>
          </div>
          {r.labels ? <LabelLegend /> : null}
          <ImageRows rows={[{ name: 'clean', row: r.samples.clean }, { name: 'autoencoder', row: r.samples.ae }, { name: 'PCA', row: r.samples.pca }]} />
        </>
      ) : (
        <p className="placeholder">Is the autoencoder worth it over PCA? Fit PCA with the same number of dimensions and compare errors, scatter plots and class separation.</p>
      )}
    </div>
  );
}
