/** The code space in 2-D (the code itself, or its first two principal components), coloured by label. */
import { LabelLegend, ScatterCanvas } from '../analysis/ScatterCanvas';
import { useTraining } from '../state/training-store';

export function LatentScatter() {
  const latent = useTraining((s) => s.latent);
  if (!latent) return <div className="placeholder">The latent space appears after the first epoch.</div>;
  return (
    <figure className="latent" data-testid="latent">
      <ScatterCanvas points={latent.points} labels={latent.labels} />
      <figcaption className="muted">
        {latent.method === 'pca' ? 'code, first two principal components' : 'code'} · {latent.points.length / 2} validation samples
        {latent.labels ? <LabelLegend /> : null}
      </figcaption>
    </figure>
  );
}
