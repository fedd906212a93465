/** The code space in 2-D (the code itself, or its first two principal components), coloured by label, with the dataset's label names. */
import { useMemo } from 'react';
import { LabelLegend, ScatterCanvas } from '../analysis/ScatterCanvas';
import { factsOf, useDataFacts } from '../data/data-facts';
import { useDocument } from '../state/document-store';
import { useTraining } from '../state/training-store';
import { documentDatasetRef } from './dataset-ref';

/** The distinct labels among the points, ascending (at most `max`, so a legend of a regression target stays short). */
export function presentLabels(labels: Int32Array, max = 40): number[] {
  return [...new Set(labels)].sort((a, b) => a - b).slice(0, max);
}

export function LatentScatter() {
  const latent = useTraining((s) => s.latent);
  const refKey = useDocument((s) => JSON.stringify(documentDatasetRef(s)));
  const facts = useDataFacts();
  const names = useMemo(() => factsOf(JSON.parse(refKey) as Parameters<typeof factsOf>[0], facts)?.labelNames ?? null, [refKey, facts]);
  const present = useMemo(() => (latent?.labels ? presentLabels(latent.labels) : []), [latent]);
  if (!latent) return <div className="placeholder">The latent space appears after the first epoch.</div>;
  return (
    <figure className="latent" data-testid="latent">
      <ScatterCanvas points={latent.points} labels={latent.labels} />
      <figcaption className="muted">
        {latent.method === 'pca' ? 'code, first two principal components' : 'code'} · {latent.points.length / 2} validation samples
        {latent.labels ? <LabelLegend labels={present} names={names} /> : null}
      </figcaption>
    </figure>
  );
}
