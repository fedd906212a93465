/** The code space in 2-D (the code itself, or its first two principal components), coloured by label. */
import { useEffect, useRef } from 'react';
import { LABEL_PALETTE } from '../../src-shared/analysis/palette';
import { useTraining } from '../state/training-store';

/** Ten colours that stay apart for ten classes (Tableau 10). */
export const LABEL_COLORS: readonly string[] = LABEL_PALETTE;
const SIZE = 260;

export function LatentScatter() {
  const latent = useTraining((s) => s.latent);
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const canvas = ref.current;
    if (!canvas || !latent) return;
    const ctx = canvas.getContext('2d')!;
    canvas.width = SIZE;
    canvas.height = SIZE;
    ctx.fillStyle = '#111318';
    ctx.fillRect(0, 0, SIZE, SIZE);
    const p = latent.points;
    let [minX, maxX, minY, maxY] = [Infinity, -Infinity, Infinity, -Infinity];
    for (let i = 0; i < p.length; i += 2) {
      minX = Math.min(minX, p[i]);
      maxX = Math.max(maxX, p[i]);
      minY = Math.min(minY, p[i + 1]);
      maxY = Math.max(maxY, p[i + 1]);
    }
    const sx = (SIZE - 16) / (maxX - minX || 1);
    const sy = (SIZE - 16) / (maxY - minY || 1);
    for (let i = 0; i < p.length / 2; i++) {
      ctx.fillStyle = latent.labels ? LABEL_COLORS[latent.labels[i] % LABEL_COLORS.length] : '#9aa0ab';
      ctx.fillRect(8 + (p[2 * i] - minX) * sx - 1.5, SIZE - 8 - (p[2 * i + 1] - minY) * sy - 1.5, 3, 3);
    }
  }, [latent]);
  if (!latent) return <div className="placeholder">The latent space appears after the first epoch.</div>;
  return (
    <figure className="latent" data-testid="latent">
      <canvas ref={ref} />
      <figcaption className="muted">
        {latent.method === 'pca' ? 'code, first two principal components' : 'code'} · {latent.points.length / 2} validation samples
        {latent.labels ? (
          <span className="legend">
            {LABEL_COLORS.map((c, i) => (
              <span key={c} style={{ color: c }}>
                ■{i}
              </span>
            ))}
          </span>
        ) : null}
      </figcaption>
    </figure>
  );
}
